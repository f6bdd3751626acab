import Merkle
import PKI

/// What a whole-log verification read and proved: every entry from the start index up to the
/// signed tree's size hashes into that tree.
public struct LogVerification: Sendable, Hashable {
    /// The size of the signed tree verified.
    public var treeSize: UInt64
    /// Its root hash, recomputed from the log's contents.
    public var rootHash: Hash
    /// How many entries were read and verified.
    public var entries: UInt64
    /// How many distinct issuers were fetched and matched their fingerprints; nil when not asked.
    public var issuers: Int?

    public init(treeSize: UInt64, rootHash: Hash, entries: UInt64, issuers: Int? = nil) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.entries = entries
        self.issuers = issuers
    }

    /// One line for people and scripts: `verified tree_size=<n> root=<hex> entries=<n>[ issuers=<k>]`.
    public var line: String {
        "verified tree_size=\(treeSize) root=\(Hex.encode(rootHash.bytes)) entries=\(entries)" + (issuers.map { " issuers=\($0)" } ?? "")
    }
}
