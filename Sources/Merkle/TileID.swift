/// Names one tile of a tiled Merkle tree (C2SP tlog-tiles): tile `index` at tile `level`.
///
/// A level-L tile holds up to 256 consecutive hashes of tree level 8L: the tile
/// at level 0 index N holds the leaf hashes N*256 ..< N*256+256, and the tile at
/// level 1 index N holds the roots of the 256 level-0 tiles N*256 ..< N*256+256.
/// A tile is *full* when it holds 256 hashes and *partial* otherwise; a partial
/// tile only ever grows, and each prefix of a tile is that tile at a smaller tree size.
public struct TileID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Hashes per full tile.
    public static let width = 256
    /// Tree levels per tile level: log2(width).
    public static let height = 8

    public let level: Int
    public let index: UInt64

    public init(level: Int, index: UInt64) {
        precondition(level >= 0 && level < 8, "tile level \(level) out of range")
        self.level = level
        self.index = index
    }

    /// How many hashes this tile holds in a tree of `treeSize` leaves: 256 when full,
    /// 0 when the tile does not exist yet.
    public func width(inTreeOfSize treeSize: UInt64) -> Int {
        TileLayout.standard.width(of: self, treeSize: treeSize)
    }

    /// One word into the hasher, not two: proofs look tiles up by ID many times each. Levels are
    /// below 8 and indices below 2^61 in any tree that fits in 64 bits, so the word is unique.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(index &<< 3 | UInt64(level))
    }

    public static func < (lhs: TileID, rhs: TileID) -> Bool {
        (lhs.level, lhs.index) < (rhs.level, rhs.index)
    }

    public var description: String { "tile/\(level)/\(index)" }
}
