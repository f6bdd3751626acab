/// The facts submission checks need from a certificate, read from its DER when the
/// certificate has the common, plainly encoded shape; nil otherwise, and OpenSSL then parses
/// the certificate and supplies them.
///
/// Why: OpenSSL 3's `d2i_X509` of a 700-byte leaf costs more than checking its signature,
/// most of it decoding a public key a log never uses, and a log parses one new leaf per
/// submission. What is read here is what OpenSSL would read from the same bytes; a
/// certificate outside the shape below gets OpenSSL's judgement exactly as before.
///
/// The shape (RFC 5280 s4.1):
/// - version absent (v1), or v2 or v3 as a one-byte INTEGER, with extensions only in v3
///   and no unique identifiers;
/// - a serialNumber INTEGER in its minimal encoding;
/// - issuer and subject Names of plain strings (`DistinguishedName.isPlain`);
/// - validity times in the exact forms of `CertificateTime`;
/// - a SubjectPublicKeyInfo of an AlgorithmIdentifier and a BIT STRING;
/// - no extension listed twice, and basicConstraints, when present, plainly encoded;
/// - an outer signatureAlgorithm equal to the TBSCertificate's and a signature BIT STRING
///   with no unused bits.
struct CertificateDERFacts {
    let notBefore: Int64
    let notAfter: Int64
    let constraints: BasicConstraints
    /// The signatureValue bits.
    let signature: ArraySlice<UInt8>

    /// `parts` are the three elements of the outer Certificate SEQUENCE; `tbs` the first, parsed.
    init?(tbs: TBSCertificate, parts: [DER.Element]) {
        // TBSCertificate has checked the serialNumber is an INTEGER.
        guard Self.versionFits(tbs), !tbs.hasUniqueIdentifiers, DER.isMinimalInteger(tbs.serialNumber.content),
              DistinguishedName.isPlain(tbs.issuer), DistinguishedName.isPlain(tbs.subject),
              Self.isPlainPublicKeyInfo(tbs.subjectPublicKeyInfo),
              let (notBefore, notAfter) = CertificateTime.validity(tbs.validity) else { return nil }

        // A certificate carries a handful of extensions: comparing each extnID with the ones
        // before it costs less than hashing them all into a set.
        let extensions = tbs.extensions
        for (index, element) in extensions.enumerated() {
            guard let oid = try? DER.single(element.oid, "extnID"), DistinguishedName.isObjectIdentifier(oid),
                  !extensions[..<index].contains(where: { $0.oid.elementsEqual(element.oid) }) else { return nil }
        }
        var constraints = BasicConstraints.absent
        if let element = tbs.firstExtension(withOID: OID.basicConstraints) {
            guard let read = BasicConstraints(element.value) else { return nil }
            constraints = read
        }

        let algorithm = parts[1], value = parts[2]
        guard algorithm.tag == DER.Tag.sequence, algorithm.raw.elementsEqual(tbs.signature),
              value.tag == DER.Tag.bitString, value.content.first == 0 else { return nil }
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.constraints = constraints
        signature = value.content.dropFirst()
    }

    private static func versionFits(_ tbs: TBSCertificate) -> Bool {
        guard let version = tbs.version else { return tbs.extensionsIndex == nil }
        guard let inner = try? DER.single(version.content, "version"), inner.tag == DER.Tag.integer,
              inner.content.count == 1, let number = inner.content.first else { return false }
        return number == 2 || (number == 1 && tbs.extensionsIndex == nil)
    }

    private static func isPlainPublicKeyInfo(_ spki: ArraySlice<UInt8>) -> Bool {
        guard let element = try? DER.single(spki, "SubjectPublicKeyInfo"), element.tag == DER.Tag.sequence else { return false }
        var parts = element.childReader()
        guard let algorithm = try? parts.next(), let key = try? parts.next(), parts.isAtEnd,
              algorithm.tag == DER.Tag.sequence else { return false }
        var algorithmParts = algorithm.childReader()
        guard let oid = try? algorithmParts.next(), DistinguishedName.isObjectIdentifier(oid), algorithmParts.readToEnd(),
              key.tag == DER.Tag.bitString, let unused = key.content.first else { return false }
        return unused == 0
    }
}
