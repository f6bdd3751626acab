/// A node of the binary tree over leaf positions: height `level`, covering leaves
/// `index << level ..< (index + 1) << level`.
///
/// In a tree of size n it is a perfect subtree (a complete subtree of RFC 9162 section 2.1.1)
/// when it covers no leaf at or past n, that is when `index < n >> level`.
struct NodeID: Hashable, Sendable {
    let level: Int
    let index: UInt64

    /// One word into the hasher, not two, as for `TileID`. The word is unique for every node
    /// whose index is below 2^58; nodes past that only share a hash value, which equality still
    /// tells apart.
    func hash(into hasher: inout Hasher) {
        hasher.combine(index &<< 6 | UInt64(level))
    }
}

/// One hash of a proof, named by what it covers: a perfect subtree, or the subtree over
/// `begin ..< end` at the right edge of a tree of size `end` that is too small to complete it.
enum ProofElement: Equatable, Sendable {
    case subtree(NodeID)
    case rightEdge(begin: UInt64, end: UInt64)

    /// The perfect subtrees whose hashes this element is computed from, largest (leftmost) first.
    var subtrees: [NodeID] {
        switch self {
        case .subtree(let node): [node]
        case .rightEdge(let begin, let end): ProofPlan.subtrees(from: begin, to: end)
        }
    }
}

/// Which hashes make up an RFC 6962 proof, from sizes and indices alone, in proof order.
///
/// The shapes are those `ProofVerifier` checks; tests hold them against `MerkleTree`, which
/// follows the recursive definitions of RFC 6962 section 2.1.
enum ProofPlan {
    /// The audit path of `node` in a tree of `treeSize`, node-side first: RFC 6962 PATH for a
    /// leaf (level 0), and the tail of a consistency proof for a larger subtree.
    ///
    /// Precondition: `node` is a perfect subtree of the tree.
    static func path(of node: NodeID, treeSize: UInt64) -> [ProofElement] {
        precondition(node.index < treeSize >> UInt64(node.level), "\(node) not a perfect subtree at size \(treeSize)")
        let shape = PathShape(node: node.index, lastNode: (treeSize - 1) >> UInt64(node.level))
        var elements: [ProofElement] = []
        elements.reserveCapacity(shape.count)
        for offset in 0..<shape.inner {
            let level = node.level + offset
            let sibling = (node.index >> UInt64(offset)) ^ 1
            if sibling < treeSize >> UInt64(level) {
                elements.append(.subtree(NodeID(level: level, index: sibling)))
            } else {
                let begin = sibling << UInt64(level)
                precondition(begin < treeSize, "empty sibling \(sibling) at level \(level), size \(treeSize)")
                elements.append(.rightEdge(begin: begin, end: treeSize))
            }
        }
        var level = node.level + shape.inner
        var ancestor = node.index >> UInt64(shape.inner)
        while ancestor != 0 {
            if ancestor & 1 == 1 {
                elements.append(.subtree(NodeID(level: level, index: ancestor - 1)))
            }
            ancestor >>= 1
            level += 1
        }
        precondition(elements.count == shape.count, "path of \(node) has \(elements.count) hashes, shape says \(shape.count)")
        return elements
    }

    /// RFC 6962 PROOF(m, D[n]) for `oldSize` m and `newSize` n: the old tree's smallest perfect
    /// subtree (left out when it is the whole old tree) followed by that subtree's audit path.
    ///
    /// Precondition: `0 < oldSize < newSize`.
    static func consistency(oldSize: UInt64, newSize: UInt64) -> [ProofElement] {
        precondition(oldSize > 0 && oldSize < newSize, "no consistency proof from \(oldSize) to \(newSize)")
        let level = oldSize.trailingZeroBitCount
        let node = NodeID(level: level, index: (oldSize - 1) >> UInt64(level))
        let path = path(of: node, treeSize: newSize)
        return node.index == 0 ? path : [.subtree(node)] + path
    }

    /// The perfect subtrees that exactly cover `begin ..< end`, largest first: the compact range
    /// of that span. For `begin` 0 they are the roots a tree of size `end` is folded from.
    ///
    /// Precondition: `begin <= end`, and `begin` is a multiple of the largest subtree, as it is
    /// for every range that starts at 0 or at the left edge of a right sibling.
    static func subtrees(from begin: UInt64, to end: UInt64) -> [NodeID] {
        var nodes: [NodeID] = []
        nodes.reserveCapacity(end > begin ? (end - begin).nonzeroBitCount : 0)
        forEachSubtree(from: begin, to: end) { nodes.append($0) }
        return nodes
    }

    /// Calls `body` with each of `subtrees(from:to:)`, in that order, without the array.
    static func forEachSubtree(from begin: UInt64, to end: UInt64, _ body: (NodeID) throws -> Void) rethrows {
        precondition(begin <= end, "range \(begin)..<\(end) is reversed")
        var start = begin
        var remaining = end - begin
        while remaining != 0 {
            let level = UInt64.bitWidth - 1 - remaining.leadingZeroBitCount
            let span = UInt64(1) << UInt64(level)
            precondition(start & (span - 1) == 0, "range \(begin)..<\(end) is not aligned at level \(level)")
            try body(NodeID(level: level, index: start >> UInt64(level)))
            start += span
            remaining -= span
        }
    }
}

/// How the path from a perfect subtree to the root splits, for `node` among the `lastNode + 1`
/// nodes of its height (the last of them possibly incomplete).
///
/// Below the height where the paths of `node` and `lastNode` meet (`inner` levels), the path has
/// a sibling at every level. Above it the path runs along the tree's right edge, where nothing
/// lies to the right, and has a sibling only where it is a right child: one for each set bit of
/// the remaining index (`border`).
struct PathShape {
    let inner: Int
    let border: Int

    init(node: UInt64, lastNode: UInt64) {
        precondition(node <= lastNode, "node \(node) past the last node \(lastNode)")
        inner = UInt64.bitWidth - (node ^ lastNode).leadingZeroBitCount
        border = (node >> UInt64(inner)).nonzeroBitCount
    }

    var count: Int { inner + border }
}
