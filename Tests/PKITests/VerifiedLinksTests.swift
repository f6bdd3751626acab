import PKI
import Testing

/// The two caches the submission path keeps across chains: verified CA links and parsed issuers.
/// Each must save work only where the answer could not differ, so every test also shows that
/// what is not the same bytes is still checked.
@Suite struct VerifiedLinksTests {
    static let ca = ["basicConstraints=critical,CA:TRUE", "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid:always"]
    static let leaf = ["basicConstraints=CA:FALSE", "authorityKeyIdentifier=keyid:always"]

    /// The same intermediate with its signature changed in its last byte: still DER, no longer signed.
    static func forged(_ certificate: Certificate) throws -> Certificate {
        var der = certificate.der
        der[der.count - 1] ^= 0x01
        return try Certificate(der: der)
    }

    @Test func keepsOnlyLinksBetweenCAsAndStillRefusesAForgedIntermediate() throws {
        let pki = try ScratchPKI()
        let intermediate = try pki.issue("intermediate", by: "ca", serial: 2, extensions: Self.ca)
        let first = try pki.issue("first", by: "intermediate", serial: 3, extensions: Self.leaf)
        let second = try pki.issue("second", by: "intermediate", serial: 4, extensions: Self.leaf)
        let verifier = ChainVerifier(roots: [pki.root])

        #expect(try verifier.verify([first, intermediate], as: .certificate).issuers == [intermediate, pki.root])
        #expect(verifier.verifiedLinks.count == 1)   // intermediate -> root; the leaf's link is not kept
        #expect(try verifier.verify([second, intermediate, pki.root], as: .certificate).issuers == [intermediate, pki.root])
        #expect(verifier.verifiedLinks.count == 1)

        let forged = try Self.forged(intermediate)
        #expect(forged.subjectDER == intermediate.subjectDER && forged.spkiDER == intermediate.spkiDER)
        for chain in [[second, forged], [second, forged, pki.root]] {
            #expect(ChainVerifierTests.message { try verifier.verify(chain, as: .certificate) }.contains("does not verify"))
        }
        #expect(verifier.verifiedLinks.count == 1)   // a failed check is never kept
    }

    @Test func aForgedLeafIsCheckedEveryTime() throws {
        let pki = try ScratchPKI()
        let intermediate = try pki.issue("intermediate", by: "ca", serial: 2, extensions: Self.ca)
        let leaf = try pki.issue("leaf", by: "intermediate", serial: 3, extensions: Self.leaf)
        let verifier = ChainVerifier(roots: [pki.root])
        _ = try verifier.verify([leaf, intermediate], as: .certificate)
        #expect(ChainVerifierTests.message { try verifier.verify([try Self.forged(leaf), intermediate], as: .certificate) }
            .contains("bad signature on chain[0]"))
    }

    @Test func aFullSetEmptiesAndStaysCorrect() throws {
        let pki = try ScratchPKI()
        let one = try pki.issue("one", by: "ca", serial: 2, extensions: Self.ca)
        let two = try pki.issue("two", by: "ca", serial: 3, extensions: Self.ca)
        let leafOfOne = try pki.issue("leaf1", by: "one", serial: 4, extensions: Self.leaf)
        let leafOfTwo = try pki.issue("leaf2", by: "two", serial: 5, extensions: Self.leaf)
        let verifier = ChainVerifier(roots: [pki.root], verifiedLinks: VerifiedLinks(capacity: 1))
        for _ in 0..<3 {
            _ = try verifier.verify([leafOfOne, one], as: .certificate)
            _ = try verifier.verify([leafOfTwo, two], as: .certificate)
            #expect(verifier.verifiedLinks.count == 1)
        }
        #expect(ChainVerifierTests.message { try verifier.verify([leafOfTwo, try Self.forged(two)], as: .certificate) }
            .contains("does not verify"))
    }

    @Test func certificateCacheParsesEachDEROnce() throws {
        let pki = try ScratchPKI()
        let intermediate = try pki.issue("intermediate", by: "ca", serial: 2, extensions: Self.ca)
        let cache = CertificateCache(capacity: 2)
        let parsed = try cache.certificate(der: intermediate.der)
        #expect(parsed == intermediate)
        #expect(try cache.certificate(der: intermediate.der) === parsed)
        #expect(throws: PKIError.self) { try cache.certificate(der: intermediate.der + [0]) }
        #expect(throws: PKIError.self) { try cache.certificate(der: Array(intermediate.der.dropLast())) }
        #expect(cache.count == 1)   // what does not parse is not kept
        _ = try cache.certificate(der: pki.root.der)
        _ = try cache.certificate(der: try Self.forged(intermediate).der)
        #expect(cache.count == 1)   // full at two: emptied, then refilled
        #expect(try cache.certificate(der: intermediate.der) == intermediate)
    }
}
