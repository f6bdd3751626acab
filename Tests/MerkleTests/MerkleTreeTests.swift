import Foundation
@testable import Merkle
import Testing
import TestSupport

/// The RFC 6962 example tree of vectors/merkle: 8 leaf inputs and the root at every size 0...8.
enum RFC6962Example {
    struct File: Decodable {
        let leaf_inputs_hex: [String]
        let root_hash_by_tree_size_hex: [String]
    }

    struct Malformed: Error {}

    static func file(_ folder: URL) throws -> File {
        try JSONDecoder().decode(File.self, from: Data(contentsOf: folder.appendingPathComponent("rfc6962-8leaf.json")))
    }

    static func leafHashes(_ folder: URL) throws -> [Hash] {
        try file(folder).leaf_inputs_hex.map { hex in
            guard let input = TestTree.bytes(hex: hex) else { throw Malformed() }
            return Hash.leaf(input)
        }
    }

    static func roots(_ folder: URL) throws -> [Hash] {
        try file(folder).root_hash_by_tree_size_hex.map { hex in
            guard let bytes = TestTree.bytes(hex: hex), let hash = Hash(checking: bytes) else { throw Malformed() }
            return hash
        }
    }
}

@Suite struct MerkleTreeTests {
    @Test func exampleRootsAtEverySize() throws {
        guard let folder = Vectors.folder("merkle") else { return }
        let leaves = try RFC6962Example.leafHashes(folder)
        let roots = try RFC6962Example.roots(folder)
        try #require(leaves.count == 8 && roots.count == 9)

        var range = CompactRange()
        var appender = TreeAppender()
        var tiles: [TileID: [Hash]] = [:]
        for size in 0...8 {
            #expect(MerkleTree.rootHash(leafHashes: leaves.prefix(size)) == roots[size], "MerkleTree at size \(size)")
            #expect(range.rootHash() == roots[size], "CompactRange at size \(size)")
            #expect(appender.rootHash() == roots[size], "TreeAppender at size \(size)")
            #expect(try TiledProofs.rootHash(treeSize: UInt64(size), tiles: tiles) == roots[size], "tiles at size \(size)")
            guard size < 8 else { break }
            range.append(leaves[size])
            tiles.merge(appender.append([leaves[size]])) { $1 }
        }
    }

    @Test func emptyTreeIsTheHashOfNothing() {
        #expect(Hash.emptyTree.description == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleTree.rootHash(leafHashes: [Hash]()) == .emptyTree)
    }

    /// RFC 6962 section 2.1.3: the 7-leaf example tree, its audit paths and its consistency
    /// proofs, named as in the RFC's figures.
    @Test func rfc6962SevenLeafExample() {
        let leaves = TestTree.leaves(7)
        let (a, b, c, d, e, f, j) = (leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], leaves[6])
        let g = Hash.node(a, b), h = Hash.node(c, d), i = Hash.node(e, f)
        let k = Hash.node(g, h), l = Hash.node(i, j)
        #expect(MerkleTree.rootHash(leafHashes: leaves) == .node(k, l))

        #expect(MerkleTree.inclusionProof(index: 0, leafHashes: leaves) == [b, h, l])
        #expect(MerkleTree.inclusionProof(index: 3, leafHashes: leaves) == [c, g, l])
        #expect(MerkleTree.inclusionProof(index: 4, leafHashes: leaves) == [f, j, k])
        #expect(MerkleTree.inclusionProof(index: 6, leafHashes: leaves) == [i, k])

        #expect(MerkleTree.consistencyProof(oldSize: 3, leafHashes: leaves) == [c, d, g, l])
        #expect(MerkleTree.consistencyProof(oldSize: 4, leafHashes: leaves) == [l])
        #expect(MerkleTree.consistencyProof(oldSize: 6, leafHashes: leaves) == [i, j, k])
        #expect(MerkleTree.consistencyProof(oldSize: 7, leafHashes: leaves) == [])
    }

    @Test func splitIsTheLargestPowerOfTwoBelow() {
        for count in 2...300 {
            let k = MerkleTree.split(count)
            #expect(k.nonzeroBitCount == 1 && k < count && 2 * k >= count, "split(\(count)) = \(k)")
        }
    }
}
