/// The response of add-chain and add-pre-chain (RFC 6962 sections 4.1 and 4.2): an SCT
/// with its byte fields in base64.
public struct AddChainResponse: Codable, Sendable, Hashable {
    public var sctVersion: UInt8
    /// Base64 LogID.
    public var id: String
    public var timestamp: UInt64
    /// Base64 CtExtensions (the content of the `extensions` vector).
    public var extensions: String
    /// Base64 TLS-encoded `DigitallySigned`.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case sctVersion = "sct_version"
        case id
        case timestamp
        case extensions
        case signature
    }

    public init(sctVersion: UInt8, id: String, timestamp: UInt64, extensions: String, signature: String) {
        self.sctVersion = sctVersion
        self.id = id
        self.timestamp = timestamp
        self.extensions = extensions
        self.signature = signature
    }

    public init(sct: SignedCertificateTimestamp) {
        self.init(sctVersion: SignedCertificateTimestamp.version, id: Base64.encode(sct.logID),
                  timestamp: sct.timestamp, extensions: Base64.encode(sct.extensions),
                  signature: Base64.encode(sct.signature.encoded))
    }

    /// The SCT; throws on another version, bad base64, a log ID that is not 32 bytes
    /// or a malformed signature.
    public func sct() throws -> SignedCertificateTimestamp {
        guard sctVersion == SignedCertificateTimestamp.version else {
            throw FormatError(.unsupportedVersion, "sct_version \(sctVersion), want v1(0)")
        }
        let logID = try Base64.decode(id, field: "id")
        guard logID.count == SignedCertificateTimestamp.logIDLength else {
            throw FormatError(.invalidLength, "id is \(logID.count) bytes, want 32")
        }
        return SignedCertificateTimestamp(
            logID: logID, timestamp: timestamp,
            extensions: try Base64.decode(extensions, field: "extensions"),
            signature: try DigitallySigned(parsing: try Base64.decode(signature, field: "signature")))
    }
}
