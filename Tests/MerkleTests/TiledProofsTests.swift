@testable import Merkle
import Testing
import TestSupport

/// Proofs and roots from tiles written by `TreeAppender` equal the RFC 6962 reference, verify,
/// read only the tiles they name, and read only the prefix of a tile valid at their size.
@Suite struct TiledProofsTests {
    /// Tile heights 1, 2 and 3 put several tile levels into a tree of a few dozen leaves;
    /// height 8 is the log's.
    @Test(arguments: [1, 2, 3, 8])
    func everyProofOfSmallTreesMatchesTheReference(height: Int) throws {
        let reference = ReferenceProofs.small
        try checkEverySize(reference, sizes: Array(1...70), layout: TileLayout(height: height))
    }

    /// The same with one cache kept across every size and tile set, small enough to empty itself
    /// and keeping rows of two hashes at every tile level: a kept subtree hash serves every later
    /// proof, and proofs equal the reference all the same.
    @Test(arguments: [1, 2, 3, 8])
    func everyProofThroughASubtreeCacheMatchesTheReference(height: Int) throws {
        let cache = SubtreeCache(capacity: 40, smallestRow: 2, lowestTileLevel: 0)
        try checkEverySize(ReferenceProofs.small, sizes: Array(1...70), layout: TileLayout(height: height), cache: cache)
        #expect(cache.count > 0 || height == 1)   // tiles one level high have no rows of two to keep
    }

