internal import COpenSSL

/// The public-key algorithms the log handles.
///
/// A log signs with ECDSA P-256 or Ed25519; certificate issuers also use RSA.
/// Any other key (other curves, DSA, RSA-PSS keys) is rejected with `.unsupportedKey`.
public enum KeyAlgorithm: Sendable {
    /// ECDSA on NIST P-256 with SHA-256 (RFC 6962 s2.1.4).
    case ecdsaP256
    /// RSA with PKCS#1 v1.5 padding and SHA-256 (RFC 6962 s2.1.4).
    case rsa
    /// Pure Ed25519 (RFC 8032).
    case ed25519
}

/// One owned OpenSSL `EVP_PKEY`: a private key pair or a public key alone.
///
/// Safety: `@unchecked Sendable` because the key is never modified after `init`,
/// and OpenSSL 3 allows an unchanging `EVP_PKEY` to be used from many threads at
/// once for signing and verifying (openssl-threads(7)); each operation gets its
/// own `EVP_MD_CTX`, or its own context from `ecdsaSigning`.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer
    let algorithm: KeyAlgorithm
    /// Ready ECDSA signing contexts for a P-256 key (none made until the first signature, and
    /// none can be for a public key alone); nil for other algorithms.
    let ecdsaSigning: PKeyContexts?
    /// The longest signature of a P-256 key (`EVP_PKEY_get_size`), kept for `ecdsaSigning`:
    /// OpenSSL works it out on every call by sizing a largest signature; 0 for other algorithms.
    let ecdsaSignatureBytes: Int32

    /// Takes ownership of `pointer`, freeing it if the algorithm is unsupported.
    init(taking pointer: OpaquePointer) throws {
        do {
            algorithm = try Self.algorithm(of: pointer)
        } catch {
            EVP_PKEY_free(pointer)
            throw error
        }
        self.pointer = pointer
        ecdsaSigning = algorithm == .ecdsaP256 ? PKeyContexts.ecdsaSigning(pointer, digest: .sha256) : nil
        ecdsaSignatureBytes = algorithm == .ecdsaP256 ? EVP_PKEY_get_size(pointer) : 0
    }

    deinit { EVP_PKEY_free(pointer) }

    /// Parses a DER SubjectPublicKeyInfo (RFC 5280 s4.1.2.7) that must fill `der`.
    convenience init(spkiDER der: [UInt8]) throws {
        let (key, consumed) = OpenSSLBuffers.decode(der) { d2i_PUBKEY(nil, $0, $1) }
        guard let key else { throw OpenSSLErrors.error(.invalidKey, "couldn't parse \(der.count)-byte SubjectPublicKeyInfo") }
        guard consumed == der.count else {
            EVP_PKEY_free(key)
            throw PKIError(.invalidKey, "SubjectPublicKeyInfo: \(der.count - consumed) trailing bytes after \(consumed)")
        }
        try self.init(taking: key)
    }

    /// Reads the first private key in `pem`: PKCS#8 ("PRIVATE KEY" or "ENCRYPTED
    /// PRIVATE KEY"), or a traditional "EC PRIVATE KEY" / "RSA PRIVATE KEY", which
    /// may carry legacy PEM encryption. `password` decrypts; without one, an
    /// encrypted key fails instead of prompting on a terminal.
    convenience init(privatePEM pem: String, password: String?) throws {
        let key: OpaquePointer
        if let read = Self.readPrivateKey(pem, password: password) {
            key = read
        } else {
            // Traditional PEM encryption with a legacy cipher such as DES-CBC fails in
            // the default library context; LegacyPEMDecryption handles it apart.
            let firstFailure = OpenSSLErrors.drain()
            guard let legacy = try LegacyPEMDecryption.privateKey(pem, password: password) else {
                let reason = password == nil ? "no private key, or encrypted and no password given" : "no private key, or wrong password"
                throw PKIError(.invalidKey, "couldn't read private key PEM (\(reason)): \(firstFailure)")
            }
            key = legacy
        }
        OpenSSLErrors.clear()
        try self.init(taking: key)
    }

    private static func readPrivateKey(_ pem: String, password: String?) -> OpaquePointer? {
        let bio = MemoryBIO(text: pem)
        guard let password else { return PEM_read_bio_PrivateKey(bio.pointer, nil, copyPassword, nil) }
        return password.withCString { PEM_read_bio_PrivateKey(bio.pointer, nil, copyPassword, UnsafeMutableRawPointer(mutating: $0)) }
    }

    /// A fresh key from OpenSSL's generator: `type` is "EC" (with `group`) or "ED25519".
    static func generate(type: String, group: String?) throws -> EVPKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw OpenSSLErrors.error(.openSSL, "couldn't create \(type) key generator")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              group.map({ EVP_PKEY_CTX_set_group_name(context, $0) == 1 }) ?? true,
              EVP_PKEY_generate(context, &key) == 1, let key
        else { throw OpenSSLErrors.error(.openSSL, "couldn't generate \(type) key \(group ?? "")") }
        return try EVPKey(taking: key)
    }

    /// The DER SubjectPublicKeyInfo of the public half.
    func subjectPublicKeyInfo() throws -> [UInt8] {
        guard let der = OpenSSLBuffers.encode(with: { i2d_PUBKEY(pointer, $0) }) else {
            throw OpenSSLErrors.error(.invalidKey, "couldn't encode SubjectPublicKeyInfo")
        }
        return der
    }

    /// The private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----", RFC 5958).
    func pkcs8PEM() throws -> String {
        let bio = MemoryBIO()
        guard PEM_write_bio_PrivateKey(bio.pointer, pointer, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLErrors.error(.invalidKey, "couldn't write PKCS#8 private key")
        }
        return bio.text()
    }

    /// The digest to pair with this key: SHA-256, or none for pure Ed25519.
    var digest: OpaquePointer? {
        algorithm == .ed25519 ? nil : EVP_sha256()
    }

    private static func algorithm(of key: OpaquePointer) throws -> KeyAlgorithm {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_ED25519:
            return .ed25519
        case EVP_PKEY_RSA:
            return .rsa
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else {
                throw OpenSSLErrors.error(.unsupportedKey, "EC key without a named curve")
            }
            let curve = String(nulTerminated: name)
            guard curve == "prime256v1" || curve == "P-256" else {
                throw PKIError(.unsupportedKey, "EC key on curve \(curve), want P-256")
            }
            return .ecdsaP256
        default:
            let type = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
            throw PKIError(.unsupportedKey, "key type \(type) (id \(EVP_PKEY_get_base_id(key))), want P-256, RSA or Ed25519")
        }
    }
}

/// OpenSSL's PEM password callback: copies the NUL-terminated password passed as
/// `userData` into `buffer`, or fails when there is none, so OpenSSL never falls
/// back to prompting on a terminal.
private func copyPassword(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32,
                          _ userData: UnsafeMutableRawPointer?) -> Int32 {
    guard let buffer, let userData else { return -1 }
    let password = userData.assumingMemoryBound(to: CChar.self)
    var length = 0
    while length < Int(size), password[length] != 0 { length += 1 }
    buffer.update(from: password, count: length)
    return Int32(length)
}
