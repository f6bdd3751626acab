import LogFormat
import PKI

/// What an endorsement is about: a certificate of one log at one level. The certificate is
/// named by the entry it becomes: SHA-256 of the certificate (x509 entries) or of the
/// precertificate's logged TBSCertificate plus the issuer key hash (precert entries).
public struct EndorsementSubject: Sendable, Equatable, Hashable {
    public var logID: [UInt8]
    /// 0 for an x509 entry, 1 for a precert entry (RFC 6962 LogEntryType).
    public var entryType: UInt8
    public var certificateHash: [UInt8]
    /// The precert entry's issuer_key_hash; 32 zero bytes for x509 entries.
    public var issuerKeyHash: [UInt8]
    public var level: CertificateLevel

    public init(logID: [UInt8], entryType: UInt8, certificateHash: [UInt8], issuerKeyHash: [UInt8], level: CertificateLevel) {
        self.logID = logID
        self.entryType = entryType
        self.certificateHash = certificateHash
        self.issuerKeyHash = issuerKeyHash
        self.level = level
    }

    /// The subject for the certificate `entry` stands for.
    public init(logID: [UInt8], entry: SignedEntry, level: CertificateLevel) {
        switch entry {
        case .x509(let certificate):
            self.init(logID: logID, entryType: 0, certificateHash: SHA256.hash(certificate),
                      issuerKeyHash: [UInt8](repeating: 0, count: 32), level: level)
        case .precert(let issuerKeyHash, let tbsCertificate):
            self.init(logID: logID, entryType: 1, certificateHash: SHA256.hash(tbsCertificate),
                      issuerKeyHash: issuerKeyHash, level: level)
        }
    }
}
