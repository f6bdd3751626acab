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
        Case(proof: "test-embedded-pre-cert.proof", logKey: ecdsaKey, submitted: "test-embedded-pre-cert.pem",
             issuer: "ca-cert.pem", signingCertificate: nil),
        Case(proof: "test-embedded-with-preca-pre-cert.proof", logKey: ecdsaKey,
             submitted: "test-embedded-with-preca-pre-cert.pem", issuer: "ca-cert.pem",
             signingCertificate: "ca-pre-cert.pem"),
        Case(proof: "test-embedded-with-intermediate-pre-cert.proof", logKey: ecdsaKey,
             submitted: "test-embedded-with-intermediate-pre-cert.pem", issuer: "intermediate-cert.pem",
             signingCertificate: nil),
        Case(proof: "test-embedded-with-intermediate-preca-pre-cert.proof", logKey: ecdsaKey,
             submitted: "test-embedded-with-intermediate-preca-pre-cert.pem", issuer: "intermediate-cert.pem",
             signingCertificate: "intermediate-pre-cert.pem"),
        Case(proof: "rsa/test-embedded-pre-cert-rsa.proof", logKey: rsaKey, submitted: "test-embedded-pre-cert.pem",
             issuer: "ca-cert.pem", signingCertificate: nil),
    ]

    /// Final certificates whose embedded SCT is the precertificate's recorded SCT, and their issuers.
    static let embedded: [(certificate: String, issuer: String, proof: String)] = [
        ("test-embedded-cert.pem", "ca-cert.pem", "test-embedded-pre-cert.proof"),
        ("test-embedded-with-preca-cert.pem", "ca-cert.pem", "test-embedded-with-preca-pre-cert.proof"),
        ("test-embedded-with-intermediate-cert.pem", "intermediate-cert.pem",
         "test-embedded-with-intermediate-pre-cert.proof"),
        ("test-embedded-with-intermediate-preca-cert.pem", "intermediate-cert.pem",
         "test-embedded-with-intermediate-preca-pre-cert.proof"),
    ]

    /// The first certificate of a PEM file; also reads ctgo's Go-quoted PEM files.
    static func certificate(_ folder: URL, _ file: String) throws -> Certificate {
        try Certificate(der: try Fixtures.certificate(folder, file))
    }

    /// ctgo's LogPublicKeyPEM, which keeps its Go string quoting.
    static func ctgoLogKey(_ folder: URL) throws -> VerifyingKey {
        let blocks = try Fixtures.pemBlocks(try Vectors.text(folder, "LogPublicKeyPEM.pem"), label: "PUBLIC KEY")
        return try VerifyingKey(spkiDER: try #require(blocks.first))
    }

    /// The signed entry the log built for `testCase`.
    static func entry(_ folder: URL, _ testCase: Case) throws -> SignedEntry {
        let submitted = try certificate(folder, testCase.submitted)
        guard let issuerFile = testCase.issuer else { return .x509(certificate: submitted.der) }
        let issuer = try certificate(folder, issuerFile)
        let signing = try testCase.signingCertificate.map { try certificate(folder, $0) }
        return .precert(issuerKeyHash: SHA256.hash(issuer.spkiDER),
                        tbsCertificate: try submitted.precertificateTBS(signingCertificate: signing))
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
        case .x509: .x509(certificate: try Self.certificate(folder, "ca-cert.pem").der)
        case .precert(let hash, let tbs): .precert(issuerKeyHash: hash.reversed(), tbsCertificate: tbs)
        }
        #expect(!sct.verify(entry: other, key: key))
        if let signing = testCase.signingCertificate {
            // Ignoring the Precertificate Signing Certificate leaves its issuer name in the TBS.
            let submitted = try Self.certificate(folder, testCase.submitted)
            guard case .precert(let hash, _) = entry else { Issue.record("\(signing) with an x509 entry"); return }
            let unrewritten = SignedEntry.precert(issuerKeyHash: hash,
                                                  tbsCertificate: try submitted.precertificateTBS(signingCertificate: nil))
            #expect(!sct.verify(entry: unrewritten, key: key))
        }
        let wrongKeyFile = testCase.logKey == Self.ecdsaKey ? Self.rsaKey : Self.ecdsaKey
        #expect(!sct.verify(entry: entry, key: try VerifyingKey(pem: try Vectors.text(folder, wrongKeyFile))))
    }

    /// RFC 6962 section 3.3: a final certificate's embedded SCT verifies over its TBS without
    /// the SCT list, which equals the precertificate TBS the log signed.
    @Test(arguments: embedded) func embeddedSCTVerifiesOverTheFinalCertificate(
        _ certificate: String, _ issuer: String, _ proof: String
    ) throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        let key = try VerifyingKey(pem: try Vectors.text(folder, Self.ecdsaKey))
        let sct = try SignedCertificateTimestamp(parsing: try Vectors.bytes(folder, proof))
        let entry = SignedEntry.precert(
            issuerKeyHash: SHA256.hash(try Self.certificate(folder, issuer).spkiDER),
            tbsCertificate: try Self.certificate(folder, certificate).tbsWithoutEmbeddedSCTList())
        #expect(sct.verify(entry: entry, key: key))
    }

    /// ctgo's TestInvalidEmbeddedCertPEM carries another certificate's SCT (TestInvalidProof).
    @Test func invalidEmbeddedSCTDoesNotVerify() throws {
        guard let ctgo = Vectors.folder("ctgo-testdata") else { return }
        let key = try Self.ctgoLogKey(ctgo)
        let sct = try SignedCertificateTimestamp(parsing: try Fixtures.ctgoConstant(ctgo, "TestInvalidProof", hex: true))
        let entry = SignedEntry.precert(
            issuerKeyHash: SHA256.hash(try Self.certificate(ctgo, "CACertPEM.pem").spkiDER),
            tbsCertificate: try Self.certificate(ctgo, "TestInvalidEmbeddedCertPEM.pem").tbsWithoutEmbeddedSCTList())
        #expect(sct.logID == LogID.of(key))
        #expect(!sct.verify(entry: entry, key: key))
    }

    /// certificate-transparency-go ctutil TestLeafHash "precert" and "cert with embedded SCT":
    /// TestPreCertPEM (or TestEmbeddedCertPEM without its SCT list) issued by CACertPEM, with
    /// the timestamp of TestPreCertProof.
    @Test(arguments: [false, true]) func reproducesCTGoPrecertificateLeafHash(fromFinalCertificate: Bool) throws {
        guard let ctgo = Vectors.folder("ctgo-testdata") else { return }
        let sct = try SignedCertificateTimestamp(parsing: try Fixtures.ctgoConstant(ctgo, "TestPreCertProof", hex: true))
        let tbs = fromFinalCertificate
            ? try Self.certificate(ctgo, "TestEmbeddedCertPEM.pem").tbsWithoutEmbeddedSCTList()
            : try Self.certificate(ctgo, "TestPreCertPEM.pem").precertificateTBS(signingCertificate: nil)
        let issuer = try Self.certificate(ctgo, "CACertPEM.pem")
        let entry = SignedEntry.precert(issuerKeyHash: SHA256.hash(issuer.spkiDER), tbsCertificate: tbs)
        let leaf = MerkleTreeLeaf(entry: TimestampedEntry(timestamp: sct.timestamp, entry: entry, extensions: sct.extensions))
        #expect(leaf.leafHash.bytes == (try Fixtures.ctgoConstant(ctgo, "TestPreCertB64LeafHash", hex: false)))
    }

    /// The ctgo copy of the plain-certificate SCT, under ctgo's copy of the log key.
    @Test func ctgoProofVerifies() throws {
        guard let ctgo = Vectors.folder("ctgo-testdata") else { return }
        let key = try Self.ctgoLogKey(ctgo)
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
