/// An X.509 certificate (RFC 5280 s4.1): its exact DER, the byte slices a log
/// needs verbatim, and the few decoded facts that submission checks rely on.
/// Equal and hashed by DER bytes.
///
/// Safety: `@unchecked Sendable` because every property is set in `init` and never
/// changed; the OpenSSL object behind it is only read afterwards (see `X509Handle`).
public final class Certificate: @unchecked Sendable, Hashable {
    /// The complete DER encoding.
    public let der: [UInt8]
    /// The exact TBSCertificate element inside `der`.
    public let tbsDER: [UInt8]
    /// The exact subject Name element, tag and length included.
    public let subjectDER: [UInt8]
    /// The exact issuer Name element, tag and length included.
    public let issuerDER: [UInt8]
    /// The exact SubjectPublicKeyInfo element.
    public let spkiDER: [UInt8]
    /// Start of validity, Unix seconds.
    public let notBefore: Int64
    /// End of validity, Unix seconds.
    public let notAfter: Int64
    /// basicConstraints is present with cA TRUE (RFC 5280 s4.2.1.9).
    public let isCA: Bool
    /// The RFC 6962 s3.1 precertificate poison extension, if any.
    public let poison: PoisonStatus

    // The facts below are decoded by OpenSSL when asked for, not in `init`: a submission's
    // leaf needs none of them unless its chain is refused, and decoding them all up front
    // cost more than the rest of the parse.

    /// extendedKeyUsage contains 1.3.6.1.4.1.11129.2.4.4 (RFC 6962 s3.1).
    public var isPrecertificateSigningCertificate: Bool {
        x509.extendedKeyUsages().contains(OID.precertificateSigningDotted)
    }
    /// The certificatePolicies OIDs, dotted, in order.
    public var policyOIDs: [String] { x509.policyOIDs() }
    /// The subject's O= values, in order.
    public var subjectOrganizations: [String] { x509.subjectAttributes().filter { $0.type == "O" }.map(\.value) }
    /// The subject on one line, such as "C=GB, O=Google, CN=leaf00", for messages.
    public var subjectSummary: String { Self.summary(x509.subjectAttributes()) }
    /// The issuer on one line, in the same form as `subjectSummary`.
    public var issuerSummary: String { Self.summary(x509.issuerAttributes()) }

    let x509: X509Handle
    let tbs: TBSCertificate

    /// Parses one DER certificate. OpenSSL must accept it, it must be a well-formed
    /// `SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`, and no
    /// bytes may follow it. Throws `.invalidCertificate` or `.invalidDER`.
    public init(der: [UInt8]) throws {
        defer { OpenSSLErrors.clear() }  // decoding optional extensions may queue errors
        x509 = try X509Handle(der: der)
        let outer = try DER.single(der[...], "Certificate").expect(DER.Tag.sequence, "Certificate")
        let parts = try outer.children()
        guard parts.count == 3 else {
            throw PKIError(.invalidCertificate, "Certificate has \(parts.count) fields, want 3")
        }
        tbs = try TBSCertificate(parts[0].raw)
        self.der = der
        tbsDER = Array(parts[0].raw)
        subjectDER = Array(tbs.subject)
        issuerDER = Array(tbs.issuer)
        spkiDER = Array(tbs.subjectPublicKeyInfo)
        (notBefore, notAfter) = try x509.validity()
        isCA = x509.isCA
        poison = PoisonStatus(tbs.extensions(withOID: OID.poison))
    }

    /// Every "CERTIFICATE" block in `text`, in order; blocks with other labels are
    /// skipped. Throws `.invalidPEM` when there is none or a block is broken.
    public static func fromPEM(_ text: String) throws -> [Certificate] {
        let blocks = try PEM.blocks(in: text).filter { $0.label == "CERTIFICATE" }
        guard !blocks.isEmpty else {
            throw PKIError(.invalidPEM, "no CERTIFICATE block in \(text.utf8.count) bytes of PEM")
        }
        return try blocks.enumerated().map { index, block in
            do {
                return try Certificate(der: block.der)
            } catch let error as PKIError {
                throw PKIError(error.code, "CERTIFICATE block \(index + 1): \(error.message)")
            }
        }
    }

    /// The certificate's policies and subject attribute types, read from its TBSCertificate.
    public func profile() throws -> CertificateProfile { try CertificateProfile(tbsDER: tbsDER) }

    /// SHA-256 of `der`: the certificate's usual fingerprint.
    public var fingerprint: [UInt8] { SHA256.hash(der) }

    /// The signature algorithm's name, such as "sha256WithRSAEncryption", for messages.
    public var signatureAlgorithmName: String { x509.signatureAlgorithmName }

    private static func summary(_ attributes: [(type: String, value: String)]) -> String {
        attributes.isEmpty ? "(empty name)" : attributes.map { "\($0.type)=\($0.value)" }.joined(separator: ", ")
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool {
        lhs.der == rhs.der
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(der)
    }
}
