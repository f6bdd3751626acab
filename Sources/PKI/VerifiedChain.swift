/// What an RFC 6962 submission endpoint received: add-chain (s4.1) or add-pre-chain (s4.2).
public enum SubmissionKind: Sendable {
    case certificate
    case precertificate
}

/// A submission that `ChainVerifier` accepted, with what the log needs to store it.
public struct VerifiedChain: Sendable {
    public let kind: SubmissionKind
    /// The end-entity certificate or precertificate, `chain[0]` as submitted.
    public let leaf: Certificate
    /// Every certificate after the leaf, in order, ending with the accepted root,
    /// which is appended when the submitter left it out. Empty only when the
    /// submission was a single accepted root.
    public let issuers: [Certificate]
    /// For a precertificate: SHA-256 of the SubjectPublicKeyInfo of the CA that will
    /// issue the final certificate (the PSC's issuer when a PSC signed the leaf).
    /// RFC 6962 s3.2 `issuer_key_hash`. Nil for a certificate.
    public let issuerKeyHash: [UInt8]?
    /// For a precertificate: the TBSCertificate to log (RFC 6962 s3.2), from
    /// `Certificate.precertificateTBS(signingCertificate:)`. Nil for a certificate.
    public let precertificateTBS: [UInt8]?

    public init(kind: SubmissionKind, leaf: Certificate, issuers: [Certificate],
                issuerKeyHash: [UInt8]?, precertificateTBS: [UInt8]?) {
        self.kind = kind
        self.leaf = leaf
        self.issuers = issuers
        self.issuerKeyHash = issuerKeyHash
        self.precertificateTBS = precertificateTBS
    }
}
