internal import COpenSSL
import Synchronization

/// Ready `EVP_PKEY_CTX`s of one key for one operation, signing or verifying a digest, kept for
/// the next call.
///
/// `EVP_DigestSign` and `EVP_DigestVerify` look the algorithms up by name, allocate and set up
/// a fresh context on every call: for a P-256 signature that set-up took about a sixth of the
/// whole (24 -> 21 us without it). A context made once by `make` (`EVP_PKEY_sign_init` or
/// `EVP_PKEY_verify_init` and its parameters) serves any number of operations, one at a time;
/// this keeps up to `kept` idle ones, so each concurrent caller takes its own.
///
/// Safety: `@unchecked Sendable` because an idle context is only reached under the mutex, and
/// a taken one belongs to the one call that took it until it gives it back.
final class PKeyContexts: @unchecked Sendable {
    /// An `EVP_PKEY_CTX` in the idle list; the mutex is what makes passing it between threads safe.
    private struct Context: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// The most idle contexts kept: a few per core covers every caller at once.
    static let kept = 16

    private let idle = Mutex<[Context]>([])
    private let make: @Sendable () -> OpaquePointer?

    /// `make` returns a context ready for the operation, or nil when OpenSSL refuses one.
    init(make: @escaping @Sendable () -> OpaquePointer?) {
        self.make = make
    }

    deinit {
        idle.withLock { contexts in
            for context in contexts { EVP_PKEY_CTX_free(context.pointer) }
        }
    }

    /// The result of `body` run with a context of its own; nil when no context could be made.
    /// `body` returns its result and whether the context is still fit for the next operation
    /// (an OpenSSL failure other than a wrong signature may leave it half used, so it is freed).
    func run<Result>(_ body: (OpaquePointer) -> (result: Result, reusable: Bool)) -> Result? {
        guard let pointer = idle.withLock({ $0.popLast() })?.pointer ?? make() else { return nil }
        let (result, reusable) = body(pointer)
        let kept = reusable && idle.withLock { contexts in
            guard contexts.count < Self.kept else { return false }
            contexts.append(Context(pointer: pointer))
            return true
        }
        if !kept { EVP_PKEY_CTX_free(pointer) }
        return result
    }

    /// Contexts for signing digests with the private key `key`, which must be an EC key:
    /// ECDSA over digests of `digest`.
    static func ecdsaSigning(_ key: OpaquePointer, digest: CertificateSignatureAlgorithm.Digest) -> PKeyContexts {
        PKeyContexts(key: key) { context in
            EVP_PKEY_sign_init(context) == 1 && EVP_PKEY_CTX_set_signature_md(context, digest.md) == 1
        }
    }

    /// Contexts for checking signatures over digests of `digest` with the public key `key`:
    /// ECDSA for an EC key, RSA PKCS#1 v1.5 (the digest in a DigestInfo) for an RSA key.
    static func verifying(_ key: OpaquePointer, digest: CertificateSignatureAlgorithm.Digest, rsa: Bool) -> PKeyContexts {
        PKeyContexts(key: key) { context in
            EVP_PKEY_verify_init(context) == 1
                && (!rsa || EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1)
                && EVP_PKEY_CTX_set_signature_md(context, digest.md) == 1
        }
    }

    /// Contexts of `key`, each set up by `prepare`; one that OpenSSL refuses to make or
    /// prepare is freed and its errors cleared.
    private convenience init(key: OpaquePointer, prepare: @escaping @Sendable (OpaquePointer) -> Bool) {
        let key = SharedKey(key)
        self.init {
            guard let context = EVP_PKEY_CTX_new(key.pointer, nil) else {
                OpenSSLErrors.clear()
                return nil
            }
            guard prepare(context) else {
                EVP_PKEY_CTX_free(context)
                OpenSSLErrors.clear()
                return nil
            }
            return context
        }
    }

    /// The key `make` builds contexts from. The pool's owner holds the key while it can call
    /// `run`, and every context takes a reference of its own (`EVP_PKEY_CTX_new`), so the order
    /// in which the owner's key and the idle contexts are freed does not matter.
    ///
    /// Safety: OpenSSL 3 lets an unchanging `EVP_PKEY` be used from many threads (openssl-threads(7)).
    private struct SharedKey: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
    }
}
