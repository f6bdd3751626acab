import Merkle

/// Every RFC 6962 reference proof (`MerkleTree`) of the trees of the given sizes over the
/// synthetic leaves: computed once, then shared by the tests that hold other code against them.
struct ReferenceProofs: Sendable {
    let leaves: [Hash]
    /// The root of every size 0...leaves.count.
    let roots: [Hash]
    /// By tree size: the audit path of every index.
    let inclusion: [Int: [[Hash]]]
    /// By tree size n: the consistency proof from every old size 1...n, at position old size - 1.
    let consistency: [Int: [[Hash]]]

    init(sizes: [Int]) {
        let maxSize = sizes.max() ?? 0
        let leaves = TestTree.leaves(maxSize)
        self.leaves = leaves
        roots = (0...maxSize).map { MerkleTree.rootHash(leafHashes: leaves.prefix($0)) }
        var inclusion: [Int: [[Hash]]] = [:]
        var consistency: [Int: [[Hash]]] = [:]
        for size in sizes {
            let tree = Array(leaves.prefix(size))
            inclusion[size] = (0..<UInt64(size)).map { MerkleTree.inclusionProof(index: $0, leafHashes: tree) }
            consistency[size] = (1...UInt64(size)).map { MerkleTree.consistencyProof(oldSize: $0, leafHashes: tree) }
        }
        self.inclusion = inclusion
        self.consistency = consistency
    }

    /// Every size up to 70: a few dozen leaves fill several tile levels of small tiles.
    static let small = ReferenceProofs(sizes: Array(1...70))
    /// Around and past the first boundary of standard 256-hash tiles.
    static let tileBoundary = ReferenceProofs(sizes: [255, 256, 257, 300])
}
