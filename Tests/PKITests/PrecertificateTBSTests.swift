import Foundation
import PKI
import Testing
import TestSupport

/// One ct-cpp precertificate and the final certificate issued from it (testdata README).
struct PrecertificatePair: Sendable, CustomTestStringConvertible {
    let precertificate: String
    let final: String
    /// The Precertificate Signing Certificate that signed the precertificate, if any.
    let signingCertificate: String?

    var testDescription: String { precertificate }

    static let table: [PrecertificatePair] = [
        .init(precertificate: "test-embedded-pre-cert.pem", final: "test-embedded-cert.pem", signingCertificate: nil),
        .init(precertificate: "test-embedded-with-preca-pre-cert.pem", final: "test-embedded-with-preca-cert.pem",
              signingCertificate: "ca-pre-cert.pem"),
        .init(precertificate: "test-embedded-with-intermediate-pre-cert.pem", final: "test-embedded-with-intermediate-cert.pem",
              signingCertificate: nil),
        .init(precertificate: "test-embedded-with-intermediate-preca-pre-cert.pem",
              final: "test-embedded-with-intermediate-preca-cert.pem", signingCertificate: "intermediate-pre-cert.pem"),
    ]
}

@Suite struct PrecertificateTBSTests {
    /// RFC 6962 s3.2: the logged TBS equals the final certificate's TBS without its SCT list.
    @Test(arguments: PrecertificatePair.table)
    func matchesFinalCertificate(_ pair: PrecertificatePair) throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        let precertificate = try Fixtures.certificate(folder, pair.precertificate)
        let final = try Fixtures.certificate(folder, pair.final)
        let signer = try pair.signingCertificate.map { try Fixtures.certificate(folder, $0) }
        let tbs = try precertificate.precertificateTBS(signingCertificate: signer)
        let expected = try final.tbsWithoutEmbeddedSCTList()
        #expect(Fixtures.hex(tbs) == Fixtures.hex(expected))
        #expect(tbs.count < precertificate.tbsDER.count)
        if signer != nil {
            // Without the rewrite the issuer (and AKI) would still name the PSC.
            #expect(try precertificate.precertificateTBS(signingCertificate: nil) != expected)
        }
    }

    /// An independent check: the Merkle leaf hash certificate-transparency-go's tests
    /// expect for this precertificate's SCT (ctgo-testdata constants.json,
    /// TestPreCertB64LeafHash), rebuilt from our TBS by RFC 6962 s3.4 and s2.1.
    @Test func leafHashMatchesCertificateTransparencyGo() throws {
        guard let cpp = Vectors.folder("ct-cpp-testdata"), let go = Vectors.folder("ctgo-testdata") else { return }
        let precertificate = try Fixtures.certificate(cpp, "test-embedded-pre-cert.pem")
        let issuer = try Fixtures.certificate(cpp, "ca-cert.pem")
        let tbs = try precertificate.precertificateTBS(signingCertificate: nil)
        // SCT: version(1) log_id(32) timestamp(8) ...
        let sct = try Vectors.bytes(cpp, "test-embedded-pre-cert.proof")
        var leaf: [UInt8] = [0x00, 0x00, 0x00]  // leaf hash prefix, v1, timestamped_entry
        leaf += sct[33..<41]
        leaf += [0x00, 0x01]  // precert_entry
        leaf += SHA256.hash(issuer.spkiDER)
        leaf += [UInt8(tbs.count >> 16), UInt8(tbs.count >> 8 & 0xFF), UInt8(tbs.count & 0xFF)] + tbs
        leaf += [0x00, 0x00]  // no extensions
        let constants = try JSONSerialization.jsonObject(with: Data(Vectors.bytes(go, "constants.json"))) as? [String: Any]
        let expected = try #require(constants?["TestPreCertB64LeafHash"] as? String)
        #expect(Data(SHA256.hash(leaf)).base64EncodedString() == expected)
    }

    @Test func refusesWhatIsNotAPrecertificate() throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        let certificate = try Fixtures.certificate(folder, "test-cert.pem")
        #expect(throws: PKIError(.invalidPrecertificate, "")) { try certificate.precertificateTBS(signingCertificate: nil) }
        // A signing certificate without the CT EKU is not a PSC.
        let precertificate = try Fixtures.certificate(folder, "test-embedded-with-preca-pre-cert.pem")
        let ca = try Fixtures.certificate(folder, "ca-cert.pem")
        #expect(throws: PKIError(.invalidPrecertificate, "")) { try precertificate.precertificateTBS(signingCertificate: ca) }
        // A final certificate has an SCT list; a precertificate has none.
        #expect(throws: PKIError(.invalidCertificate, "")) { try precertificate.tbsWithoutEmbeddedSCTList() }
    }
}
