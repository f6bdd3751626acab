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

extension GetProofByHashResponse {
    /// The same JSON written from the hashes themselves, each base64-encoded straight into the
    /// output, without a string per hash: how the server answers.
    public struct Body: JSONWritable, Sendable {
        public let leafIndex: UInt64
        public let proof: [Hash]

        public init(leafIndex: UInt64, proof: [Hash]) {
            self.leafIndex = leafIndex
            self.proof = proof
        }

        /// Enough bytes for the whole body.
        public var byteCount: Int { 49 + JSONWriter.hashesLength(of: proof.count) }

        public func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.key(CodingKeys.leafIndex.stringValue); json.number(leafIndex)
                json.key(CodingKeys.auditPath.stringValue); json.hashes(proof)
            }
        }
    }
}
