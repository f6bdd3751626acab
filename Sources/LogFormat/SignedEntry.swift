/// RFC 6962 section 3.1 LogEntryType, a uint16 on the wire.
public enum LogEntryType: UInt16, Sendable {
    case x509 = 0
    case precert = 1
}

/// The `signed_entry` of a TimestampedEntry and of the SCT signature input
/// (RFC 6962 sections 3.2 and 3.4): what the log commits to for one submission.
public enum SignedEntry: Sendable, Hashable {
    /// `ASN.1Cert signed_entry<1..2^24-1>`: the submitted leaf certificate, DER.
    case x509(certificate: [UInt8])
    /// `PreCert`: SHA-256 of the final issuer's SubjectPublicKeyInfo (32 bytes) and the
    /// precertificate's TBSCertificate with the poison extension removed (and the issuer
    /// rewritten when a Precertificate Signing Certificate was used), DER `<1..2^24-1>`.
    case precert(issuerKeyHash: [UInt8], tbsCertificate: [UInt8])

    /// Length of `issuerKeyHash`: `opaque issuer_key_hash[32]`.
    public static let issuerKeyHashLength = 32

    public var entryType: LogEntryType {
        switch self {
        case .x509: .x509
        case .precert: .precert
        }
    }

    /// Appends the `select (entry_type)` body, without the entry type itself.
    /// Precondition: the certificate is 1..2^24-1 bytes and the issuer key hash is 32 bytes;
    /// callers bound untrusted input first.
    func encodeBody(into writer: inout TLSWriter) {
        switch self {
        case .x509(let certificate):
            precondition(!certificate.isEmpty, "empty ASN.1Cert")
            writer.writeVector(certificate, lengthBytes: 3)
        case .precert(let issuerKeyHash, let tbsCertificate):
            precondition(issuerKeyHash.count == Self.issuerKeyHashLength,
                         "issuer key hash of \(issuerKeyHash.count) bytes, want 32")
            precondition(!tbsCertificate.isEmpty, "empty TBSCertificate")
            writer.writeBytes(issuerKeyHash)
            writer.writeVector(tbsCertificate, lengthBytes: 3)
        }
    }

    /// Reads the `select (entry_type)` body for an entry of `type`.
    init(type: LogEntryType, reader: inout TLSReader) throws {
        switch type {
        case .x509:
            self = .x509(certificate: try reader.readVector(lengthBytes: 3, minimum: 1, field: "ASN.1Cert"))
        case .precert:
            let issuerKeyHash = try reader.readBytes(Self.issuerKeyHashLength, field: "issuer_key_hash")
            let tbs = try reader.readVector(lengthBytes: 3, minimum: 1, field: "tbs_certificate")
            self = .precert(issuerKeyHash: issuerKeyHash, tbsCertificate: tbs)
        }
    }
}

extension LogEntryType {
    /// Reads a uint16 entry type, rejecting values RFC 6962 does not define.
    init(reader: inout TLSReader) throws {
        let raw = try reader.readInteger(UInt16.self, field: "entry_type")
        guard let type = LogEntryType(rawValue: raw) else {
            throw FormatError(.unknownType, "entry_type \(raw) is neither x509_entry(0) nor precert_entry(1)")
        }
        self = type
    }
}
