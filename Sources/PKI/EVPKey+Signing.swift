internal import COpenSSL

extension EVPKey {
    /// Signs `message` with the private key: ECDSA over SHA-256(message) as a DER
    /// `ECDSA-Sig-Value` (RFC 6962 s2.1.4), RSA PKCS#1 v1.5 with SHA-256, or pure
    /// Ed25519 (RFC 8032 s5.1.6, 64 bytes).
    func sign(_ message: [UInt8]) throws -> [UInt8] {
        if let ecdsaSigning, let signature = Self.sign(SHA256.hash(message), with: ecdsaSigning, size: ecdsaSignatureBytes) {
            return signature
        }
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLErrors.error(.signingFailed, "EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, digest, nil, pointer) == 1 else {
            throw OpenSSLErrors.error(.signingFailed, "couldn't start \(algorithm) signature")
        }
        var signature = [UInt8](repeating: 0, count: Int(EVP_PKEY_get_size(pointer)))
        var length = signature.count
        let ok = Self.withNonNullBytes(message) { bytes, count in
            signature.withUnsafeMutableBufferPointer { EVP_DigestSign(context, $0.baseAddress, &length, bytes, count) }
        }
        guard ok == 1 else {
            throw OpenSSLErrors.error(.signingFailed, "couldn't sign \(message.count)-byte message with \(algorithm) key")
        }
        precondition(length <= signature.count, "EVP_DigestSign wrote \(length) bytes into \(signature.count)")
        signature.removeLast(signature.count - length)
        return signature
    }

    /// ECDSA over `digest` with a ready context: what `EVP_DigestSign` does after hashing,
    /// without its per-call set-up. Nil when OpenSSL fails, for the caller to take the
    /// general path, which reports the failure.
    private static func sign(_ digest: [UInt8], with contexts: PKeyContexts, size: Int32) -> [UInt8]? {
        let signature: [UInt8]?? = contexts.run { context in
            var signature = [UInt8](repeating: 0, count: Int(size))
            var length = signature.count
            let ok = signature.withUnsafeMutableBufferPointer { out in
                digest.withUnsafeBufferPointer { EVP_PKEY_sign(context, out.baseAddress, &length, $0.baseAddress, $0.count) }
            }
            guard ok == 1, length <= signature.count else {
                OpenSSLErrors.clear()
                return (nil, false)
            }
            signature.removeLast(signature.count - length)
            return (signature, true)
        }
        return signature ?? nil
    }

    /// True only if `signature` is a valid signature of `message` under this key,
    /// with the same schemes as `sign`. Any malformed input gives false.
    func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        defer { OpenSSLErrors.clear() }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, digest, nil, pointer) == 1 else { return false }
        let result = Self.withNonNullBytes(message) { messageBytes, messageCount in
            Self.withNonNullBytes(signature) { signatureBytes, signatureCount in
                EVP_DigestVerify(context, signatureBytes, signatureCount, messageBytes, messageCount)
            }
        }
        return result == 1
    }

    /// Calls `body` with a pointer that is never null, even for an empty array:
    /// some OpenSSL one-shot paths reject a null pointer with a zero length.
    private static func withNonNullBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        if bytes.isEmpty {
            let empty: UInt8 = 0
            return withUnsafePointer(to: empty) { body($0, 0) }
        }
        return bytes.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
    }
}
