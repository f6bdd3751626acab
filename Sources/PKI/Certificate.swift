import Synchronization

/// An X.509 certificate (RFC 5280 s4.1): its exact DER, the byte slices a log
/// needs verbatim, and the few decoded facts that submission checks rely on.
/// Equal and hashed by DER bytes.
///
/// Safety: `@unchecked Sendable` because every stored property but `openSSLObjects` is set
/// in `init` and never changed; the objects OpenSSL makes are each made once under that
/// mutex and only read afterwards (see `X509Handle`, `IssuerKey` and `NameHandle`).
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
    /// basicConstraints pathLenConstraint: how many non-self-issued intermediate CA
    /// certificates may follow this one on the way to a leaf (RFC 5280 s4.2.1.9).
    let pathLengthConstraint: Int?
    /// The RFC 6962 s3.1 precertificate poison extension, if any.
    public let poison: PoisonStatus

    // The facts below are decoded by OpenSSL when asked for, not in `init`: a submission's
    // leaf needs none of them unless its chain is refused, and decoding them all up front
    // cost more than the rest of the parse.

    /// extendedKeyUsage contains 1.3.6.1.4.1.11129.2.4.4 (RFC 6962 s3.1).
    public var isPrecertificateSigningCertificate: Bool {
        (try? openSSL().extendedKeyUsages().contains(OID.precertificateSigningDotted)) ?? false
    }
    /// The certificatePolicies OIDs, dotted, in order.
    public var policyOIDs: [String] { (try? openSSL().policyOIDs()) ?? [] }
    /// The subject's O= values, in order.
    public var subjectOrganizations: [String] {
        ((try? openSSL().subjectAttributes()) ?? []).filter { $0.type == "O" }.map(\.value)
    }
    /// The subject on one line, such as "C=GB, O=Google, CN=leaf00", for messages.
    public var subjectSummary: String { Self.summary((try? openSSL().subjectAttributes()), subjectDER) }
    /// The issuer on one line, in the same form as `subjectSummary`.
    public var issuerSummary: String { Self.summary((try? openSSL().issuerAttributes()), issuerDER) }

    let tbs: TBSCertificate
    /// The signatureValue bits, when the certificate's shape let them be read without OpenSSL.
    let signatureBits: ArraySlice<UInt8>?
    /// What OpenSSL made of this certificate, and its fingerprint: each made on first use and kept.
    private struct OpenSSLObjects {
        /// The whole certificate: parsed in `init` for a certificate outside the shape of
        /// `CertificateDERFacts`, else when a fact only OpenSSL decodes is asked for.
        var x509: X509Handle?
        /// The public key, for checking certificates this one issued.
        var key: IssuerKey?
        /// The issuer and subject Names, for canonical comparison.
        var issuerName: NameHandle?
        var subjectName: NameHandle?
        /// SHA-256 of `der`: an issuer's fingerprint is asked for by every entry it issued.
        var fingerprint: [UInt8]?
    }

    /// Owner of the objects OpenSSL made; held while one is made, never while one is used.
    private let openSSLObjects = Mutex(OpenSSLObjects())

    /// Parses one DER certificate. It must be a well-formed
    /// `SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }` with no bytes after
    /// it, and OpenSSL must accept it unless it has the plain shape `CertificateDERFacts`
    /// reads. Throws `.invalidDER` or `.invalidCertificate`.
    public init(der: [UInt8]) throws {
        defer { OpenSSLErrors.clear() }  // decoding optional extensions may queue errors
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
        poison = PoisonStatus(tbs.extensions(withOID: OID.poison))
        if let facts = CertificateDERFacts(tbs: tbs, parts: parts) {
            (notBefore, notAfter) = (facts.notBefore, facts.notAfter)
            (isCA, pathLengthConstraint) = (facts.constraints.isCA, facts.constraints.pathLength)
            signatureBits = facts.signature
        } else {
            let handle = try X509Handle(der: der)
            (notBefore, notAfter) = try handle.validity()
            (isCA, pathLengthConstraint) = (handle.isCA, handle.pathLengthConstraint)
            signatureBits = nil
            openSSLObjects.withLock { $0.x509 = handle }
        }
    }

    /// True when `init` read the certificate's facts without OpenSSL.
    var isReadWithoutOpenSSL: Bool { signatureBits != nil }

    /// The certificate as OpenSSL parses it, parsed now if no earlier call did.
    /// Throws `.invalidCertificate` when OpenSSL refuses it.
    func openSSL() throws -> X509Handle {
        try openSSLObjects.withLock { objects in
            if let handle = objects.x509 { return handle }
            let parsed = try X509Handle(der: der)
            objects.x509 = parsed
            return parsed
        }
    }

    /// This certificate's public key for checking what it issued, or nil when OpenSSL cannot read it.
    func issuerKey() -> IssuerKey? { kept(\.key) { IssuerKey(spkiDER: spkiDER) } }

    /// The issuer Name as OpenSSL reads it, or nil when it cannot.
    func issuerName() -> NameHandle? { kept(\.issuerName) { NameHandle(der: issuerDER) } }

    /// The subject Name as OpenSSL reads it, or nil when it cannot.
    func subjectName() -> NameHandle? { kept(\.subjectName) { NameHandle(der: subjectDER) } }

    /// The object at `path`, made by `make` on first use and kept; a nil from `make` is not
    /// kept, so the next call tries again.
    private func kept<T: Sendable>(_ path: WritableKeyPath<OpenSSLObjects, T?>, _ make: () -> T?) -> T? {
        openSSLObjects.withLock { objects in
            if let kept = objects[keyPath: path] { return kept }
            let made = make()
            objects[keyPath: path] = made
            return made
        }
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
    public func profile() throws -> CertificateProfile { try CertificateProfile(tbs: tbs) }

    /// SHA-256 of `der`: the certificate's usual fingerprint, computed once. An
    /// intermediate or root is one object shared by every chain it ends (`CertificateCache`,
    /// the accepted roots), and each entry it issued names it by this fingerprint.
    public var fingerprint: [UInt8] {
        openSSLObjects.withLock { objects in
            if let kept = objects.fingerprint { return kept }
            let made = SHA256.hash(der)
            objects.fingerprint = made
            return made
        }
    }

    /// The signature algorithm's name, such as "sha256WithRSAEncryption", for messages.
    public var signatureAlgorithmName: String {
        (try? openSSL().signatureAlgorithmName) ?? "unknown algorithm (certificate OpenSSL cannot parse)"
    }

    private static func summary(_ attributes: [(type: String, value: String)]?, _ name: [UInt8]) -> String {
        guard let attributes else { return "(a \(name.count)-byte name OpenSSL cannot decode)" }
        return attributes.isEmpty ? "(empty name)" : attributes.map { "\($0.type)=\($0.value)" }.joined(separator: ", ")
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool {
        lhs.der == rhs.der
    }

    public func hash(into hasher: inout Hasher) {
        ByteKey(der).hash(into: &hasher)
    }
}
