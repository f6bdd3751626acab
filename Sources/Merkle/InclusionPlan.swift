/// An inclusion proof planned from the leaf index and tree size alone: the tiles it reads, and
/// the proof computed once they are read. Planning once spares a proof the second walk of its
/// path that asking `TiledProofs.tilesForInclusion` and then `TiledProofs.inclusionProof` takes.
public struct InclusionPlan: Sendable {
    public let index: UInt64
    public let treeSize: UInt64
    /// The tiles `proof(tiles:cache:innerNodes:)` reads, each once, in the order the path
    /// first reaches them (leaf side first).
    public let tiles: [TileID]
    private let elements: [ProofElement]
    private let layout: TileLayout

    /// Throws `.invalidIndex` unless `index < treeSize`.
    public init(index: UInt64, treeSize: UInt64) throws {
        try self.init(index: index, treeSize: treeSize, layout: .standard)
    }

    init(index: UInt64, treeSize: UInt64, layout: TileLayout) throws {
        guard index < treeSize else {
            throw MerkleError.invalidIndex("leaf index \(index) outside tree of size \(treeSize)")
        }
        self.index = index
        self.treeSize = treeSize
        self.layout = layout
        elements = ProofPlan.path(of: NodeID(level: 0, index: index), treeSize: treeSize)
        tiles = layout.tiles(for: elements)
    }

    /// The audit path, as `TiledProofs.inclusionProof` computes it from the same arguments.
    ///
    /// Throws `.missingTile` for an absent or short tile.
    public func proof(tiles: [TileID: [Hash]], cache: SubtreeCache? = nil, innerNodes: [UInt64: [Hash]] = [:]) throws -> [Hash] {
        try elements.map { try layout.hash(of: $0, tiles: tiles, cache: cache, innerNodes: innerNodes) }
    }
}
