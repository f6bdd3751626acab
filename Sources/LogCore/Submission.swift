import LogFormat
import PKI

/// A validated submission, ready to be sequenced: what the log signs and stores.
public struct Submission: Sendable {
    /// The signed entry of RFC 6962 section 3.2: the certificate, or the precertificate's
    /// issuer key hash and rewritten TBS.
    public let entry: SignedEntry
    /// The submitted precertificate (precert entries only), kept for get-entries' extra_data.
    public let preCertificate: [UInt8]?
    /// The issuers after the leaf, ending with the accepted root.
    public let chain: [Certificate]
    /// Identifies the submission for deduplication (see `dedupKey(kind:leafDER:)`).
    public let dedupKey: [UInt8]
    /// The logged certificate's (or precertificate TBS's) policies and subject, which decide its level.
    public let profile: CertificateProfile
    /// SHA-256 of the issuer's SubjectPublicKeyInfo: the precert entry's issuer_key_hash, or the
    /// key hash of the certificate's first chain certificate.
    public let issuerKeyHash: [UInt8]
    /// For an endorsed (OV, IV, EV) certificate: the endorsements that admitted it.
    public var admission: Admission?

    public init(entry: SignedEntry, preCertificate: [UInt8]?, chain: [Certificate], dedupKey: [UInt8],
                profile: CertificateProfile, issuerKeyHash: [UInt8], admission: Admission? = nil) {
        self.entry = entry
        self.preCertificate = preCertificate
        self.chain = chain
        self.dedupKey = dedupKey
        self.profile = profile
        self.issuerKeyHash = issuerKeyHash
        self.admission = admission
    }

    /// SHA-256 over the entry type (two bytes, as in a TimestampedEntry) and the submitted leaf DER:
    /// the same certificate submitted twice has the same key; a certificate and a precertificate never share one.
    public static func dedupKey(type: LogEntryType, leafDER: [UInt8]) -> [UInt8] {
        SHA256.hash(parts: [[UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xff)], leafDER])
    }

    /// The stored form of this submission once sequenced at `timestamp` with `extensions`.
    func tileLeaf(timestamp: UInt64, extensions: [UInt8]) -> TileLeaf {
        TileLeaf(
            entry: TimestampedEntry(timestamp: timestamp, entry: entry, extensions: extensions),
            preCertificate: preCertificate,
            chainFingerprints: chain.map(\.fingerprint))
    }
}
