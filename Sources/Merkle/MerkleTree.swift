/// The Merkle Tree Hash, audit paths and consistency proofs exactly as RFC 6962 section 2.1
/// defines them: recursive, O(n) in the number of leaves, with no tiles and no shortcuts.
///
/// The log never serves from these; they are the reference that tests and tools hold
/// the tiled computations against. Inputs are leaf hashes (`Hash.leaf` of each entry),
/// so MTH of a one-element list is that element.
public enum MerkleTree {
    /// MTH(D[n]) of RFC 6962 section 2.1: `Hash.emptyTree` for no leaves, the leaf hash
    /// itself for one, and otherwise the node over the first k and the remaining n - k leaves,
    /// k being the largest power of two smaller than n.
    public static func rootHash(leafHashes: some Collection<Hash>) -> Hash {
        treeHash(Array(leafHashes)[...])
    }

    /// PATH(m, D[n]) of RFC 6962 section 2.1.1: the audit path of leaf `index`, leaf-side first.
    ///
    /// Precondition: `index < leafHashes.count`.
    public static func inclusionProof(index: UInt64, leafHashes: [Hash]) -> [Hash] {
        precondition(index < UInt64(leafHashes.count), "index \(index) outside tree of size \(leafHashes.count)")
        var proof: [Hash] = []
        path(Int(index), leafHashes[...], into: &proof)
        return proof
    }

    /// PROOF(m, D[n]) of RFC 6962 section 2.1.2, m being `oldSize` and n `leafHashes.count`:
    /// empty when m == n.
    ///
    /// Precondition: `0 < oldSize <= leafHashes.count` (RFC 6962 defines no proof from the empty tree).
    public static func consistencyProof(oldSize: UInt64, leafHashes: [Hash]) -> [Hash] {
        precondition(oldSize > 0 && oldSize <= UInt64(leafHashes.count),
                     "old size \(oldSize) outside 1...\(leafHashes.count)")
        var proof: [Hash] = []
        subproof(Int(oldSize), leafHashes[...], complete: true, into: &proof)
        return proof
    }

    /// The largest power of two smaller than `count`; `count` > 1.
    static func split(_ count: Int) -> Int {
        precondition(count > 1, "no split of \(count) leaves")
        return 1 << (Int.bitWidth - 1 - (count - 1).leadingZeroBitCount)
    }

    private static func treeHash(_ leaves: ArraySlice<Hash>) -> Hash {
        switch leaves.count {
        case 0: return .emptyTree
        case 1: return leaves[leaves.startIndex]
        default:
            let k = split(leaves.count)
            return .node(treeHash(leaves.prefix(k)), treeHash(leaves.dropFirst(k)))
        }
    }

    /// PATH(m, D[n]), appending so the leaf-side hash comes first.
    private static func path(_ m: Int, _ leaves: ArraySlice<Hash>, into proof: inout [Hash]) {
        guard leaves.count > 1 else { return }
        let k = split(leaves.count)
        if m < k {
            path(m, leaves.prefix(k), into: &proof)
            proof.append(treeHash(leaves.dropFirst(k)))
        } else {
            path(m - k, leaves.dropFirst(k), into: &proof)
            proof.append(treeHash(leaves.prefix(k)))
        }
    }

    /// SUBPROOF(m, D[n], b), with `complete` as b: whether D[m] is the whole old tree,
    /// whose root the verifier already has.
    private static func subproof(_ m: Int, _ leaves: ArraySlice<Hash>, complete: Bool, into proof: inout [Hash]) {
        if m == leaves.count {
            if !complete { proof.append(treeHash(leaves)) }
            return
        }
        let k = split(leaves.count)
        if m <= k {
            subproof(m, leaves.prefix(k), complete: complete, into: &proof)
            proof.append(treeHash(leaves.dropFirst(k)))
        } else {
            subproof(m - k, leaves.dropFirst(k), complete: false, into: &proof)
            proof.append(treeHash(leaves.prefix(k)))
        }
    }
}
