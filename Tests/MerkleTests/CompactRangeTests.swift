import Merkle
import Testing

@Suite struct CompactRangeTests {
    @Test func rootsMatchTheReference() {
        let leaves = TestTree.leaves(300)
        var range = CompactRange()
        for size in 0...leaves.count {
            #expect(range.size == UInt64(size))
            #expect(range.hashes.count == size.nonzeroBitCount)
            #expect(range.rootHash() == MerkleTree.rootHash(leafHashes: leaves.prefix(size)), "size \(size)")
            if size < leaves.count { range.append(leaves[size]) }
        }
    }

    @Test func hashesAreThePerfectSubtreesLargestFirst() throws {
        let leaves = TestTree.leaves(45)  // 32 + 8 + 4 + 1
        var range = CompactRange()
        for leaf in leaves { range.append(leaf) }
        #expect(range.hashes == [
            MerkleTree.rootHash(leafHashes: leaves[0..<32]),
            MerkleTree.rootHash(leafHashes: leaves[32..<40]),
            MerkleTree.rootHash(leafHashes: leaves[40..<44]),
            leaves[44],
        ])
        #expect(try CompactRange(size: 45, hashes: range.hashes) == range)
    }

    /// The visitor sees the leaf and then every perfect subtree the leaf completes, bottom up.
    @Test func appendVisitsEveryCompletedSubtree() {
        let leaves = TestTree.leaves(70)
        var range = CompactRange()
        for (position, leaf) in leaves.enumerated() {
            var visited: [String] = []
            range.append(leaf) { level, index, hash in
                let first = Int(index) << level
                let want = MerkleTree.rootHash(leafHashes: leaves[first..<(first + 1 << level)])
                visited.append("\(level)/\(index)\(hash == want ? "" : " wrong hash")")
            }
            let size = position + 1
            var want: [String] = []
            var level = 0
            while level == 0 || size % (1 << level) == 0 {
                want.append("\(level)/\(position >> level)")
                level += 1
            }
            #expect(visited == want, "appending leaf \(position)")
        }
    }

    @Test func hashCountMustFitTheSize() throws {
        let hash = TestTree.leaf(0)
        #expect(throws: MerkleError(.invalidRange, "")) { try CompactRange(size: 5, hashes: [hash]) }
        #expect(throws: MerkleError(.invalidRange, "")) { try CompactRange(size: 0, hashes: [hash]) }
        #expect(throws: MerkleError(.invalidRange, "")) { try CompactRange(size: 4, hashes: [hash, hash]) }
        #expect(throws: Never.self) { try CompactRange(size: 4, hashes: [hash]) }
        #expect(try CompactRange(size: 0, hashes: []) == CompactRange())
    }
}
