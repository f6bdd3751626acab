import PKI
import Testing
import TestSupport

/// How a test obtains a signing key.
enum KeySource: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case generatedP256, generatedEd25519, ctServerKey

    var testDescription: String { rawValue }

    /// The key, or nil when it needs vectors that are missing.
    func key() throws -> SigningKey? {
        switch self {
        case .generatedP256: return try SigningKey.generateP256()
        case .generatedEd25519: return try SigningKey.generateEd25519()
        case .ctServerKey:
            guard let folder = Vectors.folder("ct-cpp-testdata") else { return nil }
            return try SigningKey(pem: Vectors.text(folder, "ct-server-key.pem"))
        }
    }
}

@Suite struct KeyTests {
    @Test func ctServerKeyMatchesItsPublicKey() throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        // The private key file is SEC1 "EC PRIVATE KEY" preceded by an "EC PARAMETERS" block.
        let key = try SigningKey(pem: Vectors.text(folder, "ct-server-key.pem"))
        let publicKey = try VerifyingKey(pem: Vectors.text(folder, "ct-server-key-public.pem"))
        #expect(key.algorithm == .ecdsaP256)
        #expect(publicKey.algorithm == .ecdsaP256)
        #expect(key.publicKey.spkiDER == publicKey.spkiDER)
        #expect(key.publicKey == publicKey)
        // A private-key PEM also yields its public half.
        #expect(try VerifyingKey(pem: Vectors.text(folder, "ct-server-key.pem")) == publicKey)
    }

    @Test(arguments: KeySource.allCases)
    func signAndVerify(_ source: KeySource) throws {
        guard let key = try source.key() else { return }
        let message = Array("RFC 6962 signed tree head".utf8)
        let signature = try key.sign(message)
        #expect(key.publicKey.verify(signature: signature, message: message))
        #expect(!key.publicKey.verify(signature: signature, message: message + [0]))
        #expect(!key.publicKey.verify(signature: signature, message: []))
        for index in [0, signature.count / 2, -1] {
            #expect(!key.publicKey.verify(signature: Fixtures.flipping(signature, at: index), message: message),
                    "flipped bit in byte \(index) still verifies")
        }
        let other = key.algorithm == .ed25519 ? try SigningKey.generateEd25519() : try SigningKey.generateP256()
        #expect(!other.publicKey.verify(signature: signature, message: message))
    }

    @Test(arguments: KeySource.allCases)
    func garbageSignaturesAreFalseNotCrashes(_ source: KeySource) throws {
        guard let key = try source.key() else { return }
        let garbage: [[UInt8]] = [[], [0], [0x30], [0x30, 0x00], [UInt8](repeating: 0xFF, count: 64),
                                  [UInt8](repeating: 0, count: 72), [UInt8](repeating: 0x30, count: 5000)]
        for signature in garbage {
            #expect(!key.publicKey.verify(signature: signature, message: []))
            #expect(!key.publicKey.verify(signature: signature, message: [1, 2, 3]))
        }
    }

    @Test(arguments: [KeySource.generatedP256, .generatedEd25519])
    func pkcs8RoundTrip(_ source: KeySource) throws {
        guard let key = try source.key() else { return }
        let pem = try key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let reloaded = try SigningKey(pem: pem)
        #expect(reloaded.algorithm == key.algorithm)
        #expect(reloaded.publicKey == key.publicKey)
        let message = Array("round trip".utf8)
        #expect(key.publicKey.verify(signature: try reloaded.sign(message), message: message))

        let publicPEM = key.publicKey.pem()
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try VerifyingKey(pem: publicPEM) == key.publicKey)
        #expect(try VerifyingKey(spkiDER: key.publicKey.spkiDER).algorithm == key.algorithm)
        #expect(try VerifyingKey(pem: pem) == key.publicKey)
    }

    @Test func ed25519IsPureAndDeterministic() throws {
        let key = try SigningKey.generateEd25519()
        let message = Array("checkpoint".utf8)
        let signature = try key.sign(message)
        #expect(signature.count == 64)
        #expect(try key.sign(message) == signature)
        // Ed25519 SubjectPublicKeyInfo: 12-byte header then the 32-byte key (RFC 8410 s4).
        #expect(key.publicKey.spkiDER.count == 44)
    }

    @Test func ecdsaSignaturesAreDERAndRandomised() throws {
        let key = try SigningKey.generateP256()
        let first = try key.sign([1])
        let second = try key.sign([1])
        #expect(first != second)
        #expect(first.first == 0x30 && Int(first[1]) == first.count - 2)
    }

    /// Traditional PEM encryption with DES-CBC, a cipher only OpenSSL 3's legacy provider has.
    @Test func encryptedLogKeyWithPassword() throws {
        guard let folder = Vectors.folder("ctgo-trillian-testdata") else { return }
        let pem = try Vectors.text(folder, "ct-http-server.privkey.pem")
        let key = try SigningKey(pem: pem, password: "dirk")
        #expect(key.publicKey == (try VerifyingKey(pem: Vectors.text(folder, "ct-http-server.pubkey.pem"))))
        #expect(throws: PKIError(.invalidKey, "")) { try SigningKey(pem: pem) }
        #expect(throws: PKIError(.invalidKey, "")) { try SigningKey(pem: pem, password: "dirk!") }
    }

    /// PKCS#8 "ENCRYPTED PRIVATE KEY", written by the openssl tool.
    @Test func encryptedPKCS8WithPassword() throws {
        let cli = try OpenSSLCLI()
        try cli.require(cli.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                                "-aes-256-cbc", "-pass", "pass:s3cret", "-out", "key.pem"))
        try cli.require(cli.run("pkey", "-in", "key.pem", "-passin", "pass:s3cret", "-pubout", "-out", "pub.pem"))
        let pem = try cli.readText("key.pem")
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        let key = try SigningKey(pem: pem, password: "s3cret")
        #expect(key.publicKey == (try VerifyingKey(pem: cli.readText("pub.pem"))))
        #expect(throws: PKIError(.invalidKey, "")) { try SigningKey(pem: pem) }
        #expect(throws: PKIError(.invalidKey, "")) { try SigningKey(pem: pem, password: "secret") }
    }

    @Test func rsaKeysVerifyButNeverSign() throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        #expect(try VerifyingKey(pem: Vectors.text(folder, "rsa/ct-server-key-public-rsa.pem")).algorithm == .rsa)
        #expect(throws: PKIError(.unsupportedKey, "")) { try SigningKey(pem: Vectors.text(folder, "rsa/ct-server-key-rsa.pem")) }
    }

    @Test(arguments: ["", "hello", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"])
    func garbagePEMIsRejected(_ text: String) {
        #expect(throws: PKIError.self) { try VerifyingKey(pem: text) }
        #expect(throws: PKIError.self) { try SigningKey(pem: text) }
    }

    @Test func spkiMustBeExact() throws {
        let spki = try SigningKey.generateP256().publicKey.spkiDER
        #expect(throws: PKIError(.invalidKey, "")) { try VerifyingKey(spkiDER: spki + [0]) }
        #expect(throws: PKIError(.invalidKey, "")) { try VerifyingKey(spkiDER: Array(spki.dropLast())) }
        #expect(throws: PKIError(.invalidKey, "")) { try VerifyingKey(spkiDER: []) }
    }
}
