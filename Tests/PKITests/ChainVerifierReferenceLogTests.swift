import Foundation
import PKI
import Testing
import TestSupport

/// ChainVerifier over the C++ reference log's vectors, following its
/// cert_checker_test.cc where production logs agree, and Go's ctfe where they differ.
@Suite struct ChainVerifierReferenceLogTests {
    struct Reference {
        let folder: URL
        let root: Certificate
        let verifier: ChainVerifier

        init?() throws {
            guard let folder = Vectors.folder("ct-cpp-testdata") else { return nil }
            self.folder = folder
            root = try Fixtures.certificate(folder, "ca-cert.pem")
            verifier = ChainVerifier(roots: [root])
        }

        func certificates(_ files: String...) throws -> [Certificate] {
            try files.flatMap { try Fixtures.certificates(folder, $0) }
        }
    }

    @Test func certificatesChainToCA() throws {
        guard let reference = try Reference() else { return }
        let leaf = try reference.certificates("test-cert.pem")
        #expect(try reference.verifier.verify(leaf, as: .certificate).issuers == [reference.root])
        #expect(try reference.verifier.verify(leaf + [reference.root], as: .certificate).issuers == [reference.root])

        let chain = try reference.certificates("test-intermediate-cert.pem", "intermediate-cert.pem")
        #expect(try reference.verifier.verify(chain, as: .certificate).issuers == [chain[1], reference.root])
        #expect(ChainVerifierTests.message { try reference.verifier.verify([chain[0]], as: .certificate) }.contains("unknown root"))
        #expect(ChainVerifierTests.message { try reference.verifier.verify([chain[1], chain[0]], as: .certificate) }
            .contains("chain[0]"))
    }

    /// The four ct-cpp precertificate shapes: direct, through a PSC, through an
    /// intermediate, and through an intermediate's PSC. `issuerKeyHash` names the CA
    /// that signs the final certificate; the TBS matches that final certificate.
    @Test(arguments: [
        (["test-embedded-pre-cert.pem"], "ca-cert.pem", "test-embedded-cert.pem"),
        (["test-embedded-with-preca-pre-cert.pem", "ca-pre-cert.pem"], "ca-cert.pem", "test-embedded-with-preca-cert.pem"),
        (["test-embedded-with-intermediate-pre-cert.pem", "intermediate-cert.pem"], "intermediate-cert.pem",
         "test-embedded-with-intermediate-cert.pem"),
        (["test-embedded-with-intermediate-preca-pre-cert.pem", "intermediate-pre-cert.pem", "intermediate-cert.pem"],
         "intermediate-cert.pem", "test-embedded-with-intermediate-preca-cert.pem"),
    ])
    func precertificates(_ files: [String], _ finalIssuer: String, _ final: String) throws {
        guard let reference = try Reference() else { return }
        let chain = try files.flatMap { try reference.certificates($0) }
        let verified = try reference.verifier.verify(chain, as: .precertificate)
        #expect(verified.issuerKeyHash == SHA256.hash(try reference.certificates(finalIssuer)[0].spkiDER))
        #expect(verified.precertificateTBS == (try reference.certificates(final)[0].tbsWithoutEmbeddedSCTList()))
        #expect(verified.issuers.last == reference.root)
        #expect(throws: PKIError(.invalidChain, "")) { try reference.verifier.verify(chain, as: .certificate) }
    }

    @Test func precertificateThroughPSCNeedsThePSC() throws {
        guard let reference = try Reference() else { return }
        let precertificate = try reference.certificates("test-embedded-with-preca-pre-cert.pem")
        #expect(ChainVerifierTests.message { try reference.verifier.verify(precertificate, as: .precertificate) }
            .contains("unknown root"))
        #expect(throws: PKIError(.invalidPrecertificate, "")) {
            try reference.verifier.verify(reference.certificates("test-cert.pem"), as: .precertificate)
        }
        // A PSC that is itself the accepted root cannot stand for the final issuer.
        let psc = try reference.certificates("ca-pre-cert.pem")[0]
        #expect(throws: PKIError(.invalidPrecertificate, "")) {
            try ChainVerifier(roots: [psc]).verify(precertificate + [psc], as: .precertificate)
        }
    }

    /// cert_checker_test AcceptNoBasicConstraintsAndMd2: a trusted root without
    /// basicConstraints, signed with MD2, is accepted, because a configured root is
    /// trusted as is: neither its CA flag nor its self-signature is checked.
    @Test func legacyRootWithoutBasicConstraintsIsAccepted() throws {
        guard let reference = try Reference() else { return }
        let root = try reference.certificates("test-no-bc-ca-cert.pem")[0]
        #expect(!root.isCA && root.signatureAlgorithmName == "md2WithRSAEncryption")
        let verifier = ChainVerifier(roots: [root])
        let chain = try reference.certificates("test-no-bc-cert-chain.pem")
        #expect(chain.last == root)
        #expect(try verifier.verify(chain, as: .certificate).issuers.count == 3)
        #expect(try verifier.verify(Array(chain.dropLast()), as: .certificate).issuers.last == root)
    }

    /// cert_checker_test DontAcceptMD2: an intermediate signed with MD2 fails,
    /// since OpenSSL 3 cannot verify MD2 (and no log should).
    @Test func md2SignedIntermediateIsRejected() throws {
        guard let reference = try Reference() else { return }
        let verifier = ChainVerifier(roots: try reference.certificates("test-no-bc-ca-cert.pem"))
        let chain = try reference.certificates("test-md2-chain.pem")
        #expect(chain[1].signatureAlgorithmName == "md2WithRSAEncryption")
        #expect(ChainVerifierTests.message { try verifier.verify(chain, as: .certificate) }.contains("md2WithRSAEncryption"))
    }

    /// cert_checker_test DontAcceptNoBasicConstraints: test-cert.pem is not a CA,
    /// so the certificate it "issued" is refused (Go's verifier agrees).
    @Test func nonCAIssuerIsRejected() throws {
        guard let reference = try Reference() else { return }
        let chain = try reference.certificates("test-no-ca-cert-chain.pem")
        #expect(ChainVerifierTests.message { try reference.verifier.verify(chain, as: .certificate) }.contains("is not a CA"))
        #expect(ChainVerifierTests.message { try reference.verifier.verify(Array(chain.dropLast()), as: .certificate) }
            .contains("is not a CA"))
    }

    /// cert_checker_test ResolveIssuerCollisions: two accepted roots with one Name;
    /// the chain is accepted without a root and with either root appended.
    @Test func collidingRootsResolve() throws {
        guard let reference = try Reference() else { return }
        let roots = try reference.certificates("test-colliding-roots.pem")
        #expect(roots == (try reference.certificates("test-colliding-root1.pem", "test-colliding-root2.pem")))
        let verifier = ChainVerifier(roots: roots)
        let chain = try reference.certificates("test-issuer-collision-chain.pem")
        #expect(roots.contains(try verifier.verify(chain, as: .certificate).issuers.last!))
        for root in roots {
            #expect(try verifier.verify(chain + [root], as: .certificate).issuers.last == root)
        }
    }
}
