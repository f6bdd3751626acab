/// Where the nodes of a tree live in its tiles (C2SP tlog-tiles), for tiles `height` tree
/// levels high.
///
/// The log's tiles are 8 levels high (`standard`, 256 hashes each); smaller heights run the
/// same arithmetic across many tile levels with a small tree, which is how the tests use them.
/// The tile at tile level t and index N holds the hashes of tree level `t * height`, nodes
/// `N * width ..< N * width + w`, w being `width` once the tile is full.
struct TileLayout: Sendable, Equatable {
    /// Tree levels per tile level.
    let height: Int

    init(height: Int) {
        precondition(height >= 1 && height <= TileID.height, "tile height \(height) outside 1...\(TileID.height)")
        self.height = height
    }

    /// The tiles the log stores and serves.
    static let standard = TileLayout(height: TileID.height)

    /// Hashes in a full tile.
    var width: Int { 1 << height }

    /// Where the hashes `node` is computed from sit: `count` (2^(level % height)) consecutive
    /// hashes of `tile` from `offset`, hashed up `level % height` levels.
    func location(of node: NodeID) -> (tile: TileID, offset: Int, count: Int) {
        let rise = node.level % height
        let first = node.index << UInt64(rise)
        let tile = TileID(level: node.level / height, index: first >> UInt64(height))
        return (tile, Int(first & UInt64(width - 1)), 1 << rise)
    }

    /// How many hashes `tile` holds in a tree of `treeSize` leaves: `width` when full, 0 when
    /// the tile does not exist yet.
    func width(of tile: TileID, treeSize: UInt64) -> Int {
        let nodesAtLevel = treeSize >> UInt64(height * tile.level)
        let fullTiles = nodesAtLevel >> UInt64(height)
        if tile.index < fullTiles { return width }
        return tile.index == fullTiles ? Int(nodesAtLevel & UInt64(width - 1)) : 0
    }

    /// The rightmost tile of tile level `level` in a tree of `treeSize`: the partial tile that
    /// grows next, empty when that level's hashes fill whole tiles.
    func edgeTile(level: Int, treeSize: UInt64) -> TileID {
        TileID(level: level, index: treeSize >> UInt64(height * (level + 1)))
    }

    /// The tile levels that hold anything in a tree of `treeSize`.
    func levels(treeSize: UInt64) -> Int {
        var levels = 0
        while treeSize >> UInt64(height * levels) != 0 { levels += 1 }
        return levels
    }

    /// The tiles the hashes of `elements` are computed from, each once, in the order the
    /// elements first name them.
    func tiles(for elements: [ProofElement]) -> [TileID] {
        // A proof names a few tiles (one or two a tile level) many times over: a linear search
        // of that short list costs less than hashing every name into a set.
        var tiles: [TileID] = []
        tiles.reserveCapacity(8)
        func add(_ node: NodeID) {
            let tile = location(of: node).tile
            if !tiles.contains(tile) { tiles.append(tile) }
        }
        for element in elements {
            switch element {
            case .subtree(let node):
                add(node)
            case .rightEdge(let begin, let end):
                ProofPlan.forEachSubtree(from: begin, to: end, add)
            }
        }
        return tiles
    }

    /// The hash of `element` computed from `tiles`; only the hashes valid at the tree size
    /// the element was planned for are read, so wider tiles from a later size are fine.
    ///
    /// Throws `.missingTile` when a tile is absent or too short.
    func hash(of element: ProofElement, tiles: [TileID: [Hash]], cache: SubtreeCache? = nil,
              innerNodes: [UInt64: [Hash]] = [:]) throws -> Hash {
        switch element {
        case .subtree(let node):
            return try hash(of: node, tiles: tiles, cache: cache, innerNodes: innerNodes)
        case .rightEdge:
            return CompactRange.fold(try element.subtrees.map { try hash(of: $0, tiles: tiles, cache: cache, innerNodes: innerNodes) })
        }
    }

