/// The response of get-entries (RFC 6962 section 4.6).
public struct GetEntriesResponse: Codable, Sendable, Hashable {
    public var entries: [Entry]

    /// One log entry: its Merkle tree leaf and the chain stored beside it.
    public struct Entry: Codable, Sendable, Hashable {
        /// Base64 TLS-encoded MerkleTreeLeaf.
        public var leafInput: String
        /// Base64 `ExtraData` (certificate_chain or PrecertChainEntry).
        public var extraData: String

        enum CodingKeys: String, CodingKey {
            case leafInput = "leaf_input"
            case extraData = "extra_data"
        }

        public init(leafInput: String, extraData: String) {
            self.leafInput = leafInput
            self.extraData = extraData
        }

        public init(leafInput: [UInt8], extraData: [UInt8]) {
            self.init(leafInput: Base64.encode(leafInput), extraData: Base64.encode(extraData))
        }

        /// The decoded `leaf_input` bytes.
        public func leafInputBytes() throws -> [UInt8] {
            try Base64.decode(leafInput, field: "leaf_input")
        }

        /// The decoded `extra_data` bytes.
        public func extraDataBytes() throws -> [UInt8] {
            try Base64.decode(extraData, field: "extra_data")
        }
    }

    public init(entries: [Entry]) {
        self.entries = entries
    }
}
