import ArgumentParser
import Foundation
import LogFormat
import PKI

/// `vigil keygen`: makes a log key.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a P-256 log key or an endorser key (PKCS#8 PEM, mode 0600) and print its public key.")

    @Option(help: "Where to write the private key; refuses to overwrite an existing file.")
    var out: String

    @Flag(help: "Make an Ed25519 key (endorsers only; a log key must be P-256).")
    var ed25519 = false

    func run() throws {
        guard !FileManager.default.fileExists(atPath: out) else {
            throw ValidationError("\(out) exists; refusing to overwrite a key")
        }
        let key = try ed25519 ? SigningKey.generateEd25519() : SigningKey.generateP256()
        let pem = try key.pkcs8PEM()
        // Create with mode 0600 from the start, so the key is never readable by others.
        let fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw ValidationError("cannot create \(out): \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try handle.write(contentsOf: Data(pem.utf8))
        try handle.synchronize()
        print((ed25519 ? "key fingerprint: " : "log ID: ") + Data(LogID.of(key.publicKey)).base64EncodedString())
        print(key.publicKey.pem(), terminator: "")
    }
}
