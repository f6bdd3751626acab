import Merkle
import Synchronization

/// The tiles nearly every proof reads, kept in memory: every tile above level 0 (a tree of
/// 10,000,000 leaves has 153 of them) and the partial level-0 tile at the right edge. A proof
/// reads one tile of each level on its leaf's path and the tiles of the right edge, so these
/// few are read by almost every proof, while a full level-0 tile serves only the proofs of its
/// own 256 leaves and stays in storage.
///
/// A tile's first k hashes never change as it grows (the tree is append-only), so a kept tile
/// serves any tree size at which the tile holds at most as many hashes as were kept; one that
/// has grown past that is read again and replaces it. Bounded: when full it is emptied and
/// refills.
///
/// Owner: `kept`'s mutex, held only to look up or insert, never while reading.
final class ProofTileCache: Sendable {
    let capacity: Int
    private let kept = Mutex<[TileID: [Hash]]>([:])

    /// 1,024 tiles of 8 KiB hold every upper tile of a tree of up to 67 million leaves.
    init(capacity: Int = 1024) {
        precondition(capacity > 0, "capacity \(capacity) must be positive")
        self.capacity = capacity
    }

    /// How many tiles are kept now.
    var count: Int { kept.withLock { $0.count } }

    /// Which of `ids` are not kept wide enough for the tree at `treeSize`: what `tiles` would read.
    func missing(_ ids: [TileID], treeSize: UInt64) -> [TileID] {
        kept.withLock { kept in ids.filter { Self.serving(kept[$0], $0, treeSize) == nil } }
    }

    /// `tile`, if it is kept and holds every hash tile `id` has at `treeSize`.
    private static func serving(_ tile: [Hash]?, _ id: TileID, _ treeSize: UInt64) -> [Hash]? {
        guard let tile, tile.count >= id.width(inTreeOfSize: treeSize) else { return nil }
        return tile
    }

    /// The tiles `ids` of the tree at `treeSize`: kept ones from memory, the rest from `read`.
    func tiles(_ ids: [TileID], treeSize: UInt64, read: ([TileID]) async throws -> ProofTiles) async throws -> ProofTiles {
        // One dictionary, sized for every tile asked for, takes the kept tiles and then the read
        // ones: a proof asks for a handful and finds all but one or two kept.
        var found = [TileID: [Hash]](minimumCapacity: ids.count)
        var missing: [TileID] = []
        kept.withLock { kept in
            for id in ids {
                if let tile = Self.serving(kept[id], id, treeSize) { found[id] = tile } else { missing.append(id) }
            }
        }
        guard !missing.isEmpty else { return ProofTiles(tiles: found) }
        let fetched = try await read(missing)
        let worthKeeping = fetched.tiles.reduce(0) { $0 + (Self.worthKeeping($1.key, $1.value) ? 1 : 0) }
        if worthKeeping > 0 {
            kept.withLock { kept in
                if kept.count + worthKeeping > capacity { kept.removeAll(keepingCapacity: true) }
                for (id, tile) in fetched.tiles where Self.worthKeeping(id, tile) {
                    if let old = kept[id], old.count > tile.count { continue }
                    kept[id] = tile
                }
            }
        }
        for (id, tile) in fetched.tiles { found[id] = tile }
        return ProofTiles(tiles: found, innerNodes: fetched.innerNodes)
    }

    /// A tile above level 0, or the partial level-0 tile at the right edge: read by many proofs.
    private static func worthKeeping(_ id: TileID, _ tile: [Hash]) -> Bool {
        id.level > 0 || tile.count < TileID.width
    }
}
