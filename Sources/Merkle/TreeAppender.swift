/// What the single sequencer owns to append to a tiled tree (C2SP tlog-tiles): the compact
/// range, which gives the root, and the partial tile at the right edge of every tile level,
/// which gives the tiles to write.
///
/// Appending returns every tile whose contents changed, each with all of its hashes at the
/// new size: the tiles that just filled up and the new partial tiles. Stored together with the
/// new tree head, they keep the stored tiles in step with the tree. Resuming after a restart
/// reads only the right-edge tiles (`tilesForRestore(treeSize:)`), never the whole tree.
public struct TreeAppender: Sendable {
    let layout: TileLayout
    private var range: CompactRange
    /// The partial tile of every tile level t, in order: `(size >> (t * height)) % width` hashes.
    private var edges: [[Hash]]

    /// The empty tree.
    public init() {
        self.init(layout: .standard)
    }

    /// The right-edge tiles `init(treeSize:tiles:)` needs to resume at `treeSize`: the partial
    /// tile of every tile level that has one.
    public static func tilesForRestore(treeSize: UInt64) -> Set<TileID> {
        tilesForRestore(treeSize: treeSize, layout: .standard)
    }

    /// Resumes the tree of `treeSize` from stored tiles, which must include those of
    /// `tilesForRestore(treeSize:)`; tiles wider than at `treeSize` are cut to that size.
    ///
    /// Throws `.missingTile` when one of them is absent or too short.
    public init(treeSize: UInt64, tiles: [TileID: [Hash]]) throws {
        try self.init(treeSize: treeSize, tiles: tiles, layout: .standard)
    }

    /// The number of leaves.
    public var size: UInt64 { range.size }

    /// The tree's compact range.
    public var compactRange: CompactRange { range }

    /// MTH of the tree (RFC 6962 section 2.1).
    public func rootHash() -> Hash {
        range.rootHash()
    }

    /// Appends the leaves in order and returns every tile they changed, each with all of its
    /// hashes at the new size: full tiles completed by this batch and the new partial tiles.
    ///
    /// Precondition: the tree stays under 2^64 leaves.
    public mutating func append(_ leafHashes: [Hash]) -> [TileID: [Hash]] {
        let height = layout.height
        let width = layout.width
        var changed: [TileID: [Hash]] = [:]
        var touchedLevels = 0
        // Taken out of self while the range appends, so that each edge tile stays uniquely owned.
        var edges = self.edges
        self.edges = []
        for leafHash in leafHashes {
            range.append(leafHash) { level, index, hash in
                guard level % height == 0 else { return }
                let tileLevel = level / height
                if tileLevel == edges.count { edges.append([]) }
                precondition(edges[tileLevel].count == Int(index % UInt64(width)), "edge tile out of step at level \(level)")
                edges[tileLevel].append(hash)
                touchedLevels = max(touchedLevels, tileLevel + 1)
                if edges[tileLevel].count == width {
                    changed[TileID(level: tileLevel, index: index >> UInt64(height))] = edges[tileLevel]
                    edges[tileLevel] = []
                    edges[tileLevel].reserveCapacity(width)
                }
            }
        }
        for level in 0..<touchedLevels where !edges[level].isEmpty {
            changed[layout.edgeTile(level: level, treeSize: range.size)] = edges[level]
        }
        self.edges = edges
        return changed
    }
}

// The same for any tile layout.
extension TreeAppender {
    init(layout: TileLayout) {
        self.layout = layout
        range = CompactRange()
        edges = []
    }

    static func tilesForRestore(treeSize: UInt64, layout: TileLayout) -> Set<TileID> {
        var tiles = Set<TileID>()
        for level in 0..<layout.levels(treeSize: treeSize) {
            let tile = layout.edgeTile(level: level, treeSize: treeSize)
            if layout.width(of: tile, treeSize: treeSize) > 0 { tiles.insert(tile) }
        }
        return tiles
    }

    init(treeSize: UInt64, tiles: [TileID: [Hash]], layout: TileLayout) throws {
        var edges: [[Hash]] = []
        for level in 0..<layout.levels(treeSize: treeSize) {
            let id = layout.edgeTile(level: level, treeSize: treeSize)
            let width = layout.width(of: id, treeSize: treeSize)
            var edge: [Hash] = []
            edge.reserveCapacity(layout.width)
            if width > 0 {
                guard let tile = tiles[id] else {
                    throw MerkleError.missingTile("\(id) is missing, needed to resume at tree size \(treeSize)")
                }
                guard tile.count >= width else {
                    throw MerkleError.missingTile(
                        "\(id) has \(tile.count) hashes, want at least \(width) to resume at tree size \(treeSize)")
                }
                edge.append(contentsOf: tile.prefix(width))
            }
            edges.append(edge)
        }
        self.layout = layout
        self.edges = edges
        range = try TiledProofs.compactRange(treeSize: treeSize, tiles: tiles, layout: layout)
    }
}
