import LogFormat
import PKI

/// Turns a submitted chain into a `Submission`, or refuses it with a `LogError` naming the problem.
///
/// Production-log rules (Specs/log-api.md): every submitted certificate is used, in order, up to an
/// accepted root (which may be omitted); every link's signature is checked; there is no expiry check,
/// only the shard's notAfter window; add-chain refuses precertificates and add-pre-chain requires them.
public struct SubmissionValidator: Sendable {
    public let verifier: ChainVerifier
    public let notAfterStart: Int64?
    public let notAfterLimit: Int64?
    /// The issuers submitted before, parsed: every chain after a CA's first reuses them.
    public let issuers = CertificateCache()

    /// The most certificates one submission may carry.
    public static let maxChainLength = 10

    public init(roots: [Certificate], notAfterStart: Int64?, notAfterLimit: Int64?) {
        self.verifier = ChainVerifier(roots: roots)
        self.notAfterStart = notAfterStart
        self.notAfterLimit = notAfterLimit
    }

    /// Validates the DER chain submitted to add-chain (`.certificate`) or add-pre-chain (`.precertificate`).
    public func validate(chain ders: [[UInt8]], as kind: SubmissionKind) throws(LogError) -> Submission {
        guard !ders.isEmpty else { throw .badRequest("chain is empty: it must hold at least the leaf certificate") }
        guard ders.count <= Self.maxChainLength else {
            throw .badRequest("chain has \(ders.count) certificates, at most \(Self.maxChainLength) are accepted")
        }
        var certificates: [Certificate] = []
        certificates.reserveCapacity(ders.count)
        for (position, der) in ders.enumerated() {
            do {
                certificates.append(try position == 0 ? Certificate(der: der) : issuers.certificate(der: der))
            } catch {
                throw .badRequest("chain[\(position)] is not a DER X.509 certificate: \(Self.reason(error))")
            }
        }
        let verified: VerifiedChain
        do {
            verified = try verifier.verify(certificates, as: kind)
        } catch {
            throw .invalidChain(Self.reason(error))
        }
        try checkNotAfter(verified.leaf)
        switch kind {
        case .certificate:
            guard let issuer = verified.issuers.first else { throw .internalError("verified chain has no issuer") }
            return Submission(
                entry: .x509(certificate: verified.leaf.der),
                preCertificate: nil,
                chain: verified.issuers,
                dedupKey: Submission.dedupKey(type: .x509, leafDER: verified.leaf.der),
                profile: try Self.profile { try verified.leaf.profile() },
                issuerKeyHash: SHA256.hash(issuer.spkiDER))
        case .precertificate:
            guard let issuerKeyHash = verified.issuerKeyHash, let tbs = verified.precertificateTBS else {
                throw .internalError("verified precertificate chain lacks its issuer key hash or TBS")
            }
            return Submission(
                entry: .precert(issuerKeyHash: issuerKeyHash, tbsCertificate: tbs),
                preCertificate: verified.leaf.der,
                chain: verified.issuers,
                dedupKey: Submission.dedupKey(type: .precert, leafDER: verified.leaf.der),
                profile: try Self.profile { try CertificateProfile(tbsDER: tbs) },
                issuerKeyHash: issuerKeyHash)
        }
    }

    /// The profile `read` gives, or a refusal naming why it could not be read.
    private static func profile(_ read: () throws -> CertificateProfile) throws(LogError) -> CertificateProfile {
        do {
            return try read()
        } catch {
            throw .badRequest("the certificate's policies or subject do not parse: \(reason(error))")
        }
    }

    private func checkNotAfter(_ leaf: Certificate) throws(LogError) {
        if let start = notAfterStart, leaf.notAfter < start {
            throw .rejected("certificate notAfter \(leaf.notAfter) is before this log's notAfter start \(start) (Unix seconds)")
        }
        if let limit = notAfterLimit, leaf.notAfter >= limit {
            throw .rejected("certificate notAfter \(leaf.notAfter) is not before this log's notAfter limit \(limit) (Unix seconds)")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let pki = error as? PKIError { return pki.message }
        return "\(error)"
    }
}
