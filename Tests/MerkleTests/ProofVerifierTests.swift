import Merkle
import Testing

/// Reference proofs (RFC 6962 section 2.1) for every index and size pair of small trees verify
/// (RFC 9162 sections 2.1.3.2, 2.1.4.2), and every corruption of them fails.
@Suite struct ProofVerifierTests {
    static let maxSize = 33
    let leaves = TestTree.leaves(ProofVerifierTests.maxSize)
    let roots = (0...ProofVerifierTests.maxSize).map {
        MerkleTree.rootHash(leafHashes: TestTree.leaves($0))
    }

    @Test func everyReferenceInclusionProofVerifies() throws {
        for size in 1...Self.maxSize {
            let tree = Array(leaves.prefix(size))
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: UInt64(index), leafHashes: tree)
                #expect(throws: Never.self, "index \(index), size \(size)") {
                    try ProofVerifier.verifyInclusion(
                        leafHash: tree[index], index: UInt64(index), treeSize: UInt64(size), proof: proof, root: roots[size])
                }
            }
        }
    }

    @Test func everyCorruptedInclusionProofFails() {
        var tried = 0
        for size in 1...Self.maxSize {
            let tree = Array(leaves.prefix(size))
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: UInt64(index), leafHashes: tree)
                let honest = InclusionClaim(leaf: tree[index], index: index, size: size, proof: proof, root: roots[size])
                for (name, claim) in inclusionCorruptions(of: honest) {
                    tried += 1
                    expectMerkleError("\(name) of index \(index) in size \(size)") {
                        try ProofVerifier.verifyInclusion(
                            leafHash: claim.leaf, index: UInt64(claim.index), treeSize: UInt64(claim.size),
                            proof: claim.proof, root: claim.root)
                    }
                }
            }
        }
        #expect(tried > 5_000, "only \(tried) corruptions tried")
    }

    @Test func everyReferenceConsistencyProofVerifies() {
        for newSize in 1...Self.maxSize {
            let tree = Array(leaves.prefix(newSize))
            for oldSize in 1...newSize {
                let proof = MerkleTree.consistencyProof(oldSize: UInt64(oldSize), leafHashes: tree)
                #expect(throws: Never.self, "from \(oldSize) to \(newSize)") {
                    try ProofVerifier.verifyConsistency(
                        oldSize: UInt64(oldSize), newSize: UInt64(newSize), proof: proof,
                        oldRoot: roots[oldSize], newRoot: roots[newSize])
                }
            }
        }
    }

    @Test func everyCorruptedConsistencyProofFails() {
        var tried = 0
        for newSize in 1...Self.maxSize {
            let tree = Array(leaves.prefix(newSize))
            for oldSize in 1...newSize {
                let proof = MerkleTree.consistencyProof(oldSize: UInt64(oldSize), leafHashes: tree)
                let honest = ConsistencyClaim(oldSize: oldSize, newSize: newSize, proof: proof,
                                              oldRoot: roots[oldSize], newRoot: roots[newSize])
                for (name, claim) in consistencyCorruptions(of: honest) {
                    tried += 1
                    expectMerkleError("\(name) from \(oldSize) to \(newSize)") {
                        try ProofVerifier.verifyConsistency(
                            oldSize: UInt64(claim.oldSize), newSize: UInt64(claim.newSize), proof: claim.proof,
                            oldRoot: claim.oldRoot, newRoot: claim.newRoot)
                    }
                }
            }
        }
        #expect(tried > 5_000, "only \(tried) corruptions tried")
    }

    @Test func sizeAndIndexRules() {
        let leaf = leaves[0]
        #expect(throws: MerkleError(.invalidIndex, "")) {
            try ProofVerifier.rootFromInclusionProof(leafHash: leaf, index: 0, treeSize: 0, proof: [])
        }
        #expect(throws: MerkleError(.invalidIndex, "")) {
            try ProofVerifier.rootFromInclusionProof(leafHash: leaf, index: 5, treeSize: 5, proof: [leaf, leaf, leaf])
        }
        #expect(throws: MerkleError(.invalidIndex, "")) {
            try ProofVerifier.rootFromInclusionProof(leafHash: leaf, index: .max, treeSize: 8, proof: [leaf, leaf, leaf])
        }
        #expect(throws: MerkleError(.invalidProof, "")) {
            try ProofVerifier.rootFromInclusionProof(leafHash: leaf, index: 0, treeSize: 8, proof: [leaf, leaf])
        }
        #expect(throws: MerkleError(.invalidSize, "")) {
            try ProofVerifier.verifyConsistency(oldSize: 0, newSize: 0, proof: [], oldRoot: .emptyTree, newRoot: .emptyTree)
        }
        #expect(throws: MerkleError(.invalidSize, "")) {
            try ProofVerifier.verifyConsistency(oldSize: 0, newSize: 3, proof: [], oldRoot: .emptyTree, newRoot: roots[3])
        }
        #expect(throws: MerkleError(.invalidSize, "")) {
            try ProofVerifier.verifyConsistency(oldSize: 4, newSize: 3, proof: [], oldRoot: roots[4], newRoot: roots[3])
        }
        #expect(throws: Never.self) {
            try ProofVerifier.verifyConsistency(oldSize: 7, newSize: 7, proof: [], oldRoot: roots[7], newRoot: roots[7])
        }
        #expect(throws: MerkleError(.invalidProof, "")) {
            try ProofVerifier.verifyConsistency(oldSize: 7, newSize: 7, proof: [leaf], oldRoot: roots[7], newRoot: roots[7])
        }
        #expect(throws: MerkleError(.invalidProof, "")) {
            try ProofVerifier.verifyConsistency(oldSize: 7, newSize: 7, proof: [], oldRoot: roots[7], newRoot: roots[6])
        }
    }

    @Test func messagesCarryTheNumbers() {
        do {
            try ProofVerifier.verifyInclusion(leafHash: leaves[0], index: 0, treeSize: 8, proof: [leaves[1]], root: roots[8])
            Issue.record("a one-hash proof in a tree of 8 verified")
        } catch let error as MerkleError {
            #expect(error.message.contains("wrong inclusion proof size 1, want 3"), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    // MARK: Corruptions

    struct InclusionClaim {
        var leaf: Hash
        var index: Int
        var size: Int
        var proof: [Hash]
        var root: Hash
    }

    struct ConsistencyClaim {
        var oldSize: Int
        var newSize: Int
        var proof: [Hash]
        var oldRoot: Hash
        var newRoot: Hash
    }

    /// Every way to get an honest inclusion claim wrong. A wrong size is claimed with the true
    /// root of that size: with the honest root, a size of the same proof shape would verify,
    /// since the proof does not bind the size beyond its shape.
    func inclusionCorruptions(of honest: InclusionClaim) -> [(String, InclusionClaim)] {
        var claims: [(String, InclusionClaim)] = []
        func add(_ name: String, _ change: (inout InclusionClaim) -> Void) {
            var claim = honest
            change(&claim)
            claims.append((name, claim))
        }
        for (name, proof) in proofCorruptions(honest.proof, seed: honest.index, extras: [honest.leaf, honest.root]) {
            add(name) { $0.proof = proof }
        }
        add("leaf flipped") { $0.leaf = flipped($0.leaf, bit: 3) }
        add("root flipped") { $0.root = flipped($0.root, bit: 200) }
        add("root of another size") { $0.root = roots[$0.size == 1 ? 2 : $0.size - 1] }
        if honest.size > 1 {
            add("root as leaf") { $0.leaf = $0.root }
        }
        for index in Set([honest.index - 1, honest.index + 1, honest.index ^ 1, honest.index ^ 2, honest.index + 16, honest.size, -1])
        where index != honest.index && index >= 0 && index < leaves.count {
            add("index \(index) for the same leaf") { $0.index = index }
            add("index \(index) with its own leaf") { $0.index = index; $0.leaf = leaves[index] }
        }
        for size in Set([honest.size - 1, honest.size + 1, honest.size + 2, honest.size * 2, honest.size / 2, 1])
        where size != honest.size && size > honest.index && size <= Self.maxSize {
            add("size \(size) with its root") { $0.size = size; $0.root = roots[size] }
        }
        return claims
    }

    /// The proof with one hash flipped, removed or duplicated, with each of `extras` added at
    /// either end, and reversed.
    func proofCorruptions(_ proof: [Hash], seed: Int, extras: [Hash]) -> [(String, [Hash])] {
        var proofs: [(String, [Hash])] = []
        for position in proof.indices {
            let bit = (position * 37 + seed) % 256
            var changed = proof
            changed[position] = flipped(proof[position], bit: bit)
            proofs.append(("bit \(bit) of hash \(position) flipped", changed))
            changed = proof
            changed.remove(at: position)
            proofs.append(("hash \(position) removed", changed))
            changed = proof
            changed.insert(proof[position], at: position)
            proofs.append(("hash \(position) duplicated", changed))
        }
        for (number, extra) in extras.enumerated() {
            proofs.append(("extra hash \(number) appended", proof + [extra]))
            proofs.append(("extra hash \(number) prepended", [extra] + proof))
        }
        if proof.count > 1 {
            proofs.append(("proof reversed", proof.reversed()))
        }
        return proofs
    }

    /// Every way to get an honest consistency claim wrong; sizes are claimed with their true roots.
    func consistencyCorruptions(of honest: ConsistencyClaim) -> [(String, ConsistencyClaim)] {
        var claims: [(String, ConsistencyClaim)] = []
        func add(_ name: String, _ change: (inout ConsistencyClaim) -> Void) {
            var claim = honest
            change(&claim)
            claims.append((name, claim))
        }
        for (name, proof) in proofCorruptions(honest.proof, seed: honest.oldSize, extras: [honest.oldRoot, honest.newRoot]) {
            add(name) { $0.proof = proof }
        }
        add("old root flipped") { $0.oldRoot = flipped($0.oldRoot, bit: 9) }
        add("new root flipped") { $0.newRoot = flipped($0.newRoot, bit: 250) }
        if honest.oldSize != honest.newSize {
            add("roots swapped") { swap(&$0.oldRoot, &$0.newRoot) }
            add("new root for both") { $0.oldRoot = $0.newRoot }
        }
        for size in Set([honest.oldSize - 1, honest.oldSize + 1, honest.oldSize * 2, honest.oldSize / 2, honest.newSize, 0])
        where size != honest.oldSize && size >= 0 && size <= honest.newSize {
            add("old size \(size) with its root") { $0.oldSize = size; $0.oldRoot = roots[size] }
        }
        for size in Set([honest.newSize - 1, honest.newSize + 1, honest.newSize * 2, honest.oldSize, honest.oldSize - 1])
        where size != honest.newSize && size >= 0 && size <= Self.maxSize {
            add("new size \(size) with its root") { $0.newSize = size; $0.newRoot = roots[size] }
        }
        return claims
    }
}

func flipped(_ hash: Hash, bit: Int) -> Hash {
    var bytes = hash.bytes
    bytes[bit / 8] ^= 1 << UInt8(bit % 8)
    return Hash(bytes)
}

/// Records an issue unless `body` throws a `MerkleError`: `#expect(throws:)` for loops of
/// thousands of cases, where the macro's own bookkeeping would dominate.
func expectMerkleError(
    _ comment: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("\(comment()): no error, want a MerkleError", sourceLocation: sourceLocation)
    } catch is MerkleError {
    } catch {
        Issue.record("\(comment()): \(error), want a MerkleError", sourceLocation: sourceLocation)
    }
}
