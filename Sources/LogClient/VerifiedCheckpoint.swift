import LogFormat
import Merkle

/// A static-ct-api checkpoint whose RFC 6962 note signature verified with the log's key:
/// the same tree head, timestamp and signature get-sth serves.
public struct VerifiedCheckpoint: Sendable, Hashable {
    /// The checkpoint's origin line, which also names its signature.
    public let origin: String
    /// The signed tree head the checkpoint carries: size and root from the note text,
    /// timestamp and TreeHeadSignature from the signature line.
    public let treeHead: SignedTreeHead
    /// The note as served.
    public let note: String

    public var treeSize: UInt64 { treeHead.head.treeSize }
    public var rootHash: Hash { treeHead.head.rootHash }
}
