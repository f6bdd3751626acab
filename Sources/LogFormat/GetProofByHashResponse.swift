import Merkle

/// The response of get-proof-by-hash (RFC 6962 section 4.5).
public struct GetProofByHashResponse: Codable, Sendable, Hashable {
    public var leafIndex: UInt64
    /// Base64 node hashes of the audit path.
    public var auditPath: [String]

    enum CodingKeys: String, CodingKey {
        case leafIndex = "leaf_index"
        case auditPath = "audit_path"
    }

    public init(leafIndex: UInt64, auditPath: [String]) {
        self.leafIndex = leafIndex
        self.auditPath = auditPath
    }

    public init(leafIndex: UInt64, proof: [Hash]) {
        self.init(leafIndex: leafIndex, auditPath: proof.map { Base64.encode($0.bytes) })
    }

    /// The audit path; throws naming the bad element (`audit_path[0]`).
    public func proof() throws -> [Hash] {
        try Base64.decodeHashes(auditPath, field: "audit_path")
    }
}