    /// The log's own cache keeps upper subtrees and those of the partial edge tile, never those
    /// inside a full level-0 tile (its stored inner nodes serve), and a kept hash does not excuse
    /// a missing tile.
    @Test func theDefaultCacheKeepsUpperAndEdgeSubtreesAndStillNeedsTheirTiles() throws {
        let leaves = TestTree.leaves(70_000)
        var appender = TreeAppender()
        let tiles = appender.append(leaves)
        let cache = SubtreeCache()
        let size = UInt64(leaves.count)
        let root = MerkleTree.rootHash(leafHashes: leaves)
        for index in stride(from: UInt64(0), to: size, by: 6_997) {
            let proof = try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: tiles, cache: cache)
            #expect(proof == (try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: tiles)))
            try ProofVerifier.verifyInclusion(leafHash: leaves[Int(index)], index: index, treeSize: size, proof: proof, root: root)
        }
        #expect(cache.count > 0)
        // One full level-0 tile: nothing above it, nothing to keep inside it.
        let full = Array(leaves.prefix(256))
        var fullAppender = TreeAppender()
        let fullTiles = fullAppender.append(full)
        let fullCache = SubtreeCache()
        for index in 0..<UInt64(full.count) {
            _ = try TiledProofs.inclusionProof(index: index, treeSize: UInt64(full.count), tiles: fullTiles, cache: fullCache)
        }
        #expect(fullCache.count == 0)
        // A partial level-0 tile of 200 = 128 + 64 + 8 leaves: its perfect subtrees of 2 leaves
        // or more are kept (127 in the 128 with itself, 63 in the 64, 7 in the 8), and a proof
        // through them equals one computed from the tile alone.
        let edge = Array(leaves.prefix(200))
        var edgeAppender = TreeAppender()
        let edgeTiles = edgeAppender.append(edge)
        let edgeCache = SubtreeCache()
        let edgeRoot = MerkleTree.rootHash(leafHashes: edge)
        for _ in 0..<2 {
            for index in 0..<UInt64(edge.count) {
                let proof = try TiledProofs.inclusionProof(index: index, treeSize: UInt64(edge.count), tiles: edgeTiles, cache: edgeCache)
                #expect(proof == (try TiledProofs.inclusionProof(index: index, treeSize: UInt64(edge.count), tiles: edgeTiles)))
                try ProofVerifier.verifyInclusion(leafHash: edge[Int(index)], index: index, treeSize: UInt64(edge.count),
                                                  proof: proof, root: edgeRoot)
            }
        }
        #expect(edgeCache.count == 197)
        let needed = try TiledProofs.tilesForInclusion(index: 3, treeSize: size)
        var without = tiles.filter { needed.contains($0.key) }
        without[TileID(level: 1, index: 0)] = nil
        #expect(throws: MerkleError(.missingTile, "")) {
            try TiledProofs.inclusionProof(index: 3, treeSize: size, tiles: without, cache: cache)
        }
    }

    /// A plan names the tiles `tilesForInclusion` names, each once, and its proof from them is the
    /// reference's, through a cache and stored inner nodes too; it needs no other tile, fails
    /// without one of its own, and refuses an index outside the tree.
    @Test func anInclusionPlanReadsItsTilesAndProvesTheLeaf() throws {
        let leaves = TestTree.leaves(70_000)
        var appender = TreeAppender()
        let tiles = appender.append(leaves)
        let inner = Self.innerNodes(of: tiles, layout: .standard)
        let cache = SubtreeCache()
        for size in [UInt64(1), 256, 257, 65_536, 65_537, 70_000] {
            let tree = Array(leaves.prefix(Int(size)))
            let root = MerkleTree.rootHash(leafHashes: tree)
            for index in Set([0, size / 3, size / 2, size - 1]) {
                let plan = try InclusionPlan(index: index, treeSize: size)
                #expect(plan.index == index && plan.treeSize == size)
                #expect(Set(plan.tiles) == (try TiledProofs.tilesForInclusion(index: index, treeSize: size)))
                #expect(Set(plan.tiles).count == plan.tiles.count, "\(plan.tiles) names a tile twice")
                let own = tiles.filter { plan.tiles.contains($0.key) }
                let proof = try plan.proof(tiles: own, cache: cache, innerNodes: inner)
                #expect(proof == MerkleTree.inclusionProof(index: index, leafHashes: tree), "index \(index), size \(size)")
                try ProofVerifier.verifyInclusion(leafHash: leaves[Int(index)], index: index, treeSize: size, proof: proof, root: root)
                if let first = plan.tiles.first {
                    var short = own
                    short[first] = nil
                    #expect(throws: MerkleError(.missingTile, "")) { try plan.proof(tiles: short, innerNodes: inner) }
                }
            }
        }
        #expect(throws: MerkleError(.invalidIndex, "")) { try InclusionPlan(index: 5, treeSize: 5) }
    }

    /// The inner nodes of every full level-0 tile in `tiles`, as the log stores them.
    static func innerNodes(of tiles: [TileID: [Hash]], layout: TileLayout) -> [UInt64: [Hash]] {
        var inner: [UInt64: [Hash]] = [:]
        for (id, row) in tiles where id.level == 0 && row.count == layout.width {
            inner[id.index] = layout.innerNodes(ofFullTile: row)
        }
        return inner
    }

    /// Proofs from tiles with their stored inner nodes equal the reference at every size, from
    /// the tiles of that size and from later, wider ones.
    @Test(arguments: [2, 3, 4, 8])
    func everyProofThroughStoredInnerNodesMatchesTheReference(height: Int) throws {
        try checkEverySize(ReferenceProofs.small, sizes: Array(1...70), layout: TileLayout(height: height), withInnerNodes: true)
        try checkEverySize(ReferenceProofs.tileBoundary, sizes: [255, 256, 257, 300], layout: TileLayout(height: 8),
                           newest: false, withInnerNodes: true)
    }

    /// A full tile's inner nodes are the roots of its aligned subtrees of 16 to 128 leaves
    /// (computed here by the RFC 6962 reference); a proof takes them as given, and still needs
    /// the tile itself.
    @Test func innerNodesAreSubtreeRootsAndProofsUseThem() throws {
        let leaves = TestTree.leaves(1_000)
        let row = Array(leaves[256..<512])
        let inner = TiledProofs.innerNodes(ofFullTile: row)
        #expect(inner.count == TiledProofs.innerNodeCount && inner.count == 30)
        var expected: [Hash] = []
        for size in [16, 32, 64, 128] {
            for start in stride(from: 0, to: 256, by: size) {
                expected.append(MerkleTree.rootHash(leafHashes: Array(row[start..<(start + size)])))
            }
        }
        #expect(inner == expected)

        var appender = TreeAppender()
        let tiles = appender.append(leaves)
        let size = UInt64(leaves.count)
        let index: UInt64 = 300   // in level-0 tile 1; its siblings of 16, 32 and 64 leaves lie there too
        let plain = try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: tiles)
        #expect(try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: tiles, innerNodes: [1: inner]) == plain)
        var wrong = inner
        wrong[TileLayout.standard.innerNodePosition(of: NodeID(level: 4, index: 19))!] = TestTree.leaf(9_999)
        #expect(try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: tiles, innerNodes: [1: wrong]) != plain)
        #expect(try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: tiles, innerNodes: [1: Array(inner.dropLast())]) == plain,
                "a row of the wrong length is not used")
        var without = tiles
        without[TileID(level: 0, index: 1)] = nil
        #expect(throws: MerkleError(.missingTile, "")) {
            try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: without, innerNodes: [1: inner])
        }
    }

    @Test(arguments: [2, 8])
    func everyProofAroundATileBoundaryMatchesTheReference(height: Int) throws {
        let reference = ReferenceProofs.tileBoundary
        try checkEverySize(reference, sizes: [255, 256, 257, 300], layout: TileLayout(height: height), newest: false)
    }

    /// Random sizes up to a few thousand, random indices and old sizes: every proof verifies,
    /// and some are also compared with the (slow) reference.
    @Test(arguments: [2, 8])
    func sampledProofsOfLargerTreesVerify(height: Int) throws {
        let layout = TileLayout(height: height)
        var random = SeededRandom(seed: 0x5eed + UInt64(height))
        let leaves = TestTree.leaves(4000)
        let sizes = (0..<8).map { _ in Int.random(in: 1...leaves.count, using: &random) }.sorted()
        var appender = TreeAppender(layout: layout)
        var tiles: [TileID: [Hash]] = [:]
        for size in sizes {
            tiles.merge(appender.append(Array(leaves[Int(appender.size)..<size]))) { $1 }
            let tree = Array(leaves.prefix(size))
            let root = MerkleTree.rootHash(leafHashes: tree)
            #expect(try TiledProofs.rootHash(treeSize: UInt64(size), tiles: tiles, layout: layout) == root)
            for sample in 0..<6 {
                let index = UInt64.random(in: 0..<UInt64(size), using: &random)
                let proof = try TiledProofs.inclusionProof(index: index, treeSize: UInt64(size), tiles: tiles, layout: layout)
                try ProofVerifier.verifyInclusion(
                    leafHash: leaves[Int(index)], index: index, treeSize: UInt64(size), proof: proof, root: root)
                if sample < 2 {
                    #expect(proof == MerkleTree.inclusionProof(index: index, leafHashes: tree), "index \(index), size \(size)")
                }

                let oldSize = Int.random(in: 1...size, using: &random)
                let consistency = try TiledProofs.consistencyProof(
                    oldSize: UInt64(oldSize), newSize: UInt64(size), tiles: tiles, layout: layout)
                try ProofVerifier.verifyConsistency(
                    oldSize: UInt64(oldSize), newSize: UInt64(size), proof: consistency,
                    oldRoot: MerkleTree.rootHash(leafHashes: leaves.prefix(oldSize)), newRoot: root)
                if sample < 2 {
                    #expect(consistency == MerkleTree.consistencyProof(oldSize: UInt64(oldSize), leafHashes: tree),
                            "from \(oldSize) to \(size)")
                }
            }
        }
    }

    /// The tiles a computation names are enough, each of them is needed, and there are at most
    /// two per tile level: the proven node's and the right edge's.
    @Test(arguments: [1, 2, 8])
    func namedTilesAreExactlyTheOnesRead(height: Int) throws {
        let layout = TileLayout(height: height)
        let leaves = TestTree.leaves(200)
        let allTiles = TestTree.appendedTiles(leaves, layout: layout)
        var random = SeededRandom(seed: 77)
        for _ in 0..<16 {
            let size = UInt64.random(in: 1...UInt64(leaves.count), using: &random)
            let index = UInt64.random(in: 0..<size, using: &random)
            let oldSize = UInt64.random(in: 1...size, using: &random)
            let bound = 2 * layout.levels(treeSize: size)
            try checkTiles(try TiledProofs.tilesForInclusion(index: index, treeSize: size, layout: layout),
                           from: allTiles, bound: bound, "inclusion of \(index) in \(size)") {
                _ = try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: $0, layout: layout)
            }
            try checkTiles(try TiledProofs.tilesForConsistency(oldSize: oldSize, newSize: size, layout: layout),
                           from: allTiles, bound: bound, "consistency from \(oldSize) to \(size)") {
                _ = try TiledProofs.consistencyProof(oldSize: oldSize, newSize: size, tiles: $0, layout: layout)
            }
            try checkTiles(TiledProofs.tilesForRoot(treeSize: size, layout: layout),
                           from: allTiles, bound: bound, "root of \(size)") {
                _ = try TiledProofs.compactRange(treeSize: size, tiles: $0, layout: layout)
            }
        }
    }

    @Test func badRequestsThrow() throws {
        let tiles = TestTree.appendedTiles(TestTree.leaves(10), layout: .standard)
        #expect(throws: MerkleError(.invalidIndex, "")) { try TiledProofs.tilesForInclusion(index: 10, treeSize: 10) }
        #expect(throws: MerkleError(.invalidIndex, "")) { try TiledProofs.inclusionProof(index: 0, treeSize: 0, tiles: tiles) }
        #expect(throws: MerkleError(.invalidSize, "")) { try TiledProofs.tilesForConsistency(oldSize: 0, newSize: 10) }
        #expect(throws: MerkleError(.invalidSize, "")) { try TiledProofs.tilesForConsistency(oldSize: 5, newSize: 4) }
        #expect(throws: MerkleError(.invalidSize, "")) {
            try TiledProofs.consistencyProof(oldSize: 11, newSize: 10, tiles: tiles)
        }
        #expect(try TiledProofs.tilesForConsistency(oldSize: 10, newSize: 10).isEmpty)
        #expect(try TiledProofs.consistencyProof(oldSize: 10, newSize: 10, tiles: [:]) == [])
        #expect(TiledProofs.tilesForRoot(treeSize: 0).isEmpty)
        #expect(try TiledProofs.rootHash(treeSize: 0, tiles: [:]) == .emptyTree)
        // Tiles of size 10 cannot serve size 11 where leaf 10 is needed (its own path does not need it).
        #expect(throws: MerkleError(.missingTile, "")) { try TiledProofs.rootHash(treeSize: 11, tiles: tiles) }
        #expect(throws: MerkleError(.missingTile, "")) { try TiledProofs.inclusionProof(index: 9, treeSize: 11, tiles: tiles) }
    }

    // MARK: Helpers

    /// Appends the leaves one at a time, and at every size in `sizes` holds every tiled proof
    /// and root against the reference, computed from the tiles at that size and, with `newest`,
    /// also from the (wider) tiles at the largest size.
    private func checkEverySize(_ reference: ReferenceProofs, sizes: [Int], layout: TileLayout, newest: Bool = true,
                                cache: SubtreeCache? = nil, withInnerNodes: Bool = false) throws {
        var appender = TreeAppender(layout: layout)
        var tiles: [TileID: [Hash]] = [:]
        var snapshots: [Int: [TileID: [Hash]]] = [:]
        for (position, leaf) in reference.leaves.enumerated() {
            tiles.merge(appender.append([leaf])) { $1 }
            if sizes.contains(position + 1) { snapshots[position + 1] = tiles }
        }
        for size in sizes {
            let treeSize = UInt64(size)
            let root = reference.roots[size]
            let inclusion = try #require(reference.inclusion[size])
            let consistency = try #require(reference.consistency[size])
            var sources = [("tiles at size \(size)", try #require(snapshots[size]))]
            if newest { sources.append(("newest tiles", tiles)) }
            for (name, source) in sources {
                let inner = withInnerNodes ? Self.innerNodes(of: source, layout: layout) : [:]
                #expect(try TiledProofs.rootHash(treeSize: treeSize, tiles: source, layout: layout) == root, "\(name)")
                for index in 0..<UInt64(size) {
                    let proof = try TiledProofs.inclusionProof(index: index, treeSize: treeSize, tiles: source, layout: layout,
                                                               cache: cache, innerNodes: inner)
                    if proof != inclusion[Int(index)] {
                        Issue.record("inclusion of \(index) in \(size) from \(name): \(proof), want \(inclusion[Int(index)])")
                    }
                    try ProofVerifier.verifyInclusion(
                        leafHash: reference.leaves[Int(index)], index: index, treeSize: treeSize, proof: proof, root: root)
                }
                for oldSize in 1...treeSize {
                    let proof = try TiledProofs.consistencyProof(oldSize: oldSize, newSize: treeSize, tiles: source, layout: layout,
                                                                 cache: cache, innerNodes: inner)
                    if proof != consistency[Int(oldSize) - 1] {
                        Issue.record("consistency from \(oldSize) to \(size) from \(name): \(proof), want \(consistency[Int(oldSize) - 1])")
                    }
                    try ProofVerifier.verifyConsistency(
                        oldSize: oldSize, newSize: treeSize, proof: proof, oldRoot: reference.roots[Int(oldSize)], newRoot: root)
                }
            }
        }
    }

    /// `compute` succeeds with just the `named` tiles, throws `.missingTile` without any one of
    /// them or with it emptied, and `named` has at most `bound` tiles.
    private func checkTiles(
        _ named: Set<TileID>, from allTiles: [TileID: [Hash]], bound: Int, _ what: String,
        compute: ([TileID: [Hash]]) throws -> Void
    ) throws {
        #expect(named.count <= bound, "\(what) reads \(named.count) tiles, want at most \(bound)")
        let tiles = allTiles.filter { named.contains($0.key) }
        #expect(tiles.count == named.count, "\(what) names tiles that do not exist")
        #expect(throws: Never.self, "\(what)") { try compute(tiles) }
        for id in named {
            var without = tiles
            without[id] = nil
            #expect(throws: MerkleError(.missingTile, ""), "\(what) without \(id)") { try compute(without) }
            without[id] = []
            #expect(throws: MerkleError(.missingTile, ""), "\(what) with \(id) empty") { try compute(without) }
        }
    }
}