    /// The hash of the perfect subtree `node`, from the tile holding its descendants, or from
    /// `cache` when an earlier computation kept it.
    ///
    /// Throws `.missingTile` when that tile is absent or too short (even if `cache` holds the
    /// hash: what a computation reads does not depend on what was computed before).
    func hash(of node: NodeID, tiles: [TileID: [Hash]], cache: SubtreeCache? = nil,
              innerNodes: [UInt64: [Hash]] = [:]) throws -> Hash {
        let (id, offset, count) = location(of: node)
        guard let tile = tiles[id] else {
            throw MerkleError.missingTile("\(id) is missing, needed for the level \(node.level) node \(node.index)")
        }
        guard tile.count >= offset + count else {
            throw MerkleError.missingTile(
                "\(id) has \(tile.count) hashes, want at least \(offset + count) for the level \(node.level) node \(node.index)")
        }
        if id.level == 0, let inner = innerNodes[id.index], inner.count == innerNodeCount,
           let position = innerNodePosition(of: node) {
            return inner[position]
        }
        guard let cache else { return TileLayout.perfectRoot(tile[offset..<(offset + count)]) }
        return cache.hash(of: node, rowCount: count, tileLevel: id.level, partialTile: tile.count < width) {
            TileLayout.perfectRoot(tile[offset..<(offset + count)])
        }
    }

    /// The tree heights inside a tile whose nodes a full level-0 tile's inner nodes hold: the
    /// upper half (4 to 7 for 8-level tiles). A proof then hashes at most the lower half from
    /// the tile row: 11 node hashes instead of 247 for the standard layout.
    var innerHeights: Range<Int> { max(1, height / 2)..<height }

    /// How many inner nodes a full level-0 tile has: `width >> h` for every inner height h.
    var innerNodeCount: Int { innerHeights.reduce(0) { $0 + (width >> $1) } }

    /// The inner nodes of a full level-0 tile, from its `width` leaf hashes: the perfect
    /// subtree hashes at each of `innerHeights`, lowest height first, left to right.
    func innerNodes(ofFullTile row: [Hash]) -> [Hash] {
        precondition(row.count == width, "inner nodes of a tile of \(row.count) hashes, want \(width)")
        var inner: [Hash] = []
        inner.reserveCapacity(innerNodeCount)
        var layer = row
        for height in 1..<self.height {
            layer = (0..<(layer.count / 2)).map { Hash.node(layer[2 * $0], layer[2 * $0 + 1]) }
            if innerHeights.contains(height) { inner += layer }
        }
        return inner
    }

    /// Where `node`, inside a level-0 tile, sits among that tile's inner nodes; nil when its
    /// height is not an inner height.
    func innerNodePosition(of node: NodeID) -> Int? {
        guard node.level < height, innerHeights.contains(node.level) else { return nil }
        let before = innerHeights.lowerBound..<node.level
        let offset = before.reduce(0) { $0 + (width >> $1) }
        return offset + Int(node.index & UInt64((width >> node.level) - 1))
    }

    /// The root of a perfect subtree given its bottom row: a power of two of hashes.
    static func perfectRoot(_ row: ArraySlice<Hash>) -> Hash {
        precondition(row.count.nonzeroBitCount == 1, "row of \(row.count) hashes is not a perfect subtree")
        let first = row.startIndex
        if row.count == 1 { return row[first] }
        if row.count == 2 { return .node(row[first], row[first + 1]) }
        // The layers above the row, hashed in place on the stack rather than in a copied array.
        return withUnsafeTemporaryAllocation(of: Hash.self, capacity: row.count / 2) { layer in
            var count = row.count / 2
            for i in 0..<count {
                layer.initializeElement(at: i, to: .node(row[first + 2 * i], row[first + 2 * i + 1]))
            }
            while count > 1 {
                count /= 2
                for i in 0..<count {
                    layer[i] = .node(layer[2 * i], layer[2 * i + 1])
                }
            }
            let root = layer[0]
            layer.deinitialize()
            return root
        }
    }
}
