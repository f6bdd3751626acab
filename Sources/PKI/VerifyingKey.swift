/// A public key that checks signatures: ECDSA P-256, RSA or Ed25519.
/// Equal and hashed by its SubjectPublicKeyInfo bytes.
///
/// Safety: `@unchecked Sendable` because its state is set in `init` and never
/// changed; OpenSSL verifies with one `EVP_PKEY` from many threads at once.
public final class VerifyingKey: @unchecked Sendable, Hashable {
    let key: EVPKey

    /// The DER SubjectPublicKeyInfo (RFC 5280 s4.1.2.7): the bytes this key was
    /// created from, unchanged, or OpenSSL's encoding when taken from a private key.
    public let spkiDER: [UInt8]

    /// Parses a DER SubjectPublicKeyInfo that must fill `spkiDER`.
    public convenience init(spkiDER: [UInt8]) throws {
        try self.init(key: EVPKey(spkiDER: spkiDER), spkiDER: spkiDER)
    }

    /// Reads the first "PUBLIC KEY" block of `pem`; failing that, the public half
    /// of the first unencrypted private key in it.
    public convenience init(pem: String) throws {
        if let block = try PEM.blocks(in: pem).first(where: { $0.label == "PUBLIC KEY" }) {
            try self.init(spkiDER: block.der)
            return
        }
        let key = try EVPKey(privatePEM: pem, password: nil)
        try self.init(spkiDER: key.subjectPublicKeyInfo())
    }

    init(key: EVPKey) throws {
        self.key = key
        self.spkiDER = try key.subjectPublicKeyInfo()
    }

    private init(key: EVPKey, spkiDER: [UInt8]) {
        self.key = key
        self.spkiDER = spkiDER
    }

    public var algorithm: KeyAlgorithm { key.algorithm }

    /// The key as a "PUBLIC KEY" PEM block.
    public func pem() -> String {
        PEM.encode(label: "PUBLIC KEY", der: spkiDER)
    }

    /// True only if `signature` signs `message` under this key: ECDSA P-256 over
    /// SHA-256 (DER signature), RSA PKCS#1 v1.5 over SHA-256, or pure Ed25519.
    /// Malformed keys, signatures or messages give false; this never throws or traps.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        key.verify(signature: signature, message: message)
    }

    public static func == (lhs: VerifyingKey, rhs: VerifyingKey) -> Bool {
        lhs.spkiDER == rhs.spkiDER
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(spkiDER)
    }
}
