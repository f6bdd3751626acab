/// Checks inclusion and consistency proofs received from a log (RFC 9162 sections 2.1.3.2
/// and 2.1.4.2, which verify the RFC 6962 proofs).
///
/// The RFC algorithms walk the proof bit by bit and discover a bad length at the end. These
/// first split the proof (see `PathShape`) into its *inner* part, the siblings below the
/// level where the proven node's path joins the tree's right edge, and its *border* part,
/// the left siblings above that level. They compute the same hashes, and know the expected
/// proof size before hashing anything.
public enum ProofVerifier {
    /// The root that `proof` leads to for `leafHash` at `index` in a tree of `treeSize`
    /// (RFC 9162 section 2.1.3.2 up to the final comparison).
    ///
    /// Throws `.invalidIndex` unless `index < treeSize`, `.invalidProof` for a proof of the wrong size.
    public static func rootFromInclusionProof(leafHash: Hash, index: UInt64, treeSize: UInt64, proof: [Hash]) throws -> Hash {
        guard index < treeSize else {
            throw MerkleError.invalidIndex("leaf index \(index) outside tree of size \(treeSize)")
        }
        let shape = PathShape(node: index, lastNode: treeSize - 1)
        guard proof.count == shape.count else {
            throw MerkleError.invalidProof(
                "wrong inclusion proof size \(proof.count), want \(shape.count) for index \(index) in tree size \(treeSize)")
        }
        var hash = leafHash
        for level in 0..<shape.inner {
            let sibling = proof[level]
            hash = (index >> level) & 1 == 0 ? .node(hash, sibling) : .node(sibling, hash)
        }
        for sibling in proof[shape.inner...] {
            hash = .node(sibling, hash)
        }
        return hash
    }

    /// Checks that `proof` shows `leafHash` at `index` in the tree of `treeSize` with `root`
    /// (RFC 9162 section 2.1.3.2).
    ///
    /// Throws `.invalidIndex` unless `index < treeSize`, `.invalidProof` when the proof has the
    /// wrong size or leads to another root.
    public static func verifyInclusion(leafHash: Hash, index: UInt64, treeSize: UInt64, proof: [Hash], root: Hash) throws {
        let computed = try rootFromInclusionProof(leafHash: leafHash, index: index, treeSize: treeSize, proof: proof)
        guard computed == root else {
            throw MerkleError.invalidProof(
                "inclusion proof for index \(index) leads to root \(computed), want \(root) at tree size \(treeSize)")
        }
    }

    /// Checks that the tree of `newSize` with `newRoot` extends the tree of `oldSize` with
    /// `oldRoot` (RFC 9162 section 2.1.4.2).
    ///
    /// Equal sizes need an empty proof and equal roots. Throws `.invalidSize` when `oldSize` is 0
    /// (nothing to prove) or exceeds `newSize`, `.invalidProof` when the proof has the wrong
    /// size or does not lead to both roots.
    public static func verifyConsistency(oldSize: UInt64, newSize: UInt64, proof: [Hash], oldRoot: Hash, newRoot: Hash) throws {
        guard oldSize > 0 else {
            throw MerkleError.invalidSize("consistency from tree size 0 proves nothing (new size \(newSize))")
        }
        guard oldSize <= newSize else {
            throw MerkleError.invalidSize("old tree size \(oldSize) is larger than new tree size \(newSize)")
        }
        if oldSize == newSize {
            guard proof.isEmpty else {
                throw MerkleError.invalidProof("wrong consistency proof size \(proof.count), want 0 for equal sizes \(oldSize)")
            }
            guard oldRoot == newRoot else {
                throw MerkleError.invalidProof("roots \(oldRoot) and \(newRoot) differ at equal tree sizes \(oldSize)")
            }
            return
        }

        // The old tree's smallest perfect subtree ends at oldSize; the proof is that subtree's
        // hash (omitted when it is the whole old tree, whose root the verifier has) and its path.
        let level = oldSize.trailingZeroBitCount
        let node = (oldSize - 1) >> level
        let shape = PathShape(node: node, lastNode: (newSize - 1) >> level)
        let seeded = node != 0
        let want = shape.count + (seeded ? 1 : 0)
        guard proof.count == want else {
            throw MerkleError.invalidProof(
                "wrong consistency proof size \(proof.count), want \(want) from tree size \(oldSize) to \(newSize)")
        }

        let path = proof[(seeded ? 1 : 0)...]
        let seed = seeded ? proof[0] : oldRoot
        var oldHash = seed
        var newHash = seed
        for (offset, sibling) in path.prefix(shape.inner).enumerated() {
            if (node >> offset) & 1 == 1 {
                oldHash = .node(sibling, oldHash)
                newHash = .node(sibling, newHash)
            } else {
                // A right sibling covers leaves the old tree did not have.
                newHash = .node(newHash, sibling)
            }
        }
        for sibling in path.dropFirst(shape.inner) {
            oldHash = .node(sibling, oldHash)
            newHash = .node(sibling, newHash)
        }
        guard oldHash == oldRoot else {
            throw MerkleError.invalidProof(
                "consistency proof leads to old root \(oldHash), want \(oldRoot) at tree size \(oldSize)")
        }
        guard newHash == newRoot else {
            throw MerkleError.invalidProof(
                "consistency proof leads to new root \(newHash), want \(newRoot) at tree size \(newSize)")
        }
    }
}
