internal import COpenSSL

/// A certificate's public key as OpenSSL reads it from the SubjectPublicKeyInfo, of any type
/// OpenSSL knows, for checking the signatures of the certificates it issued.
///
/// Safety: `@unchecked Sendable` because the key is never modified after `init`, and OpenSSL 3
/// verifies with one unchanging `EVP_PKEY` from many threads at once (openssl-threads(7));
/// each check takes a verification context of its own from `contexts`.
final class IssuerKey: @unchecked Sendable {
    let pointer: OpaquePointer
    /// `EVP_PKEY_get_base_id`: EVP_PKEY_EC, EVP_PKEY_RSA, ...
    let type: Int32
    /// Ready verification contexts, one pool per digest, for an EC or RSA key; empty for others,
    /// whose certificates `verifies` never accepts.
    private let contexts: [CertificateSignatureAlgorithm.Digest: PKeyContexts]

    /// Nil when OpenSSL cannot read `spkiDER` or bytes follow it.
    init?(spkiDER: [UInt8]) {
        defer { OpenSSLErrors.clear() }
        let (key, consumed) = OpenSSLBuffers.decode(spkiDER) { d2i_PUBKEY(nil, $0, $1) }
        guard let key else { return nil }
        guard consumed == spkiDER.count else {
            EVP_PKEY_free(key)
            return nil
        }
        pointer = key
        type = EVP_PKEY_get_base_id(key)
        let rsa = type == EVP_PKEY_RSA
        guard rsa || type == EVP_PKEY_EC else {
            contexts = [:]
            return
        }
        contexts = Dictionary(uniqueKeysWithValues: CertificateSignatureAlgorithm.Digest.allCases.map { digest in
            (digest, PKeyContexts.verifying(key, digest: digest, rsa: rsa))
        })
    }

    deinit { EVP_PKEY_free(pointer) }

    /// True only if `signature` is a valid `algorithm` signature of `message` under this key:
    /// the digest of `message`, then the signature over it with a ready context, which is what
    /// `EVP_DigestVerify` does in one call.
    func verifies(_ signature: ArraySlice<UInt8>, of message: [UInt8], with algorithm: CertificateSignatureAlgorithm) -> Bool {
        defer { OpenSSLErrors.clear() }
        guard type == algorithm.keyType, !signature.isEmpty, !message.isEmpty,
              let contexts = contexts[algorithm.digest] else { return false }
        let digest = algorithm.digest.hash(message)
        let valid = contexts.run { context in
            let result = digest.withUnsafeBufferPointer { digestBytes in
                signature.withUnsafeBufferPointer { signatureBytes in
                    EVP_PKEY_verify(context, signatureBytes.baseAddress, signatureBytes.count, digestBytes.baseAddress, digestBytes.count)
                }
            }
            // 0 is a signature that does not verify; below 0 an OpenSSL failure.
            return (result == 1, result >= 0)
        }
        return valid ?? false
    }
}
