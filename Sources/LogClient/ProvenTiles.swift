import Merkle

/// The hash tiles of one signed tree that have been proven to belong to it, walked top down:
/// the right-edge tiles are proven by the root, and a full tile by the hash of it held in the
/// proven tile one level up. Keeps the edge and the last full tile of each level, so memory stays
/// O(levels) tiles whatever the tree size.
///
/// Owner: one `verifyAll` call, which walks the tiles left to right.
struct ProvenTiles {
    typealias Fetch = (TileID, Int) async throws -> [Hash]

    let treeSize: UInt64
    /// The partial tile at the right edge of every tile level (C2SP tlog-tiles), proven by the root.
    private let edge: [TileID: [Hash]]
    /// The full tile most recently proven at each tile level.
    private var lastFull: [Int: (id: TileID, hashes: [Hash])] = [:]
    private let fetch: Fetch

    /// Fetches the right-edge tiles of the tree of `treeSize` and proves them: they must hash to
    /// `rootHash`. Throws `.badTile` naming them when they do not.
    init(treeSize: UInt64, rootHash: Hash, fetch: @escaping Fetch) async throws {
        var edge: [TileID: [Hash]] = [:]
        for id in TiledProofs.tilesForRoot(treeSize: treeSize).sorted() {
            edge[id] = try await fetch(id, id.width(inTreeOfSize: treeSize))
        }
        let computed = try TiledProofs.rootHash(treeSize: treeSize, tiles: edge)
        guard computed == rootHash else {
            let names = edge.keys.sorted().map { Self.name($0, treeSize: treeSize) }
            throw LogClientError(.badTile, "the right-edge tiles (\(names.isEmpty ? "none" : names.joined(separator: ", "))) "
                + "hash to root \(computed), the signed tree head of size \(treeSize) says \(rootHash)")
        }
        self.treeSize = treeSize
        self.edge = edge
        self.fetch = fetch
    }

    /// The proven hashes of tile `id`, as wide as it is in the tree; fetches it, and the tiles
    /// above it that are not proven yet. Throws `.badTile` naming the tile that does not hash to
    /// its parent's entry.
    ///
    /// Precondition: the tile holds at least one hash in the tree.
    mutating func hashes(of id: TileID) async throws -> [Hash] {
        let width = id.width(inTreeOfSize: treeSize)
        precondition(width > 0, "\(id) is empty in the tree of size \(treeSize)")
        if width < TileID.width {
            guard let hashes = edge[id] else { preconditionFailure("the edge tile \(id) was not fetched") }
            return hashes
        }
        if let last = lastFull[id.level], last.id == id { return last.hashes }
        let hashes = try await fetch(id, width)
        let parent = TileID(level: id.level + 1, index: id.index / UInt64(TileID.width))
        let expected = try await self.hashes(of: parent)[Int(id.index % UInt64(TileID.width))]
        var range = CompactRange()
        for hash in hashes { range.append(hash) }
        guard range.rootHash() == expected else {
            throw LogClientError(.badTile, "\(Self.name(id, treeSize: treeSize)) hashes to \(range.rootHash()), "
                + "but entry \(id.index % UInt64(TileID.width)) of \(Self.name(parent, treeSize: treeSize)) is \(expected)")
        }
        lastFull[id.level] = (id, hashes)
        return hashes
    }

    /// The tile's path as served in the tree of `treeSize`, e.g. `tile/1/000.p/2`.
    static func name(_ id: TileID, treeSize: UInt64) -> String {
        let width = id.width(inTreeOfSize: treeSize)
        return StaticLogClient.path(.hashes(level: id.level), index: id.index, width: max(width, 1)).description
    }
}
