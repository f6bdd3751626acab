/// RFC 6962 section 3.2 SignedCertificateTimestamp, version v1(0):
///
///     struct {
///         Version sct_version;            // v1(0)
///         LogID id;                       // opaque key_id[32]
///         uint64 timestamp;
///         CtExtensions extensions;        // opaque <0..2^16-1>
///         digitally-signed struct { ... } signature;
///     } SignedCertificateTimestamp;
///
/// `encoded` is the TLS serialization that `*.proof` files and SCT lists carry.
public struct SignedCertificateTimestamp: Sendable, Hashable {
    /// SHA-256 of the log's public key (`LogID`), 32 bytes.
    public var logID: [UInt8]
    /// Milliseconds since the Unix epoch.
    public var timestamp: UInt64
    /// The bytes inside the `extensions<0..2^16-1>` vector.
    public var extensions: [UInt8]
    public var signature: DigitallySigned

    /// `Version` v1, the only SCT version of RFC 6962.
    public static let version: UInt8 = 0
    /// `SignatureType` certificate_timestamp.
    static let certificateTimestampType: UInt8 = 0
    /// Length of a `LogID`.
    public static let logIDLength = 32

    public init(logID: [UInt8], timestamp: UInt64, extensions: [UInt8], signature: DigitallySigned) {
        self.logID = logID
        self.timestamp = timestamp
        self.extensions = extensions
        self.signature = signature
    }

    /// The TLS serialization. Precondition: `logID` is 32 bytes and the vectors fit.
    public var encoded: [UInt8] {
        precondition(logID.count == Self.logIDLength, "log ID of \(logID.count) bytes, want 32")
        var writer = TLSWriter(capacity: 1 + 32 + 8 + 2 + extensions.count + 4 + signature.signature.count)
        writer.writeInteger(Self.version)
        writer.writeBytes(logID)
        writer.writeInteger(timestamp)
        writer.writeVector(extensions, lengthBytes: 2)
        signature.encode(into: &writer)
        return writer.bytes
    }

    /// Parses a serialized v1 SCT; another version, short input or trailing bytes throw.
    public init(parsing bytes: [UInt8]) throws {
        var reader = TLSReader(bytes)
        let version = try reader.readInteger(UInt8.self, field: "sct_version")
        guard version == Self.version else {
            throw FormatError(.unsupportedVersion, "sct_version \(version), want v1(0)")
        }
        logID = try reader.readBytes(Self.logIDLength, field: "id")
        timestamp = try reader.readInteger(UInt64.self, field: "timestamp")
        extensions = try reader.readVector(lengthBytes: 2, field: "extensions")
        signature = try DigitallySigned(reader: &reader)
        try reader.expectEnd(of: "SignedCertificateTimestamp")
    }

    /// The bytes the log signs (RFC 6962 section 3.2, the `digitally-signed struct`):
    /// sct_version, signature_type certificate_timestamp(0), timestamp, entry_type,
    /// signed_entry, extensions.
    public static func signatureInput(timestamp: UInt64, entry: SignedEntry, extensions: [UInt8]) -> [UInt8] {
        let body = TimestampedEntry(timestamp: timestamp, entry: entry, extensions: extensions)
        var writer = TLSWriter(capacity: 2 + body.encodedCapacity)
        writer.writeInteger(version)
        writer.writeInteger(certificateTimestampType)
        body.encode(into: &writer)
        return writer.bytes
    }

    /// The signature input for this SCT over `entry`.
    public func signatureInput(for entry: SignedEntry) -> [UInt8] {
        Self.signatureInput(timestamp: timestamp, entry: entry, extensions: extensions)
    }
}
