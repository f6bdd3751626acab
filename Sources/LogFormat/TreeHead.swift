import Merkle

/// The signed fields of a Signed Tree Head: RFC 6962 section 3.5 TreeHeadSignature
/// without its version and signature type.
public struct TreeHead: Sendable, Hashable {
    public var treeSize: UInt64
    /// Milliseconds since the Unix epoch.
    public var timestamp: UInt64
    public var rootHash: Hash

    /// `Version` v1.
    static let version: UInt8 = 0
    /// `SignatureType` tree_hash.
    static let treeHashType: UInt8 = 1

    public init(treeSize: UInt64, timestamp: UInt64, rootHash: Hash) {
        self.treeSize = treeSize
        self.timestamp = timestamp
        self.rootHash = rootHash
    }

    /// The bytes the log signs (RFC 6962 section 3.5 TreeHeadSignature):
    /// version v1(0), signature_type tree_hash(1), timestamp, tree_size, sha256_root_hash.
    public var signatureInput: [UInt8] {
        var writer = TLSWriter(capacity: 50)
        writer.writeInteger(Self.version)
        writer.writeInteger(Self.treeHashType)
        writer.writeInteger(timestamp)
        writer.writeInteger(treeSize)
        writer.writeBytes(rootHash.bytes)
        return writer.bytes
    }
}
