import Merkle

/// The response of get-entry-and-proof (RFC 6962 section 4.8).
public struct GetEntryAndProofResponse: Codable, Sendable, Hashable {
    /// Base64 TLS-encoded MerkleTreeLeaf.
    public var leafInput: String
    /// Base64 `ExtraData`.
    public var extraData: String
    /// Base64 node hashes of the audit path.
    public var auditPath: [String]

    enum CodingKeys: String, CodingKey {
        case leafInput = "leaf_input"
        case extraData = "extra_data"
        case auditPath = "audit_path"
    }

    public init(leafInput: String, extraData: String, auditPath: [String]) {
        self.leafInput = leafInput
        self.extraData = extraData
        self.auditPath = auditPath
    }

    public init(leafInput: [UInt8], extraData: [UInt8], proof: [Hash]) {
        self.init(leafInput: Base64.encode(leafInput), extraData: Base64.encode(extraData),
                  auditPath: proof.map { Base64.encode($0.bytes) })
    }

    /// The decoded `leaf_input` bytes.
    public func leafInputBytes() throws -> [UInt8] {
        try Base64.decode(leafInput, field: "leaf_input")
    }

    /// The decoded `extra_data` bytes.
    public func extraDataBytes() throws -> [UInt8] {
        try Base64.decode(extraData, field: "extra_data")
    }

    /// The audit path; throws naming the bad element (`audit_path[0]`).
    public func proof() throws -> [Hash] {
        try Base64.decodeHashes(auditPath, field: "audit_path")
    }
}
