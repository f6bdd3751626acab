import PKI
import Testing

@Suite struct PrecertificateEdgeCaseTests {
    /// Removing the only extension drops the `[3]` wrapper (as certificate-transparency-go
    /// does), and OpenSSL still reads the result as a certificate with no extensions.
    @Test func onlyPoisonLeavesNoExtensionsField() throws {
        let pki = try ScratchPKI()
        let precertificate = try pki.issue("leaf", by: "ca", serial: 2, extensions: [ScratchPKI.poison, "authorityKeyIdentifier=none"])
        let tbs = try precertificate.precertificateTBS(signingCertificate: nil)
        let rebuilt = try Certificate(der: Self.certificate(tbs: tbs, signedAs: precertificate))
        #expect(rebuilt.tbsDER == tbs && rebuilt.poison == .absent)
        // [3] EXPLICIT (2) + Extensions SEQUENCE (2) + Extension (2 + 12 OID + 3 critical + 4 value) = 25 bytes gone.
        #expect(precertificate.tbsDER.count - tbs.count == 25)
        try pki.cli.write("rebuilt.der", rebuilt.der)
        let text = try pki.cli.require(pki.cli.run("x509", "-inform", "DER", "-in", "rebuilt.der", "-noout", "-text"))
        #expect(!text.contains("X509v3 extensions") && text.contains("Version: 3"))

        let verified = try ChainVerifier(roots: [pki.root]).verify([precertificate], as: .precertificate)
        #expect(verified.precertificateTBS == tbs)
    }

    /// The C++ reference log refuses a precertificate with an authorityKeyIdentifier
    /// signed by a PSC that has none to copy (PreCertChain::IsWellFormed).
    @Test func pscWithoutAuthorityKeyIdentifierIsRefused() throws {
        let pki = try ScratchPKI()
        let psc = try pki.issue("psc", by: "ca", serial: 2, extensions: ScratchPKI.psc + ["authorityKeyIdentifier=none"])
        let precertificate = try pki.issue("leaf", by: "psc", serial: 3,
                                           extensions: [ScratchPKI.poison, "authorityKeyIdentifier=keyid:always"])
        #expect(throws: PKIError(.invalidPrecertificate, "")) { try precertificate.precertificateTBS(signingCertificate: psc) }
        #expect(throws: PKIError(.invalidPrecertificate, "")) {
            try ChainVerifier(roots: [pki.root]).verify([precertificate, psc], as: .precertificate)
        }
    }

    /// A precertificate without an authorityKeyIdentifier keeps none, even when the
    /// PSC has one (the C++ log copies only into an existing extension).
    @Test func precertificateWithoutAuthorityKeyIdentifierGetsNone() throws {
        let pki = try ScratchPKI()
        let psc = try pki.issue("psc", by: "ca", serial: 2, extensions: ScratchPKI.psc + ["authorityKeyIdentifier=keyid:always"])
        let precertificate = try pki.issue("leaf", by: "psc", serial: 3,
                                           extensions: [ScratchPKI.poison, "authorityKeyIdentifier=none", "basicConstraints=CA:FALSE"])
        let verified = try ChainVerifier(roots: [pki.root]).verify([precertificate, psc], as: .precertificate)
        let tbs = try #require(verified.precertificateTBS)
        let rebuilt = try Certificate(der: Self.certificate(tbs: tbs, signedAs: precertificate))
        #expect(rebuilt.issuerDER == pki.root.subjectDER)
        #expect(rebuilt.subjectDER == precertificate.subjectDER)
        #expect(!Self.contains(tbs, [0x06, 0x03, 0x55, 0x1D, 0x23]), "an authorityKeyIdentifier appeared")
        #expect(verified.issuerKeyHash == SHA256.hash(pki.root.spkiDER))
    }

    /// `tbs` wrapped as a Certificate with `original`'s signature fields, so OpenSSL
    /// can judge its encoding. Written here from X.690 rather than with the module's DER code.
    static func certificate(tbs: [UInt8], signedAs original: Certificate) -> [UInt8] {
        let der = original.der
        let header = der[1] < 0x80 ? 2 : 2 + Int(der[1] & 0x7F)
        let tail = Array(der[(header + original.tbsDER.count)...])
        let length = tbs.count + tail.count
        let lengthOctets: [UInt8] = length < 0x80 ? [UInt8(length)]
            : length < 0x100 ? [0x81, UInt8(length)] : [0x82, UInt8(length >> 8), UInt8(length & 0xFF)]
        return [0x30] + lengthOctets + tbs + tail
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        bytes.indices.contains { bytes[$0...].starts(with: needle) }
    }
}
