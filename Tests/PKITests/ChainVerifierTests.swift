import Foundation
import PKI
import Testing
import TestSupport

/// ChainVerifier over certificate-transparency-go's fake PKI (trillian/testdata):
/// roots fake-ca.cert and fake-ca-1.cert share one subject Name but not a key.
@Suite struct ChainVerifierTests {
    static let folderName = "ctgo-trillian-testdata"
    static let leafChains = (0...20).map { String(format: "leaf%02d.chain", $0) } + ["leaf-1.chain", "subleaf.chain"]

    struct Fake {
        let folder: URL
        let verifier: ChainVerifier

        init?() throws {
            guard let folder = Vectors.folder(ChainVerifierTests.folderName) else { return nil }
            self.folder = folder
            verifier = ChainVerifier(roots: [try Fixtures.certificate(folder, "fake-ca.cert"),
                                             try Fixtures.certificate(folder, "fake-ca-1.cert")])
        }

        func chain(_ file: String) throws -> [Certificate] {
            try Fixtures.certificates(folder, file)
        }
    }

    @Test(arguments: leafChains)
    func acceptedWithAndWithoutRoot(_ file: String) throws {
        guard let fake = try Fake() else { return }
        var submitted = try fake.chain(file)
        if let last = submitted.last, fake.verifier.isAcceptedRoot(last) { submitted.removeLast() }
        let withoutRoot = try fake.verifier.verify(submitted, as: .certificate)
        let root = try #require(withoutRoot.issuers.last)
        #expect(fake.verifier.roots.contains(root))
        #expect(withoutRoot.leaf == submitted[0])
        #expect(Array(withoutRoot.issuers.dropLast()) == Array(submitted.dropFirst()))
        #expect(withoutRoot.issuerKeyHash == nil && withoutRoot.precertificateTBS == nil)

        let withRoot = try fake.verifier.verify(submitted + [root], as: .certificate)
        #expect(withRoot.issuers == withoutRoot.issuers)
    }

    /// leaf-1 chains to fake-ca-1; fake-ca has the same Name but cannot verify it.
    @Test func sameNamedRootsAreTriedByKey() throws {
        guard let fake = try Fake() else { return }
        let chain = try fake.chain("leaf-1.chain")
        let verified = try fake.verifier.verify(chain, as: .certificate)
        #expect(verified.issuers.last == fake.verifier.roots[1])

        let onlyFakeCA = ChainVerifier(roots: [fake.verifier.roots[0]])
        #expect(Self.message { try onlyFakeCA.verify(chain, as: .certificate) }.contains("none verifies the signature"))
    }

    @Test(arguments: ["subleaf.misordered.chain", "subleaf-pre.misordered.chain"])
    func misorderedChainsAreRejected(_ file: String) throws {
        guard let fake = try Fake() else { return }
        let chain = try fake.chain(file)
        for kind in [SubmissionKind.certificate, .precertificate] where (kind == .precertificate) == file.contains("-pre") {
            #expect(Self.message { try fake.verifier.verify(chain, as: kind) }.contains("misordered chain"))
        }
    }

    @Test func precertificateOnlyThroughAddPreChain() throws {
        guard let fake = try Fake() else { return }
        let chain = try fake.chain("subleaf-pre.chain")
        let verified = try fake.verifier.verify(chain, as: .precertificate)
        // chain[1] (FakeSubIntermediateAuthority) is an ordinary CA, not a PSC.
        #expect(verified.issuerKeyHash == SHA256.hash(chain[1].spkiDER))
        #expect(verified.precertificateTBS == (try chain[0].precertificateTBS(signingCertificate: nil)))
        #expect(verified.issuers == Array(chain.dropFirst()))

        #expect(Self.message { try fake.verifier.verify(chain, as: .certificate) }.contains("precertificate submitted to add-chain"))
        #expect(throws: PKIError(.invalidPrecertificate, "")) { try fake.verifier.verify(fake.chain("subleaf.chain"), as: .precertificate) }
    }

    @Test func unknownRootsAreRejected() throws {
        guard let fake = try Fake(), let cpp = Vectors.folder("ct-cpp-testdata") else { return }
        let other = ChainVerifier(roots: [try Fixtures.certificate(cpp, "ca-cert.pem")])
        #expect(Self.message { try other.verify(fake.chain("leaf00.chain"), as: .certificate) }.contains("unknown root"))
        // leaf02.chain includes fake-ca, a self-signed root this verifier does not accept.
        #expect(Self.message { try other.verify(fake.chain("leaf02.chain"), as: .certificate) }.contains("self-signed"))
        #expect(Self.message { try ChainVerifier(roots: []).verify(fake.chain("leaf00.chain"), as: .certificate) }.contains("unknown root"))
    }

    /// A flipped bit in the last byte of a signature value keeps the DER well formed.
    @Test(arguments: [0, 1])
    func corruptedSignatureIsRejected(_ position: Int) throws {
        guard let fake = try Fake() else { return }
        var chain = try fake.chain("leaf00.chain")
        chain[position] = try Certificate(der: Fixtures.flipping(chain[position].der, at: -1))
        let message = Self.message { try fake.verifier.verify(chain, as: .certificate) }
        // The intermediate's signature is checked against the root that is appended.
        #expect(message.contains(position == 0 ? "bad signature on chain[0]" : "none verifies the signature"))
    }

    @Test func emptyAndRepeatedChainsAreRejected() throws {
        guard let fake = try Fake() else { return }
        #expect(Self.message { try fake.verifier.verify([], as: .certificate) }.contains("empty chain"))
        let chain = try fake.chain("leaf02.chain")
        #expect(Self.message { try fake.verifier.verify(chain + [chain[2]], as: .certificate) }.contains("repeats"))
        #expect(Self.message { try fake.verifier.verify([chain[0], chain[1], chain[1]], as: .certificate) }.contains("repeats"))
    }

    /// A single accepted root is its own chain, as in certificate-transparency-go.
    @Test func aRootAloneIsAccepted() throws {
        guard let fake = try Fake() else { return }
        let verified = try fake.verifier.verify([fake.verifier.roots[0]], as: .certificate)
        #expect(verified.issuers.isEmpty)
    }

    /// The message of the `.invalidChain` or `.invalidPrecertificate` error `body` throws.
    static func message(_ body: () throws -> VerifiedChain, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            _ = try body()
            Issue.record("chain was accepted", sourceLocation: sourceLocation)
        } catch let error as PKIError {
            #expect(error.code == .invalidChain || error.code == .invalidPrecertificate, sourceLocation: sourceLocation)
            return error.message
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        return ""
    }
}
