/// The response of get-sth (RFC 6962 section 4.3).
public struct GetSTHResponse: Codable, Sendable, Hashable {
    public var treeSize: UInt64
    public var timestamp: UInt64
    /// Base64 Merkle Tree Hash, 32 bytes.
    public var sha256RootHash: String
    /// Base64 TLS-encoded `DigitallySigned` over the TreeHeadSignature.
    public var treeHeadSignature: String

    enum CodingKeys: String, CodingKey {
        case treeSize = "tree_size"
        case timestamp
        case sha256RootHash = "sha256_root_hash"
        case treeHeadSignature = "tree_head_signature"
    }

    public init(treeSize: UInt64, timestamp: UInt64, sha256RootHash: String, treeHeadSignature: String) {
        self.treeSize = treeSize
        self.timestamp = timestamp
        self.sha256RootHash = sha256RootHash
        self.treeHeadSignature = treeHeadSignature
    }

    public init(sth: SignedTreeHead) {
        self.init(treeSize: sth.head.treeSize, timestamp: sth.head.timestamp,
                  sha256RootHash: Base64.encode(sth.head.rootHash.bytes),
                  treeHeadSignature: Base64.encode(sth.signature.encoded))
    }

    /// The signed tree head; throws on bad base64, a root that is not 32 bytes or a
    /// malformed signature. Does not verify the signature.
    public func signedTreeHead() throws -> SignedTreeHead {
        let root = try Base64.decodeHash(sha256RootHash, field: "sha256_root_hash")
        let signature = try DigitallySigned(parsing: try Base64.decode(treeHeadSignature, field: "tree_head_signature"))
        return SignedTreeHead(head: TreeHead(treeSize: treeSize, timestamp: timestamp, rootHash: root),
                              signature: signature)
    }
}
