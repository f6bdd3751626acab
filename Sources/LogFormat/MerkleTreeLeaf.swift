import Merkle

/// RFC 6962 section 3.4 MerkleTreeLeaf, version v1(0) and leaf type timestamped_entry(0):
/// the `leaf_input` of get-entries and the input of the leaf hash.
public struct MerkleTreeLeaf: Sendable, Hashable {
    /// The committed entry; setting it recomputes `encoded` and `leafHash`.
    public var entry: TimestampedEntry {
        didSet { (encoded, leafHash) = Self.derive(entry) }
    }
    /// The TLS encoding: `leaf_input` in get-entries.
    public private(set) var encoded: [UInt8]
    /// RFC 6962 section 2.1: SHA-256(0x00 || encoded).
    public private(set) var leafHash: Hash

    /// `Version`: v1.
    static let version: UInt8 = 0
    /// `MerkleLeafType`: timestamped_entry.
    static let timestampedEntryType: UInt8 = 0

    public init(entry: TimestampedEntry) {
        self.entry = entry
        (encoded, leafHash) = Self.derive(entry)
    }

    /// Parses a `leaf_input`. Throws on an unknown version or leaf type, short input or trailing bytes.
    public init(parsing bytes: [UInt8]) throws {
        var reader = TLSReader(bytes)
        let version = try reader.readInteger(UInt8.self, field: "version")
        guard version == Self.version else {
            throw FormatError(.unsupportedVersion, "MerkleTreeLeaf version \(version), want v1(0)")
        }
        let leafType = try reader.readInteger(UInt8.self, field: "leaf_type")
        guard leafType == Self.timestampedEntryType else {
            throw FormatError(.unknownType, "leaf_type \(leafType), want timestamped_entry(0)")
        }
        let entry = try TimestampedEntry(reader: &reader)
        try reader.expectEnd(of: "MerkleTreeLeaf")
        self.entry = entry
        encoded = bytes
        leafHash = Hash.leaf(bytes)
    }

    private static func derive(_ entry: TimestampedEntry) -> ([UInt8], Hash) {
        var writer = TLSWriter(capacity: 2 + entry.encodedCapacity)
        writer.writeInteger(version)
        writer.writeInteger(timestampedEntryType)
        entry.encode(into: &writer)
        return (writer.bytes, Hash.leaf(writer.bytes))
    }
}
