/// A log's private signing key: ECDSA P-256 or Ed25519.
///
/// Safety: `@unchecked Sendable` because its only state is an `EVPKey`, which is
/// immutable after `init` and safe to sign with from many threads at once.
public final class SigningKey: @unchecked Sendable {
    let key: EVPKey

    /// The matching public key.
    public let publicKey: VerifyingKey

    /// Reads the first private key in `pem`: PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE
    /// KEY" (RFC 5915; a preceding "EC PARAMETERS" block is skipped), or an encrypted
    /// key ("ENCRYPTED PRIVATE KEY" or legacy PEM encryption) opened with `password`.
    ///
    /// Throws `.invalidKey` when no key can be read and `.unsupportedKey` for
    /// anything but P-256 or Ed25519 (RSA keys verify certificates but never sign here).
    public convenience init(pem: String, password: String? = nil) throws {
        try self.init(key: EVPKey(privatePEM: pem, password: password))
    }

    init(key: EVPKey) throws {
        guard key.algorithm != .rsa else {
            throw PKIError(.unsupportedKey, "RSA signing keys are not supported: use P-256 or Ed25519")
        }
        self.key = key
        self.publicKey = try VerifyingKey(key: key)
    }

    /// A new random ECDSA P-256 key.
    public static func generateP256() throws -> SigningKey {
        try SigningKey(key: EVPKey.generate(type: "EC", group: "P-256"))
    }

    /// A new random Ed25519 key.
    public static func generateEd25519() throws -> SigningKey {
        try SigningKey(key: EVPKey.generate(type: "ED25519", group: nil))
    }

    public var algorithm: KeyAlgorithm { key.algorithm }

    /// The private key as unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----", RFC 5958).
    public func pkcs8PEM() throws -> String {
        try key.pkcs8PEM()
    }

    /// Signs `message`. P-256: ECDSA over SHA-256(message), a DER `ECDSA-Sig-Value`
    /// as RFC 6962 s2.1.4 requires (randomised, so two calls differ). Ed25519: a
    /// pure Ed25519 signature of 64 bytes (RFC 8032 s5.1.6).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        try key.sign(message)
    }
}
