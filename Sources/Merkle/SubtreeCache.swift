import PKI

/// Hashes of perfect subtrees already computed from one tree's tiles, for the proofs that
/// need them again.
///
/// Tiles store every eighth tree level, so a proof hashes each sibling up from its tile row:
/// up to 255 node hashes per tile level. A perfect subtree never changes once the tree holds
/// it (the tree is append-only), so its hash, once computed, serves every later proof at any
/// tree size. Only subtrees worth keeping are kept: those whose row holds at least
/// `smallestRow` hashes, in tiles at `lowestTileLevel` or above, where few nodes are reused by
/// many proofs, and in partial tiles at any level: the tree's right edge, which the proof of
/// every older leaf reads (a partial level-0 tile has no stored inner nodes). Bounded: when
/// full it is emptied and refills.
///
/// One cache serves one tree: node positions mean nothing across trees.
public final class SubtreeCache: Sendable {
    public let smallestRow: Int
    public let lowestTileLevel: Int
    private let hashes: BoundedCache<NodeID, Hash>

    /// The defaults keep every subtree (rows of 2 to 128 hashes) of every tile above level 0,
    /// so a proof hashes only inside its level-0 tile: for a tree of 10,000,000 leaves about
    /// 39,000 hashes (2.5 MB). The capacity holds them for the upper tiles of a tree of up to
    /// 67 million leaves, the trees whose upper tiles `ProofTileCache` keeps (16 MB when full).
    public init(capacity: Int = 1 << 18, smallestRow: Int = 2, lowestTileLevel: Int = 1) {
        precondition(capacity > 0 && smallestRow >= 2 && lowestTileLevel >= 0,
                     "cache of \(capacity) from rows of \(smallestRow) at tile level \(lowestTileLevel)")
        hashes = BoundedCache(capacity: capacity)
        self.smallestRow = smallestRow
        self.lowestTileLevel = lowestTileLevel
    }

    public var capacity: Int { hashes.capacity }

    /// How many subtree hashes are kept now.
    public var count: Int { hashes.count }

    /// The hash of `node`, whose row of `rowCount` hashes sits in a tile of `tileLevel`, partial
    /// or full: kept, or computed by `compute` (and kept if worth it).
    func hash(of node: NodeID, rowCount: Int, tileLevel: Int, partialTile: Bool,
              _ compute: () throws -> Hash) rethrows -> Hash {
        guard rowCount >= smallestRow, tileLevel >= lowestTileLevel || partialTile else { return try compute() }
        return try hashes.value(for: node, compute)
    }
}
