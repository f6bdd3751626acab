import PKI
import Testing
import TestSupport

/// Our keys and signatures checked by the `openssl` command-line tool, and the
/// tool's checked by us: two independent implementations must agree.
@Suite struct OpenSSLInteropTests {
    let message = Array("a message signed by one implementation and verified by the other".utf8)

    @Test(arguments: [KeySource.generatedP256, .generatedEd25519])
    func openSSLVerifiesOurSignature(_ source: KeySource) throws {
        guard let key = try source.key() else { return }
        let cli = try OpenSSLCLI()
        try cli.write("pub.pem", key.publicKey.pem())
        try cli.write("msg.bin", message)
        let signature = try key.sign(message)
        for (name, bytes, valid) in [("good.sig", signature, true), ("bad.sig", Fixtures.flipping(signature, at: -1), false)] {
            try cli.write(name, bytes)
            let result = key.algorithm == .ed25519
                ? try cli.run("pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "msg.bin", "-sigfile", name)
                : try cli.run("dgst", "-sha256", "-verify", "pub.pem", "-signature", name, "msg.bin")
            #expect((result.status == 0) == valid, "openssl on \(name): \(result.output)")
        }
    }

    @Test(arguments: [("EC", ["-pkeyopt", "ec_paramgen_curve:P-256"], KeyAlgorithm.ecdsaP256), ("ED25519", [], .ed25519)])
    func weVerifyOpenSSLSignature(_ type: String, _ options: [String], _ algorithm: KeyAlgorithm) throws {
        let cli = try OpenSSLCLI()
        try cli.require(cli.run(arguments: ["genpkey", "-algorithm", type] + options + ["-out", "key.pem"]))
        try cli.require(cli.run("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"))
        try cli.write("msg.bin", message)
        if algorithm == .ed25519 {
            try cli.require(cli.run("pkeyutl", "-sign", "-rawin", "-inkey", "key.pem", "-in", "msg.bin", "-out", "sig.bin"))
        } else {
            try cli.require(cli.run("dgst", "-sha256", "-sign", "key.pem", "-out", "sig.bin", "msg.bin"))
        }
        let publicKey = try VerifyingKey(pem: cli.readText("pub.pem"))
        let signature = try cli.read("sig.bin")
        #expect(publicKey.algorithm == algorithm)
        #expect(publicKey.verify(signature: signature, message: message))
        #expect(!publicKey.verify(signature: Fixtures.flipping(signature, at: 10), message: message))
        // openssl genpkey writes PKCS#8; our loader must agree on the public half.
        #expect(try SigningKey(pem: cli.readText("key.pem")).publicKey == publicKey)
    }

    @Test func weVerifyOpenSSLRSASignature() throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        let cli = try OpenSSLCLI()
        try cli.write("key.pem", Vectors.text(folder, "rsa/ct-server-key-rsa.pem"))
        try cli.write("msg.bin", message)
        try cli.require(cli.run("dgst", "-sha256", "-sign", "key.pem", "-out", "sig.bin", "msg.bin"))
        let publicKey = try VerifyingKey(pem: Vectors.text(folder, "rsa/ct-server-key-public-rsa.pem"))
        let signature = try cli.read("sig.bin")
        #expect(publicKey.verify(signature: signature, message: message))
        #expect(!publicKey.verify(signature: signature, message: message + [0]))
    }

    @Test(arguments: [["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], ["-algorithm", "ED448"]])
    func otherKeyTypesAreUnsupported(_ options: [String]) throws {
        let cli = try OpenSSLCLI()
        try cli.require(cli.run(arguments: ["genpkey"] + options + ["-out", "key.pem"]))
        try cli.require(cli.run("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"))
        #expect(throws: PKIError(.unsupportedKey, "")) { try SigningKey(pem: cli.readText("key.pem")) }
        #expect(throws: PKIError(.unsupportedKey, "")) { try VerifyingKey(pem: cli.readText("pub.pem")) }
    }
}
