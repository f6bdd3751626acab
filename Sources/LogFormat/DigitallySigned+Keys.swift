import PKI

extension DigitallySigned {
    /// Labels `signature` with the algorithm bytes for a key of type `algorithm`:
    /// sha256 with ecdsa or rsa (RFC 6962 section 2.1.4), or RFC 8446's ed25519
    /// scheme (0x0807), which RFC 6962 does not define.
    public init(signature: [UInt8], for algorithm: KeyAlgorithm) {
        let (hash, signatureAlgorithm) = Self.algorithms(for: algorithm)
        self.init(hashAlgorithm: hash, signatureAlgorithm: signatureAlgorithm, signature: signature)
    }

    /// Signs `message` with `key` and labels the signature with the key's algorithms.
    public static func sign(_ message: [UInt8], with key: SigningKey) throws -> DigitallySigned {
        DigitallySigned(signature: try key.sign(message), for: key.publicKey.algorithm)
    }

    /// Whether the algorithm bytes are the ones `key` signs with and the signature
    /// over `message` verifies.
    public func verify(_ message: [UInt8], with key: VerifyingKey) -> Bool {
        let (hash, signatureAlgorithm) = Self.algorithms(for: key.algorithm)
        guard hashAlgorithm == hash.rawValue, self.signatureAlgorithm == signatureAlgorithm.rawValue else {
            return false
        }
        return key.verify(signature: signature, message: message)
    }

    private static func algorithms(for algorithm: KeyAlgorithm) -> (HashAlgorithm, SignatureAlgorithm) {
        switch algorithm {
        case .ecdsaP256: (.sha256, .ecdsa)
        case .rsa: (.sha256, .rsa)
        case .ed25519: (.intrinsic, .ed25519)
        }
    }
}
