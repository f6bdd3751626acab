import LogFormat

/// One entry read through get-entries (RFC 6962 section 4.6), with its index in the log.
public struct RFC6962Entry: Sendable, Hashable {
    public let index: UInt64
    /// The parsed `leaf_input`; its `leafHash` is the entry's hash in the tree.
    public let leaf: MerkleTreeLeaf
    /// The `extra_data` bytes: the chain, or the PrecertChainEntry. Not covered by the tree.
    public let extraData: [UInt8]

    public init(index: UInt64, leaf: MerkleTreeLeaf, extraData: [UInt8]) {
        self.index = index
        self.leaf = leaf
        self.extraData = extraData
    }
}
