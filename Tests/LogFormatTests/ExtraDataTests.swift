@testable import LogFormat
import Testing
import TestSupport

@Suite struct ExtraDataTests {
    @Test func x509ChainLayout() throws {
        let bytes = ExtraData.x509(chain: [[0xaa], [0xbb, 0xcc]])
        #expect(Fixtures.hexString(bytes) == "000009" + "000001aa" + "000002bbcc")
        #expect(try ExtraData.parseX509(bytes) == [[0xaa], [0xbb, 0xcc]])
        #expect(Fixtures.hexString(ExtraData.x509(chain: [])) == "000000")
        #expect(try ExtraData.parseX509(Fixtures.hex("000000")) == [])
    }

    @Test func precertChainEntryLayout() throws {
        let bytes = ExtraData.precert(preCertificate: [0x01, 0x02], chain: [[0xaa]])
        #expect(Fixtures.hexString(bytes) == "0000020102" + "000004" + "000001aa")
        let parsed = try ExtraData.parsePrecert(bytes)
        #expect(parsed.preCertificate == [0x01, 0x02])
        #expect(parsed.chain == [[0xaa]])
    }

    @Test func realChainsRoundTrip() throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        let chain = try Fixtures.pemBlocks(try Vectors.text(folder, "test-intermediate-cert-chain.pem"))
            + [try Fixtures.certificate(folder, "ca-cert.pem")]
        try #require(chain.count >= 2)
        #expect(try ExtraData.parseX509(ExtraData.x509(chain: chain)) == chain)
        let preCertificate = try Fixtures.certificate(folder, "test-embedded-pre-cert.pem")
        let parsed = try ExtraData.parsePrecert(ExtraData.precert(preCertificate: preCertificate, chain: chain))
        #expect(parsed.preCertificate == preCertificate)
        #expect(parsed.chain == chain)
    }

    @Test func truncatedAndTrailingInputsThrow() {
        let x509 = ExtraData.x509(chain: [[0xaa], [0xbb, 0xcc]])
        Fixtures.expectEveryPrefixThrows(x509) { _ = try ExtraData.parseX509($0) }
        #expect(throws: FormatError(.trailingData, "")) { try ExtraData.parseX509(x509 + [0]) }
        let precert = ExtraData.precert(preCertificate: [0x01], chain: [[0xaa]])
        Fixtures.expectEveryPrefixThrows(precert) { _ = try ExtraData.parsePrecert($0) }
        #expect(throws: FormatError(.trailingData, "")) { try ExtraData.parsePrecert(precert + [0]) }
    }

    @Test func emptyCertificatesAndInnerOverrunsThrow() {
        // A chain holding a zero-length ASN.1Cert.
        #expect(throws: FormatError(.invalidLength, "")) { try ExtraData.parseX509(Fixtures.hex("000003000000")) }
        // An inner certificate claiming more bytes than the chain vector holds.
        #expect(throws: FormatError(.truncated, "")) { try ExtraData.parseX509(Fixtures.hex("000004000002aa" + "bb")) }
        // An empty pre_certificate.
        #expect(throws: FormatError(.invalidLength, "")) { try ExtraData.parsePrecert(Fixtures.hex("000000000000")) }
    }
}
