import Foundation
@testable import LogFormat
import Merkle
import PKI
import Testing
import TestSupport

/// The recorded SCTs verify under the recorded log keys, and corrupted ones do not.
@Suite struct SignatureVectorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let proof: String
        let logKey: String
        /// The submitted certificate or precertificate.
        let submitted: String
        /// For precertificates: the final issuer, whose key hash the entry carries.
        let issuer: String?
        /// For precertificates issued by a Precertificate Signing Certificate.
        let signingCertificate: String?
        var testDescription: String { proof }
    }

    static let ecdsaKey = "ct-server-key-public.pem"
    static let rsaKey = "rsa/ct-server-key-public-rsa.pem"

    static let cases: [Case] = [
        Case(proof: "test-cert.proof", logKey: ecdsaKey, submitted: "test-cert.pem", issuer: nil, signingCertificate: nil),
        Case(proof: "test-intermediate-cert.proof", logKey: ecdsaKey, submitted: "test-intermediate-cert.pem",
             issuer: nil, signingCertificate: nil),
        Case(proof: "rsa/test-cert-rsa.proof", logKey: rsaKey, submitted: "test-cert.pem", issuer: nil,
             signingCertificate: nil),
    ]

    /// The signed entry the log built for `testCase`.
    static func entry(_ folder: URL, _ testCase: Case) throws -> SignedEntry {
        .x509(certificate: try Fixtures.certificate(folder, testCase.submitted))
    }

    @Test(arguments: cases) func recordedSCTVerifies(_ testCase: Case) throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        let key = try VerifyingKey(pem: try Vectors.text(folder, testCase.logKey))
        let sct = try SignedCertificateTimestamp(parsing: try Vectors.bytes(folder, testCase.proof))
        let entry = try Self.entry(folder, testCase)
        #expect(sct.logID == LogID.of(key))
        #expect(sct.verify(entry: entry, key: key))
    }

    @Test(arguments: cases) func corruptedSCTDoesNotVerify(_ testCase: Case) throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        let key = try VerifyingKey(pem: try Vectors.text(folder, testCase.logKey))
        let sct = try SignedCertificateTimestamp(parsing: try Vectors.bytes(folder, testCase.proof))
        let entry = try Self.entry(folder, testCase)

        for index in [0, sct.signature.signature.count / 2, sct.signature.signature.count - 1] {
            var flipped = sct
            flipped.signature.signature[index] ^= 0x01
            #expect(!flipped.verify(entry: entry, key: key), "flipped signature byte \(index)")
        }
        var later = sct
        later.timestamp += 1
        #expect(!later.verify(entry: entry, key: key))
        var withExtensions = sct
        withExtensions.extensions = CTExtensions(leafIndex: 0).encoded
        #expect(!withExtensions.verify(entry: entry, key: key))
        var otherAlgorithm = sct
        otherAlgorithm.signature.signatureAlgorithm = otherAlgorithm.signature.signatureAlgorithm == 3 ? 1 : 3
        #expect(!otherAlgorithm.verify(entry: entry, key: key))
        var otherLog = sct
        otherLog.logID[0] ^= 0x01
        #expect(!otherLog.verify(entry: entry, key: key))

        let other: SignedEntry = switch entry {
        case .x509: .x509(certificate: try Fixtures.certificate(folder, "ca-cert.pem"))
        case .precert(let hash, let tbs): .precert(issuerKeyHash: hash.reversed(), tbsCertificate: tbs)
        }
        #expect(!sct.verify(entry: other, key: key))
        let wrongKeyFile = testCase.logKey == Self.ecdsaKey ? Self.rsaKey : Self.ecdsaKey
        #expect(!sct.verify(entry: entry, key: try VerifyingKey(pem: try Vectors.text(folder, wrongKeyFile))))
    }

    /// The ctgo copy of the plain-certificate SCT, under ctgo's copy of the log key.
    @Test func ctgoProofVerifies() throws {
        guard let ctgo = Vectors.folder("ctgo-testdata") else { return }
        let spki = try #require(try Fixtures.pemBlocks(try Vectors.text(ctgo, "LogPublicKeyPEM.pem"), label: "PUBLIC KEY").first)
        let key = try VerifyingKey(spkiDER: spki)
        let sct = try SignedCertificateTimestamp(parsing: try Vectors.bytes(ctgo, "test-cert.proof"))
        let certificate = try Fixtures.certificate(ctgo, "test-cert.pem")
        #expect(sct.verify(entry: .x509(certificate: certificate), key: key))
    }

    /// A real get-sth response from Google's Argon2024 log verifies under its key.
    @Test func realSignedTreeHeadVerifies() throws {
        guard let folder = Vectors.folder("signed-note") else { return }
        let object = try JSONSerialization.jsonObject(with: Data(Vectors.bytes(folder, "vectors.json"))) as? [String: Any]
        let vector = try #require((object?["rfc6962_sth_json"] as? [[String: Any]])?.first)
        let key = try VerifyingKey(spkiDER: try Fixtures.base64(vector["log_key_spki_b64"]))
        let response = try JSONDecoder().decode(
            GetSTHResponse.self, from: JSONSerialization.data(withJSONObject: try #require(vector["sth"])))
        let sth = try response.signedTreeHead()
        #expect(sth.verify(key: key))
        var bigger = sth
        bigger.head.treeSize += 1
        #expect(!bigger.verify(key: key))
        var otherRoot = sth
        otherRoot.head.rootHash = Hash.emptyTree
        #expect(!otherRoot.verify(key: key))
    }

    /// Log IDs in a real v3 log list are SHA-256 of the listed keys.
    @Test func logIDsMatchALogList() throws {
        guard let folder = Vectors.folder("ctgo-testdata") else { return }
        let list = try JSONSerialization.jsonObject(with: Data(Vectors.bytes(folder, "loglist3.json"))) as? [String: Any]
        let operators = try #require(list?["operators"] as? [[String: Any]])
        var checked = 0
        for logs in operators.compactMap({ $0["logs"] as? [[String: Any]] }) {
            for log in logs {
                let spki = try Fixtures.base64(log["key"])
                guard spki.first == 0x30 else { continue }  // the sample holds one raw 64-byte key, not an SPKI
                let key = try VerifyingKey(spkiDER: spki)
                #expect(LogID.of(key) == (try Fixtures.base64(log["log_id"])))
                checked += 1
            }
        }
        #expect(checked == 5)
    }
}
