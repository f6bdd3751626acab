@testable import Merkle
import Testing

/// A tree past 65,536 leaves, where the standard 256-hash tiles reach level 2. Leaves are
/// synthetic 32-byte values (no hashing) to keep the test fast.
@Suite struct LargeTreeTests {
    static let size = 65_536 + 5 * 256 + 17

    static func leaf(_ index: Int) -> Hash {
        Hash((0..<8).map { UInt8(truncatingIfNeeded: index >> (56 - 8 * $0)) } + [UInt8](repeating: 0xa5, count: 24))
    }

    @Test func levelTwoTilesServeRootsProofsAndRestarts() throws {
        let size = Self.size
        let treeSize = UInt64(size)
        let leaves = (0..<size).map(Self.leaf)
        var appender = TreeAppender()
        var stored: [TileID: [Hash]] = [:]
        var start = 0
        for batch in [1, 255, 4_000, 30_000, 31_000, 280, size] {
            let end = min(start + batch, size)
            stored.merge(appender.append(Array(leaves[start..<end]))) { $1 }
            start = end
        }
        #expect(appender.size == treeSize)

        let root = MerkleTree.rootHash(leafHashes: leaves)
        #expect(appender.rootHash() == root)
        #expect(stored[TileID(level: 2, index: 0)]?.count == 1)
        #expect(stored[TileID(level: 1, index: 1)]?.count == 5)
        #expect(stored[TileID(level: 0, index: UInt64(size / 256))]?.count == 17)
        let wrong = TestTree.differences(stored, TestTree.tiles(of: leaves[...], layout: .standard))
        #expect(wrong.isEmpty, "stored tiles differ at \(wrong.prefix(5))")

        // Root and compact range from the right-edge tiles only.
        let edge = stored.filter { TiledProofs.tilesForRoot(treeSize: treeSize).contains($0.key) }
        #expect(edge.count == 3)
        #expect(try TiledProofs.rootHash(treeSize: treeSize, tiles: edge) == root)
        #expect(try TiledProofs.compactRange(treeSize: treeSize, tiles: edge) == appender.compactRange)

        for index in [0, 255, 256, 65_535, 65_536, 66_000, size - 1] {
            let needed = try TiledProofs.tilesForInclusion(index: UInt64(index), treeSize: treeSize)
            #expect(needed.count <= 6, "inclusion of \(index) reads \(needed.count) tiles")
            let proof = try TiledProofs.inclusionProof(
                index: UInt64(index), treeSize: treeSize, tiles: stored.filter { needed.contains($0.key) })
            #expect(throws: Never.self, "inclusion of \(index)") {
                try ProofVerifier.verifyInclusion(
                    leafHash: leaves[index], index: UInt64(index), treeSize: treeSize, proof: proof, root: root)
            }
            if index == 256 || index == 65_536 {
                #expect(proof == MerkleTree.inclusionProof(index: UInt64(index), leafHashes: leaves))
            }
        }

        // Just past the level-2 boundary, from the wider tiles of the full tree.
        let oldRoot = MerkleTree.rootHash(leafHashes: leaves.prefix(65_536))
        let pastBoundary = Hash.node(oldRoot, leaves[65_536])
        #expect(try TiledProofs.rootHash(treeSize: 65_537, tiles: stored) == pastBoundary)
        let proof = try TiledProofs.inclusionProof(index: 40_000, treeSize: 65_537, tiles: stored)
        try ProofVerifier.verifyInclusion(leafHash: leaves[40_000], index: 40_000, treeSize: 65_537, proof: proof, root: pastBoundary)

        for (oldSize, oldRoot) in [(65_536, oldRoot), (65_537, pastBoundary), (size - 1, MerkleTree.rootHash(leafHashes: leaves.dropLast()))] {
            let consistency = try TiledProofs.consistencyProof(oldSize: UInt64(oldSize), newSize: treeSize, tiles: stored)
            #expect(throws: Never.self, "consistency from \(oldSize)") {
                try ProofVerifier.verifyConsistency(
                    oldSize: UInt64(oldSize), newSize: treeSize, proof: consistency, oldRoot: oldRoot, newRoot: root)
            }
        }

        // A restart reads the three right-edge tiles and carries on exactly as the original.
        let restore = TreeAppender.tilesForRestore(treeSize: treeSize)
        #expect(restore == Set(edge.keys))
        var resumed = try TreeAppender(treeSize: treeSize, tiles: edge)
        #expect(resumed.rootHash() == root)
        let more = (size..<(size + 300)).map(Self.leaf)
        #expect(resumed.append(more) == appender.append(more))
        #expect(resumed.rootHash() == appender.rootHash())
    }
}
