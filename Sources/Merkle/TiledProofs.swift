/// Proofs and roots computed from stored tiles (C2SP tlog-tiles), in two phases so that the
/// caller does the I/O: ask which tiles a computation needs, fetch them, then compute.
///
/// Every computation reads O(log n) tiles: at most a few per tile level, along the proven
/// node's path and the tree's right edge. A fetched tile may be wider than at `treeSize`
/// (the log grew since); only the prefix valid at `treeSize` is read. A needed tile that is
/// absent from `tiles` or too short throws `.missingTile`.
public enum TiledProofs {
    /// The tiles `inclusionProof(index:treeSize:tiles:)` reads.
    ///
    /// Throws `.invalidIndex` unless `index < treeSize`.
    public static func tilesForInclusion(index: UInt64, treeSize: UInt64) throws -> Set<TileID> {
        try tilesForInclusion(index: index, treeSize: treeSize, layout: .standard)
    }

    /// The audit path of leaf `index` in the tree of `treeSize` (RFC 6962 section 2.1.1), as
    /// `ProofVerifier.verifyInclusion` takes it.
    ///
    /// Throws `.invalidIndex` unless `index < treeSize`, `.missingTile` for an absent or short tile.
    /// `cache`, one per tree, keeps the upper subtrees' hashes for later proofs (`SubtreeCache`).
    /// `innerNodes`, by level-0 tile index, are stored inner nodes of full tiles
    /// (`innerNodes(ofFullTile:)`), used instead of hashing up from those tiles' rows.
    public static func inclusionProof(index: UInt64, treeSize: UInt64, tiles: [TileID: [Hash]],
                                      cache: SubtreeCache? = nil, innerNodes: [UInt64: [Hash]] = [:]) throws -> [Hash] {
        try inclusionProof(index: index, treeSize: treeSize, tiles: tiles, layout: .standard, cache: cache, innerNodes: innerNodes)
    }

    /// The tiles `consistencyProof(oldSize:newSize:tiles:)` reads; none for equal sizes.
    ///
    /// Throws `.invalidSize` unless `0 < oldSize <= newSize`.
    public static func tilesForConsistency(oldSize: UInt64, newSize: UInt64) throws -> Set<TileID> {
        try tilesForConsistency(oldSize: oldSize, newSize: newSize, layout: .standard)
    }

    /// The consistency proof from the tree of `oldSize` to the tree of `newSize` (RFC 6962
    /// section 2.1.2), as `ProofVerifier.verifyConsistency` takes it; empty for equal sizes.
    ///
    /// Throws `.invalidSize` unless `0 < oldSize <= newSize`, `.missingTile` for an absent or short tile.
    /// `cache`, one per tree, keeps the upper subtrees' hashes for later proofs (`SubtreeCache`).
    /// `innerNodes` as for `inclusionProof`.
    public static func consistencyProof(oldSize: UInt64, newSize: UInt64, tiles: [TileID: [Hash]],
                                        cache: SubtreeCache? = nil, innerNodes: [UInt64: [Hash]] = [:]) throws -> [Hash] {
        try consistencyProof(oldSize: oldSize, newSize: newSize, tiles: tiles, layout: .standard, cache: cache,
                             innerNodes: innerNodes)
    }

    /// How many inner nodes a full level-0 tile has (30: its subtrees of 16, 32, 64 and 128 leaves).
    public static var innerNodeCount: Int { TileLayout.standard.innerNodeCount }

    /// The inner nodes of a full level-0 tile, from its 256 leaf hashes: the roots of its
    /// subtrees of 16, 32, 64 and 128 leaves, in that order, each left to right. Stored beside
    /// the tile, they spare a proof all but 11 of the 247 node hashes inside it.
    public static func innerNodes(ofFullTile row: [Hash]) -> [Hash] {
        TileLayout.standard.innerNodes(ofFullTile: row)
    }

    /// The tiles `rootHash(treeSize:tiles:)` and `compactRange(treeSize:tiles:)` read: the
    /// partial tile at the right edge of every tile level; none for size 0.
    public static func tilesForRoot(treeSize: UInt64) -> Set<TileID> {
        tilesForRoot(treeSize: treeSize, layout: .standard)
    }

    /// MTH of the tree of `treeSize` (RFC 6962 section 2.1); `Hash.emptyTree` for size 0.
    ///
    /// Throws `.missingTile` for an absent or short tile.
    public static func rootHash(treeSize: UInt64, tiles: [TileID: [Hash]]) throws -> Hash {
        try rootHash(treeSize: treeSize, tiles: tiles, layout: .standard)
    }

    /// The compact range of the tree of `treeSize`, from the tiles of `tilesForRoot(treeSize:)`.
    ///
    /// Throws `.missingTile` for an absent or short tile.
    public static func compactRange(treeSize: UInt64, tiles: [TileID: [Hash]]) throws -> CompactRange {
        try compactRange(treeSize: treeSize, tiles: tiles, layout: .standard)
    }
}

// The same computations for any tile layout.
extension TiledProofs {
    static func tilesForInclusion(index: UInt64, treeSize: UInt64, layout: TileLayout) throws -> Set<TileID> {
        Set(try InclusionPlan(index: index, treeSize: treeSize, layout: layout).tiles)
    }

    static func inclusionProof(index: UInt64, treeSize: UInt64, tiles: [TileID: [Hash]], layout: TileLayout,
                               cache: SubtreeCache? = nil, innerNodes: [UInt64: [Hash]] = [:]) throws -> [Hash] {
        try InclusionPlan(index: index, treeSize: treeSize, layout: layout).proof(tiles: tiles, cache: cache, innerNodes: innerNodes)
    }

    static func tilesForConsistency(oldSize: UInt64, newSize: UInt64, layout: TileLayout) throws -> Set<TileID> {
        Set(layout.tiles(for: try consistencyPlan(oldSize: oldSize, newSize: newSize)))
    }

    static func consistencyProof(oldSize: UInt64, newSize: UInt64, tiles: [TileID: [Hash]], layout: TileLayout,
                                 cache: SubtreeCache? = nil, innerNodes: [UInt64: [Hash]] = [:]) throws -> [Hash] {
        try consistencyPlan(oldSize: oldSize, newSize: newSize).map {
            try layout.hash(of: $0, tiles: tiles, cache: cache, innerNodes: innerNodes)
        }
    }

    static func tilesForRoot(treeSize: UInt64, layout: TileLayout) -> Set<TileID> {
        Set(ProofPlan.subtrees(from: 0, to: treeSize).map { layout.location(of: $0).tile })
    }

    static func rootHash(treeSize: UInt64, tiles: [TileID: [Hash]], layout: TileLayout) throws -> Hash {
        try compactRange(treeSize: treeSize, tiles: tiles, layout: layout).rootHash()
    }

    static func compactRange(treeSize: UInt64, tiles: [TileID: [Hash]], layout: TileLayout) throws -> CompactRange {
        let hashes = try ProofPlan.subtrees(from: 0, to: treeSize).map { try layout.hash(of: $0, tiles: tiles) }
        return CompactRange(size: treeSize, subtreeHashes: hashes)
    }

    private static func consistencyPlan(oldSize: UInt64, newSize: UInt64) throws -> [ProofElement] {
        guard oldSize > 0 else {
            throw MerkleError.invalidSize("no consistency proof from tree size 0 (new size \(newSize))")
        }
        guard oldSize <= newSize else {
            throw MerkleError.invalidSize("old tree size \(oldSize) is larger than new tree size \(newSize)")
        }
        return oldSize == newSize ? [] : ProofPlan.consistency(oldSize: oldSize, newSize: newSize)
    }
}
