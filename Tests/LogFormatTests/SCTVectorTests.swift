import Foundation
@testable import LogFormat
import Testing
import TestSupport

/// The recorded `*.proof` files are TLS-serialized SCTs from real CT logs.
@Suite struct SCTVectorTests {
    struct Proof: Sendable, CustomTestStringConvertible {
        let folder: String
        let file: String
        let timestamp: UInt64
        let signatureAlgorithm: SignatureAlgorithm
        var testDescription: String { "\(folder)/\(file)" }
    }

    static let ecdsaLogID = "df1c2ec11500945247a96168325ddc5c7959e8f7c6d388fc002e0bbd3f74d764"
    static let rsaLogID = "a0242cba62245617b3b0abc627eb294c920cf47fa3cbf39dbd2183217d15b206"

    static let proofs: [Proof] = [
        Proof(folder: "ct-cpp-testdata", file: "test-cert.proof", timestamp: 0x13d_db27_ded9, signatureAlgorithm: .ecdsa),
        Proof(folder: "ct-cpp-testdata", file: "test-embedded-pre-cert.proof", timestamp: 0x13d_db27_df93,
              signatureAlgorithm: .ecdsa),
        Proof(folder: "ct-cpp-testdata", file: "test-embedded-with-preca-pre-cert.proof", timestamp: 0x13d_db27_e05b,
              signatureAlgorithm: .ecdsa),
        Proof(folder: "ct-cpp-testdata", file: "test-intermediate-cert.proof", timestamp: 0x13d_db27_e1dc,
              signatureAlgorithm: .ecdsa),
        Proof(folder: "ct-cpp-testdata", file: "test-embedded-with-intermediate-pre-cert.proof",
              timestamp: 0x13d_db27_e2a4, signatureAlgorithm: .ecdsa),
        Proof(folder: "ct-cpp-testdata", file: "test-embedded-with-intermediate-preca-pre-cert.proof",
              timestamp: 0x13d_db27_e3be, signatureAlgorithm: .ecdsa),
        Proof(folder: "ct-cpp-testdata", file: "rsa/test-cert-rsa.proof", timestamp: 0x13d_db27_ded9,
              signatureAlgorithm: .rsa),
        Proof(folder: "ct-cpp-testdata", file: "rsa/test-embedded-pre-cert-rsa.proof", timestamp: 0x13d_db27_df93,
              signatureAlgorithm: .rsa),
        Proof(folder: "ctgo-testdata", file: "test-cert.proof", timestamp: 0x13d_db27_ded9, signatureAlgorithm: .ecdsa),
    ]

    @Test(arguments: proofs) func parsesAndReencodesByteExactly(_ proof: Proof) throws {
        guard let folder = Vectors.folder(proof.folder) else { return }
        let bytes = try Vectors.bytes(folder, proof.file)
        let sct = try SignedCertificateTimestamp(parsing: bytes)
        #expect(sct.encoded == bytes)
        #expect(sct.timestamp == proof.timestamp)
        #expect(sct.extensions.isEmpty)
        #expect(sct.signature.hashAlgorithm == HashAlgorithm.sha256.rawValue)
        #expect(sct.signature.signatureAlgorithm == proof.signatureAlgorithm.rawValue)
        let logID = proof.signatureAlgorithm == .rsa ? Self.rsaLogID : Self.ecdsaLogID
        #expect(Fixtures.hexString(sct.logID) == logID)
    }

    @Test(arguments: proofs) func everyTruncationAndAnyTrailingByteThrow(_ proof: Proof) throws {
        guard let folder = Vectors.folder(proof.folder) else { return }
        let bytes = try Vectors.bytes(folder, proof.file)
        Fixtures.expectEveryPrefixThrows(bytes) { _ = try SignedCertificateTimestamp(parsing: $0) }
        #expect(throws: FormatError(.trailingData, "")) { try SignedCertificateTimestamp(parsing: bytes + [0]) }
    }

    @Test func ctgoConstantsMatchTheProofFiles() throws {
        guard let ctgo = Vectors.folder("ctgo-testdata"), let cpp = Vectors.folder("ct-cpp-testdata") else { return }
        #expect(try Fixtures.ctgoConstant(ctgo, "TestCertProof", hex: true) == Vectors.bytes(cpp, "test-cert.proof"))
        #expect(try Fixtures.ctgoConstant(ctgo, "TestPreCertProof", hex: true)
                    == Vectors.bytes(cpp, "test-embedded-pre-cert.proof"))
        for name in ["TestCertProof", "TestPreCertProof", "TestInvalidProof"] {
            let bytes = try Fixtures.ctgoConstant(ctgo, name, hex: true)
            #expect(try SignedCertificateTimestamp(parsing: bytes).encoded == bytes)
        }
    }

    @Test func otherVersionThrows() throws {
        var bytes = Fixtures.hex(Self.minimalSCT)
        bytes[0] = 1
        #expect(throws: FormatError(.unsupportedVersion, "")) { try SignedCertificateTimestamp(parsing: bytes) }
    }

    @Test func extensionsAndSignatureLengthsAreChecked() throws {
        let valid = Fixtures.hex(Self.minimalSCT)
        let sct = try SignedCertificateTimestamp(parsing: valid)
        #expect(sct.extensions == [0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00])
        #expect(try CTExtensions(parsing: sct.extensions).leafIndex == 256)
        #expect(sct.signature.signature == [0xaa, 0xbb])
        // extensions length 9 where 8 follow before the signature: the signature then misparses.
        var overlong = valid
        overlong[42] = 0x09
        #expect(throws: FormatError.self) { try SignedCertificateTimestamp(parsing: overlong) }
        var longSignature = valid
        longSignature[longSignature.count - 3] = 0x03
        #expect(throws: FormatError(.truncated, "")) { try SignedCertificateTimestamp(parsing: longSignature) }
    }

    @Test func encodingBuildsTheSameBytesFromFields() {
        let sct = SignedCertificateTimestamp(
            logID: Fixtures.hex(Self.ecdsaLogID), timestamp: 0x1_0000_0002,
            extensions: CTExtensions(leafIndex: 256).encoded,
            signature: DigitallySigned(hashAlgorithm: .sha256, signatureAlgorithm: .ecdsa, signature: [0xaa, 0xbb]))
        #expect(Fixtures.hexString(sct.encoded) == Self.minimalSCT)
    }

    /// v1, the ct-cpp log ID, timestamp 2^32+2, a leaf_index(256) extension, a 2-byte signature.
    static let minimalSCT = "00" + ecdsaLogID + "0000000100000002" + "0008" + "0000050000000100" + "0403" + "0002aabb"
}
