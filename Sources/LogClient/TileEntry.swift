import LogFormat
import Merkle

/// One entry of a static-ct-api data tile, with its index in the log.
public struct TileEntry: Sendable, Hashable {
    public let index: UInt64
    public let leaf: TileLeaf
    /// RFC 6962 leaf hash of the entry's MerkleTreeLeaf.
    public let leafHash: Hash

    public init(index: UInt64, leaf: TileLeaf) {
        self.index = index
        self.leaf = leaf
        self.leafHash = leaf.merkleTreeLeaf.leafHash
    }
}
