import PKI
import Testing

/// Chain rules the shared vectors do not exercise, on scratch PKIs from the openssl tool.
@Suite struct ChainRuleTests {
    static let pathLengthZero = ["basicConstraints=critical,CA:TRUE,pathlen:0", "subjectKeyIdentifier=hash"]

    /// Go's verifier enforces pathLenConstraint (RFC 5280 s4.2.1.9); so do we.
    @Test func pathLengthConstraintIsEnforced() throws {
        let pki = try ScratchPKI(rootExtensions: Self.pathLengthZero)
        let verifier = ChainVerifier(roots: [pki.root])
        let direct = try pki.issue("direct", by: "ca", serial: 2, extensions: ["basicConstraints=CA:FALSE"])
        #expect(try verifier.verify([direct], as: .certificate).issuers == [pki.root])

        let intermediate = try pki.issue("intermediate", by: "ca", serial: 3, extensions: ["basicConstraints=critical,CA:TRUE"])
        let leaf = try pki.issue("leaf", by: "intermediate", serial: 4, extensions: ["basicConstraints=CA:FALSE"])
        #expect(ChainVerifierTests.message { try verifier.verify([leaf, intermediate], as: .certificate) }
            .contains("pathLenConstraint"))
        #expect(ChainVerifierTests.message { try verifier.verify([leaf, intermediate, pki.root], as: .certificate) }
            .contains("pathLenConstraint"))
    }

    /// certificate-transparency-go lets a Precertificate Signing Certificate sit under
    /// a pathlen:0 CA: it stands in for the CA itself.
    @Test func precertificateSigningCertificateDoesNotCountTowardsPathLength() throws {
        let pki = try ScratchPKI(rootExtensions: Self.pathLengthZero)
        let psc = try pki.issue("psc", by: "ca", serial: 2, extensions: ScratchPKI.psc + ["authorityKeyIdentifier=keyid:always"])
        let precertificate = try pki.issue("leaf", by: "psc", serial: 3,
                                           extensions: [ScratchPKI.poison, "authorityKeyIdentifier=keyid:always"])
        let verified = try ChainVerifier(roots: [pki.root]).verify([precertificate, psc], as: .precertificate)
        #expect(verified.issuers == [psc, pki.root])
        #expect(verified.issuerKeyHash == SHA256.hash(pki.root.spkiDER))
    }

    /// A PSC must be a CA too (both reference logs require it of every intermediate).
    @Test func precertificateSigningCertificateMustBeCA() throws {
        let pki = try ScratchPKI()
        let psc = try pki.issue("psc", by: "ca", serial: 2, extensions: [
            "basicConstraints=critical,CA:FALSE", "extendedKeyUsage=critical,1.3.6.1.4.1.11129.2.4.4",
            "subjectKeyIdentifier=hash", "keyUsage=critical,keyCertSign",
        ])
        let precertificate = try pki.issue("leaf", by: "psc", serial: 3, extensions: [ScratchPKI.poison])
        #expect(ChainVerifierTests.message { try ChainVerifier(roots: [pki.root]).verify([precertificate, psc], as: .precertificate) }
            .contains("is not a CA"))
    }

    /// A malformed poison extension (not critical) is refused on both endpoints.
    @Test func malformedPoisonIsRefused() throws {
        let pki = try ScratchPKI()
        let precertificate = try pki.issue("leaf", by: "ca", serial: 2, extensions: ["1.3.6.1.4.1.11129.2.4.3=DER:05:00"])
        #expect(precertificate.poison == .malformed)
        let verifier = ChainVerifier(roots: [pki.root])
        #expect(ChainVerifierTests.message { try verifier.verify([precertificate], as: .precertificate) }.contains("malformed poison"))
        #expect(ChainVerifierTests.message { try verifier.verify([precertificate], as: .certificate) }
            .contains("precertificate submitted to add-chain"))
    }
}
