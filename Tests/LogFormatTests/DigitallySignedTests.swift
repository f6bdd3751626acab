@testable import LogFormat
import Merkle
import Testing

@Suite struct DigitallySignedTests {
    @Test func encodesAlgorithmsThenSignatureVector() throws {
        let signed = DigitallySigned(hashAlgorithm: .sha256, signatureAlgorithm: .ecdsa, signature: [1, 2, 3])
        #expect(Fixtures.hexString(signed.encoded) == "04030003010203")
        #expect(try DigitallySigned(parsing: signed.encoded) == signed)
    }

    @Test func unknownAlgorithmBytesStillRoundTrip() throws {
        let bytes = Fixtures.hex("0209000100")
        let signed = try DigitallySigned(parsing: bytes)
        #expect(signed.hashAlgorithm == 2)
        #expect(signed.signatureAlgorithm == 9)
        #expect(signed.encoded == bytes)
    }

    @Test func truncatedAndTrailingInputsThrow() {
        let bytes = Fixtures.hex("04030003010203")
        Fixtures.expectEveryPrefixThrows(bytes) { _ = try DigitallySigned(parsing: $0) }
        #expect(throws: FormatError(.trailingData, "")) { try DigitallySigned(parsing: bytes + [0]) }
    }

    @Test func treeHeadSignatureInputHasTheRFC6962Layout() {
        let head = TreeHead(treeSize: 0x0a0b, timestamp: 0x0102_0304_0506_0708, rootHash: Hash(Array(repeating: 0xcd, count: 32)))
        let want = "00" + "01" + "0102030405060708" + "0000000000000a0b" + String(repeating: "cd", count: 32)
        #expect(Fixtures.hexString(head.signatureInput) == want)
    }

    @Test func sctSignatureInputIsTheDigitallySignedStruct() {
        let entry = SignedEntry.x509(certificate: [0xab])
        let input = SignedCertificateTimestamp.signatureInput(timestamp: 3, entry: entry, extensions: [0xee])
        #expect(Fixtures.hexString(input) == "00" + "00" + "0000000000000003" + "0000" + "000001ab" + "0001ee")
        let precert = SignedEntry.precert(issuerKeyHash: Array(repeating: 0x22, count: 32), tbsCertificate: [0x30, 0x00])
        let precertInput = SignedCertificateTimestamp.signatureInput(timestamp: 3, entry: precert, extensions: [])
        #expect(Fixtures.hexString(precertInput)
                    == "0000" + "0000000000000003" + "0001" + String(repeating: "22", count: 32) + "0000023000" + "0000")
    }
}
