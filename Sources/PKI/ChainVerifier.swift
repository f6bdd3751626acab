/// Decides whether a submitted chain may be logged, as production CT logs do
/// (RFC 6962 s3.1, s4.1, s4.2).
///
/// The rules, and where they come from (certificate-transparency-go `ctfe.ValidateChain`,
/// which uses Go's x509 verifier, and the C++ reference log's `CertChecker`):
///
/// - Every submitted certificate is used, in the submitted order: `chain[i]` must be
///   issued by `chain[i+1]` (RFC 6962 s3.1; ctfe's "RFC compliant path" check).
/// - The chain ends at an accepted root. The submitter may include it (it must then
///   equal an accepted root by DER, or by subject and SubjectPublicKeyInfo) or leave
///   it out (then an accepted root whose subject is the last certificate's issuer and
///   whose key verifies its signature is appended; same-named roots are all tried).
/// - Every signature link is checked, except an included root's signature on itself:
///   the root is trusted by configuration (the C++ log accepts an MD2-signed root).
/// - Every certificate between the leaf and the root, a Precertificate Signing
///   Certificate included, must have basicConstraints cA TRUE; the root need not
///   (Go checks only intermediates; the C++ log's "legacy root" rule).
/// - pathLenConstraint is enforced on intermediates and the root, not counting a
///   Precertificate Signing Certificate (Go's verifier, with ctfe's PSC allowance).
/// - No certificate may appear twice (same subject and key), so `[leaf, root, root]`
///   is refused as Go's verifier does (the C++ log instead trims the repeat).
/// - Expiry, key usage, EKU and name constraints are not checked: logs accept
///   expired certificates and should not judge issuance policy.
///
/// Safety: a value type holding immutable, `Sendable` certificates and a `Sendable` cache.
public struct ChainVerifier: Sendable {
    public var roots: [Certificate] { accepted.all }
    /// `roots`, indexed by subject Name.
    let accepted: AcceptedRoots
    /// Links between CA certificates already verified, shared by every copy of this verifier.
    public let verifiedLinks: VerifiedLinks

    public init(roots: [Certificate], verifiedLinks: VerifiedLinks = VerifiedLinks()) {
        accepted = AcceptedRoots(roots)
        self.verifiedLinks = verifiedLinks
    }

    /// Verifies `chain` (leaf first) submitted as `kind`, returning what to log.
    ///
    /// `.certificate`: the leaf must have no poison extension, valid or malformed.
    /// `.precertificate`: the leaf's poison must be `.valid`; if `chain[1]` is a
    /// Precertificate Signing Certificate it must itself be issued by a CA in the
    /// chain (RFC 6962 s3.1), and the logged TBS is rewritten to name that CA.
    ///
    /// Throws `.invalidChain` (or `.invalidPrecertificate` for add-pre-chain poison and
    /// PSC problems) with a message that says which rule failed and where.
    public func verify(_ chain: [Certificate], as kind: SubmissionKind) throws -> VerifiedChain {
        guard let leaf = chain.first else {
            throw PKIError(.invalidChain, "empty chain: need at least the leaf certificate")
        }
        try Self.checkPoison(of: leaf, as: kind)
        try Self.checkNoRepeats(chain)
        try Self.checkOrder(chain)
        try Self.checkIssuersAreCAs(chain, endsWithRoot: isAcceptedRoot(chain[chain.count - 1]))
        try checkSignatures(chain)
        let path = try completedWithRoot(chain)
        let usesPSC = path.count > 1 && path[1].isPrecertificateSigningCertificate
        try Self.checkPathLengths(path, submitted: chain.count, usesPSC: usesPSC)
        let issuers = Array(path.dropFirst())
        guard kind == .precertificate else {
            return VerifiedChain(kind: kind, leaf: leaf, issuers: issuers, issuerKeyHash: nil, precertificateTBS: nil)
        }

        guard path.count >= 2 else {
            throw PKIError(.invalidPrecertificate, "precertificate \(leaf.subjectSummary) is itself an accepted root")
        }
        var finalIssuer = path[1]
        if usesPSC {
            guard path.count >= 3 else {
                throw PKIError(.invalidPrecertificate,
                               "Precertificate Signing Certificate \(path[1].subjectSummary) is an accepted root: it must be issued by the CA that will issue the final certificate (RFC 6962 s3.1)")
            }
            finalIssuer = path[2]
        }
        let tbs = try leaf.precertificateTBS(signingCertificate: usesPSC ? path[1] : nil)
        return VerifiedChain(kind: kind, leaf: leaf, issuers: issuers,
                             issuerKeyHash: SHA256.hash(finalIssuer.spkiDER), precertificateTBS: tbs)
    }

    /// True when `certificate` is one of `roots`, by DER or by subject and key.
    public func isAcceptedRoot(_ certificate: Certificate) -> Bool {
        accepted.contains(certificate)
    }

    private static func checkPoison(of leaf: Certificate, as kind: SubmissionKind) throws {
        switch (kind, leaf.poison) {
        case (.certificate, .absent), (.precertificate, .valid):
            return
        case (.certificate, .valid), (.certificate, .malformed):
            throw PKIError(.invalidChain,
                           "precertificate submitted to add-chain: \(leaf.subjectSummary) has the poison extension (1.3.6.1.4.1.11129.2.4.3)")
        case (.precertificate, .absent):
            throw PKIError(.invalidPrecertificate,
                           "certificate submitted to add-pre-chain: \(leaf.subjectSummary) has no poison extension (1.3.6.1.4.1.11129.2.4.3)")
        case (.precertificate, .malformed):
            throw PKIError(.invalidPrecertificate,
                           "precertificate \(leaf.subjectSummary) has a malformed poison extension: want exactly one, critical, value ASN.1 NULL")
        }
    }
}
