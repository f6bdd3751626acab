/// RFC 6962 section 3.4 TimestampedEntry: the body of a MerkleTreeLeaf.
///
///     struct {
///         uint64 timestamp;
///         LogEntryType entry_type;
///         select(entry_type) { case x509_entry: ASN.1Cert; case precert_entry: PreCert; } signed_entry;
///         CtExtensions extensions;   // opaque <0..2^16-1>
///     } TimestampedEntry;
public struct TimestampedEntry: Sendable, Hashable {
    /// Milliseconds since the Unix epoch, as in the SCT.
    public var timestamp: UInt64
    public var entry: SignedEntry
    /// The bytes inside the `extensions<0..2^16-1>` vector, as in the SCT.
    public var extensions: [UInt8]

    public init(timestamp: UInt64, entry: SignedEntry, extensions: [UInt8] = []) {
        self.timestamp = timestamp
        self.entry = entry
        self.extensions = extensions
    }

    /// Appends the TLS encoding. Precondition: field lengths fit their vectors.
    public func encode(into writer: inout TLSWriter) {
        writer.writeInteger(timestamp)
        writer.writeInteger(entry.entryType.rawValue)
        entry.encodeBody(into: &writer)
        writer.writeVector(extensions, lengthBytes: 2)
    }

    /// The TLS encoding on its own.
    public var encoded: [UInt8] {
        var writer = TLSWriter(capacity: encodedCapacity)
        encode(into: &writer)
        return writer.bytes
    }

    /// Reads one TimestampedEntry; the reader may hold more after it.
    public init(reader: inout TLSReader) throws {
        timestamp = try reader.readInteger(UInt64.self, field: "timestamp")
        let type = try LogEntryType(reader: &reader)
        entry = try SignedEntry(type: type, reader: &reader)
        extensions = try reader.readVector(lengthBytes: 2, field: "extensions")
    }

    /// An upper bound on the encoded size, to reserve once.
    var encodedCapacity: Int {
        let body = switch entry {
        case .x509(let certificate): 3 + certificate.count
        case .precert(_, let tbs): 32 + 3 + tbs.count
        }
        return 8 + 2 + body + 2 + extensions.count
    }
}
