/// The right edge of a tree [0, size): the roots of its perfect subtrees, largest first.
///
/// A tree of size n is the fold of one perfect subtree per set bit of n, so `hashes` holds
/// `size.nonzeroBitCount` hashes, and appending a leaf merges the trailing subtrees of equal
/// height, as in binary addition. This is all the state needed to extend the tree and compute
/// its root (RFC 6962 section 2.1).
public struct CompactRange: Sendable, Equatable {
    /// The number of leaves covered.
    public private(set) var size: UInt64
    /// The perfect subtree roots, largest (leftmost) first: the subtree for bit b of `size`
    /// covers 2^b leaves.
    public private(set) var hashes: [Hash]

    /// The empty tree.
    public init() {
        size = 0
        hashes = []
    }

    /// A tree of `size` leaves with the given subtree roots, largest first.
    ///
    /// Throws `.invalidRange` unless `hashes.count == size.nonzeroBitCount`.
    public init(size: UInt64, hashes: [Hash]) throws {
        guard hashes.count == size.nonzeroBitCount else {
            throw MerkleError.invalidRange(
                "compact range of size \(size) has \(hashes.count) hashes, want \(size.nonzeroBitCount)")
        }
        self.init(size: size, subtreeHashes: hashes)
    }

    /// A tree whose hashes fit its size by construction.
    ///
    /// Precondition: `hashes.count == size.nonzeroBitCount`.
    init(size: UInt64, subtreeHashes hashes: [Hash]) {
        precondition(hashes.count == size.nonzeroBitCount, "\(hashes.count) subtree hashes for size \(size)")
        self.size = size
        self.hashes = hashes
    }

    /// Extends the tree by one leaf.
    ///
    /// `visit` is called with (level, index, hash) for the leaf itself (level 0, index the old
    /// size) and then for every perfect subtree it completes, bottom up: the node at `level`
    /// covering leaves `index << level ..< (index + 1) << level`.
    /// Precondition: `size < UInt64.max`.
    public mutating func append(
        _ leafHash: Hash,
        visit: (_ level: Int, _ index: UInt64, _ hash: Hash) -> Void = { _, _, _ in }
    ) {
        precondition(size < UInt64.max, "compact range is full")
        visit(0, size, leafHash)
        var hash = leafHash
        var level = 0
        // Each trailing one bit of the old size is a subtree as high as the one being built.
        while (size >> UInt64(level)) & 1 == 1 {
            hash = .node(hashes.removeLast(), hash)
            level += 1
            visit(level, size >> UInt64(level), hash)
        }
        hashes.append(hash)
        size += 1
    }

    /// MTH of the tree (RFC 6962 section 2.1): `Hash.emptyTree` for size 0, else the subtree
    /// roots folded from the right.
    public func rootHash() -> Hash {
        CompactRange.fold(hashes)
    }

    /// The root over consecutive perfect subtrees given largest first, folded from the right;
    /// `Hash.emptyTree` for none.
    static func fold(_ subtrees: some BidirectionalCollection<Hash>) -> Hash {
        guard var hash = subtrees.last else { return .emptyTree }
        for left in subtrees.dropLast().reversed() {
            hash = .node(left, hash)
        }
        return hash
    }
}
