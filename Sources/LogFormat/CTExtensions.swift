/// The static-ct-api `CtExtensions` of an SCT and a TimestampedEntry (c2sp.org/static-ct-api,
/// "SCT Extension"): a list of `{ uint8 extension_type; opaque extension_data<0..2^16-1>; }`.
///
/// The only extension defined is `leaf_index(0)`, whose data is a 5-byte big-endian
/// `uint40`: the 0-based index of the entry in the log. `encoded` is the content of the
/// `extensions<0..2^16-1>` vector, without its length prefix: 8 bytes with a leaf index,
/// none without.
public struct CTExtensions: Sendable, Hashable {
    /// The `leaf_index` extension, if present; below 2^40.
    public var leafIndex: UInt64?

    /// `ExtensionType` leaf_index.
    static let leafIndexType: UInt8 = 0
    /// Size of a `uint40`.
    static let leafIndexLength = 5
    /// The largest index a `uint40` holds.
    public static let maxLeafIndex: UInt64 = (1 << 40) - 1

    /// Precondition: `leafIndex` fits in 40 bits.
    public init(leafIndex: UInt64?) {
        if let leafIndex {
            precondition(leafIndex <= Self.maxLeafIndex, "leaf index \(leafIndex) does not fit in a uint40")
        }
        self.leafIndex = leafIndex
    }

    public var encoded: [UInt8] {
        guard let leafIndex else { return [] }
        var writer = TLSWriter(capacity: 8)
        writer.writeInteger(Self.leafIndexType)
        writer.writeInteger(UInt16(Self.leafIndexLength))
        writer.writeInteger(leafIndex, byteCount: Self.leafIndexLength)
        return writer.bytes
    }

    /// Parses the content of an `extensions` vector. Extensions of unknown types are
    /// skipped; a repeated type or a `leaf_index` whose data is not 5 bytes throws.
    public init(parsing bytes: [UInt8]) throws {
        var reader = TLSReader(bytes)
        var seen = Set<UInt8>()
        var leafIndex: UInt64?
        while !reader.isAtEnd {
            let type = try reader.readInteger(UInt8.self, field: "extension_type")
            let data = try reader.readVector(lengthBytes: 2, field: "extension_data")
            guard seen.insert(type).inserted else {
                throw FormatError(.invalidExtensions, "extension_type \(type) appears more than once")
            }
            guard type == Self.leafIndexType else { continue }
            guard data.count == Self.leafIndexLength else {
                throw FormatError(.invalidExtensions, "leaf_index data of \(data.count) bytes, want 5")
            }
            var dataReader = TLSReader(data)
            leafIndex = try dataReader.readInteger(UInt64.self, byteCount: Self.leafIndexLength, field: "leaf_index")
        }
        self.leafIndex = leafIndex
    }
}
