import Merkle

/// The response of get-sth-consistency (RFC 6962 section 4.4).
public struct GetSTHConsistencyResponse: Codable, Sendable, Hashable {
    /// Base64 node hashes of the consistency proof.
    public var consistency: [String]

    public init(consistency: [String]) {
        self.consistency = consistency
    }

    public init(proof: [Hash]) {
        consistency = proof.map { Base64.encode($0.bytes) }
    }

    /// The proof; throws naming the bad element (`consistency[1]`).
    public func proof() throws -> [Hash] {
        try Base64.decodeHashes(consistency, field: "consistency")
    }
}

extension GetSTHConsistencyResponse {
    /// The same JSON written from the hashes themselves, each base64-encoded straight into the
    /// output, without a string per hash: how the server answers.
    public struct Body: JSONWritable, Sendable {
        public let proof: [Hash]

        public init(proof: [Hash]) {
            self.proof = proof
        }

        /// Enough bytes for the whole body.
        public var byteCount: Int { 16 + JSONWriter.hashesLength(of: proof.count) }

        public func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.key("consistency"); json.hashes(proof)
            }
        }
    }
}
