import Merkle

/// Tiles with arbitrary but deterministic contents, as wide as a tree of `treeSize` makes them:
/// the proof and restore computations only read hashes, never check them against leaves.
enum SyntheticTiles {
    /// The tiles `ids` of a tree of `treeSize`; tiles that do not exist at that size are left out.
    static func tiles(_ ids: some Sequence<TileID>, treeSize: UInt64) -> [TileID: [Hash]] {
        var tiles: [TileID: [Hash]] = [:]
        for id in ids {
            let width = id.width(inTreeOfSize: treeSize)
            guard width > 0 else { continue }
            var random = DeterministicBytes(seed: UInt64(id.level) << 56 ^ id.index)
            tiles[id] = (0..<width).map { _ in Hash(random.bytes(32)) }
        }
        return tiles
    }
}

/// A tree of about a million leaves resumed from synthetic right-edge tiles, and batches of new
/// leaf hashes to append to it, as the sequencer does every interval.
struct AppendFixture: Sendable {
    static let treeSize: UInt64 = 1_000_000

    let base: TreeAppender
    let batch: [Hash]

    init(batchSize: Int) throws {
        let size = Self.treeSize
        base = try TreeAppender(treeSize: size, tiles: SyntheticTiles.tiles(TreeAppender.tilesForRestore(treeSize: size), treeSize: size))
        var random = DeterministicBytes(seed: 2)
        batch = (0..<batchSize).map { _ in Hash(random.bytes(32)) }
    }
}

/// A tree of ten million leaves: 64 leaf indices and 64 old sizes to prove, every tile their
/// inclusion and consistency proofs read, the inner nodes of the full level-0 ones, and a subtree
/// cache that every inclusion proof has warmed once.
struct ProofFixture: Sendable {
    static let treeSize: UInt64 = 10_000_000
    static let queries = 64

    let indices: [UInt64]
    let oldSizes: [UInt64]
    let tiles: [TileID: [Hash]]
    let innerNodes: [UInt64: [Hash]]
    let cache: SubtreeCache

    init() throws {
        let size = Self.treeSize
        var random = DeterministicBytes(seed: 3)
        indices = (0..<Self.queries).map { _ in random.below(size) }
        oldSizes = (0..<Self.queries).map { _ in 1 + random.below(size - 1) }
        var needed = Set<TileID>()
        for index in indices { needed.formUnion(try TiledProofs.tilesForInclusion(index: index, treeSize: size)) }
        for oldSize in oldSizes { needed.formUnion(try TiledProofs.tilesForConsistency(oldSize: oldSize, newSize: size)) }
        tiles = SyntheticTiles.tiles(needed, treeSize: size)
        var inner: [UInt64: [Hash]] = [:]
        for (id, row) in tiles where id.level == 0 && row.count == TileID.width {
            inner[id.index] = TiledProofs.innerNodes(ofFullTile: row)
        }
        innerNodes = inner
        cache = SubtreeCache()
        for index in indices {
            _ = try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: tiles, cache: cache, innerNodes: inner)
        }
    }
}
