import Foundation
@testable import LogFormat
import Merkle
import PKI
import Testing
import TestSupport

/// SCTs and tree heads we sign verify through this module and through OpenSSL's CLI.
@Suite struct SigningRoundTripTests {
    static let entries: [SignedEntry] = [
        .x509(certificate: [0x30, 0x03, 0x02, 0x01, 0x05]),
        .precert(issuerKeyHash: Array(repeating: 0x5a, count: 32), tbsCertificate: [0x30, 0x02, 0x05, 0x00]),
    ]

    @Test(arguments: entries) func signedSCTVerifies(_ entry: SignedEntry) throws {
        let key = try SigningKey.generateP256()
        let logID = LogID.of(key.publicKey)
        let extensions = CTExtensions(leafIndex: 77).encoded
        let sct = try SignedCertificateTimestamp.sign(entry: entry, timestamp: 1_700_000_000_000, extensions: extensions,
                                                      key: key, logID: logID)
        #expect(sct.signature.hashAlgorithm == HashAlgorithm.sha256.rawValue)
        #expect(sct.signature.signatureAlgorithm == SignatureAlgorithm.ecdsa.rawValue)
        #expect(sct.verify(entry: entry, key: key.publicKey))
        #expect(try SignedCertificateTimestamp(parsing: sct.encoded) == sct)
        #expect(try AddChainResponse(sct: sct).sct().verify(entry: entry, key: key.publicKey))

        var tampered = sct
        tampered.timestamp -= 1
        #expect(!tampered.verify(entry: entry, key: key.publicKey))
        #expect(!sct.verify(entry: entry, key: try SigningKey.generateP256().publicKey))

        let input = SignedCertificateTimestamp.signatureInput(timestamp: sct.timestamp, entry: entry, extensions: extensions)
        #expect(try OpenSSLVerifier.verify(input: input, signature: sct.signature.signature, key: key.publicKey))
        var flipped = input
        flipped[flipped.count - 1] ^= 0x01
        #expect(try !OpenSSLVerifier.verify(input: flipped, signature: sct.signature.signature, key: key.publicKey))
    }

    @Test func signedTreeHeadVerifies() throws {
        let key = try SigningKey.generateP256()
        let head = TreeHead(treeSize: 1234, timestamp: 1_700_000_000_123, rootHash: Hash.leaf([1, 2, 3]))
        let sth = try SignedTreeHead.sign(head, key: key)
        #expect(sth.verify(key: key.publicKey))
        #expect(try GetSTHResponse(sth: sth).signedTreeHead().verify(key: key.publicKey))
        var bigger = sth
        bigger.head.treeSize += 1
        #expect(!bigger.verify(key: key.publicKey))
        #expect(try OpenSSLVerifier.verify(input: head.signatureInput, signature: sth.signature.signature, key: key.publicKey))
    }

    /// Ed25519 is outside RFC 6962; it is labelled with RFC 8446's scheme 0x0807.
    @Test func ed25519SignaturesCarryTheirOwnLabel() throws {
        let key = try SigningKey.generateEd25519()
        let sth = try SignedTreeHead.sign(TreeHead(treeSize: 0, timestamp: 1, rootHash: Hash.emptyTree), key: key)
        #expect(sth.signature.hashAlgorithm == HashAlgorithm.intrinsic.rawValue)
        #expect(sth.signature.signatureAlgorithm == SignatureAlgorithm.ed25519.rawValue)
        #expect(sth.verify(key: key.publicKey))
        var mislabelled = sth
        mislabelled.signature.hashAlgorithm = HashAlgorithm.sha256.rawValue
        #expect(!mislabelled.verify(key: key.publicKey))
        #expect(!sth.verify(key: try SigningKey.generateP256().publicKey))
    }
}

/// Verifies a signature with the `openssl` command, independently of PKI.
enum OpenSSLVerifier {
    static func verify(input: [UInt8], signature: [UInt8], key: VerifyingKey) throws -> Bool {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logformat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pem = "-----BEGIN PUBLIC KEY-----\n"
            + Data(key.spkiDER).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END PUBLIC KEY-----\n"
        let keyFile = directory.appendingPathComponent("pub.pem")
        let signatureFile = directory.appendingPathComponent("sig.der")
        let inputFile = directory.appendingPathComponent("input.bin")
        try Data(pem.utf8).write(to: keyFile)
        try Data(signature).write(to: signatureFile)
        try Data(input).write(to: inputFile)

        let (status, _) = try Subprocess.run(["openssl", "dgst", "-sha256", "-verify", keyFile.path,
                                              "-signature", signatureFile.path, inputFile.path])
        return status == 0
    }
}
