internal import COpenSSL

/// A certificate's public key as OpenSSL reads it from the SubjectPublicKeyInfo, of any type
/// OpenSSL knows, for checking the signatures of the certificates it issued.
///
/// Safety: `@unchecked Sendable` because the key is never modified after `init`, and OpenSSL 3
/// verifies with one unchanging `EVP_PKEY` from many threads at once (openssl-threads(7)).
final class IssuerKey: @unchecked Sendable {
    let pointer: OpaquePointer
    /// `EVP_PKEY_get_base_id`: EVP_PKEY_EC, EVP_PKEY_RSA, ...
    let type: Int32

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
    }

    deinit { EVP_PKEY_free(pointer) }

    /// True only if `signature` is a valid `algorithm` signature of `message` under this key.
    func verifies(_ signature: ArraySlice<UInt8>, of message: [UInt8], with algorithm: CertificateSignatureAlgorithm) -> Bool {
        defer { OpenSSLErrors.clear() }
        guard type == algorithm.keyType, !signature.isEmpty, !message.isEmpty,
              let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, algorithm.digest.md, nil, pointer) == 1 else { return false }
        let result = message.withUnsafeBufferPointer { messageBytes in
            signature.withUnsafeBufferPointer { signatureBytes in
                EVP_DigestVerify(context, signatureBytes.baseAddress, signatureBytes.count, messageBytes.baseAddress, messageBytes.count)
            }
        }
        return result == 1
    }
}
