internal import COpenSSL

/// Opens traditional PEM encryption ("Proc-Type: 4,ENCRYPTED" and "DEK-Info:
/// cipher,iv", RFC 1421 s4.6.1.3, as OpenSSL wrote before PKCS#8) when its cipher
/// lives only in OpenSSL 3's legacy provider, such as DES-CBC.
///
/// OpenSSL's own PEM reader fetches that cipher from the process-wide default
/// library context, which lacks it. Loading the legacy provider there would change
/// which algorithms every other call accepts, so this code decrypts in a private
/// library context instead and hands the plain DER key to the default context.
enum LegacyPEMDecryption {
    /// The first encrypted private key block in `pem`, decrypted with `password`;
    /// nil when there is no such block or no password. Throws `.invalidKey` when
    /// decryption or parsing fails.
    static func privateKey(_ pem: String, password: String?) throws -> OpaquePointer? {
        guard let password,
              let block = try PEM.blocks(in: pem).first(where: { $0.label.hasSuffix("PRIVATE KEY") && $0.headers.contains("ENCRYPTED") }),
              let dekInfo = block.headers.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("DEK-Info:") })
        else { return nil }
        let fields = dekInfo.dropFirst("DEK-Info:".count).split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }
        guard fields.count == 2, let iv = bytes(hex: fields[1]) else {
            throw PKIError(.invalidKey, "\(block.label): unreadable \(dekInfo)")
        }
        var plain = try decrypt(block.der, cipherName: fields[0], iv: iv, password: Array(password.utf8))
        defer { plain.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        let (key, _) = OpenSSLBuffers.decode(plain) { d2i_AutoPrivateKey(nil, $0, $1) }
        guard let key else { throw OpenSSLErrors.error(.invalidKey, "\(block.label): decrypted key does not parse (wrong password?)") }
        return key
    }

    /// Decrypts with the key OpenSSL derives for traditional PEM: EVP_BytesToKey
    /// with MD5, one iteration, and the IV's first 8 bytes as salt.
    private static func decrypt(_ data: [UInt8], cipherName: String, iv: [UInt8], password: [UInt8]) throws -> [UInt8] {
        guard let context = OSSL_LIB_CTX_new() else { throw OpenSSLErrors.error(.openSSL, "OSSL_LIB_CTX_new failed") }
        defer { OSSL_LIB_CTX_free(context) }
        let legacy = OSSL_PROVIDER_load(context, "legacy")
        defer { if let legacy { OSSL_PROVIDER_unload(legacy) } }
        let base = OSSL_PROVIDER_load(context, "default")
        defer { if let base { OSSL_PROVIDER_unload(base) } }
        guard let cipher = EVP_CIPHER_fetch(context, cipherName, nil), let md5 = EVP_MD_fetch(context, "MD5", nil) else {
            throw OpenSSLErrors.error(.invalidKey, "PEM cipher \(cipherName) unavailable, even with the legacy provider")
        }
        defer { EVP_CIPHER_free(cipher); EVP_MD_free(md5) }
        guard iv.count == EVP_CIPHER_get_iv_length(cipher), iv.count >= 8 else {
            throw PKIError(.invalidKey, "PEM \(cipherName) IV is \(iv.count) bytes, want \(EVP_CIPHER_get_iv_length(cipher))")
        }
        var key = [UInt8](repeating: 0, count: Int(EVP_CIPHER_get_key_length(cipher)))
        defer { key.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        guard EVP_BytesToKey(cipher, md5, iv, password, Int32(password.count), 1, &key, nil) > 0,
              let cipherContext = EVP_CIPHER_CTX_new() else {
            throw OpenSSLErrors.error(.invalidKey, "couldn't derive the PEM \(cipherName) key")
        }
        defer { EVP_CIPHER_CTX_free(cipherContext) }
        var plain = [UInt8](repeating: 0, count: data.count + Int(EVP_CIPHER_get_block_size(cipher)))
        var written: Int32 = 0
        var finalWritten: Int32 = 0
        let ok = plain.withUnsafeMutableBufferPointer { out in
            EVP_DecryptInit_ex2(cipherContext, cipher, key, iv, nil) == 1
                && EVP_DecryptUpdate(cipherContext, out.baseAddress, &written, data, Int32(data.count)) == 1
                && EVP_DecryptFinal_ex(cipherContext, out.baseAddress! + Int(written), &finalWritten) == 1
        }
        guard ok else { throw OpenSSLErrors.error(.invalidKey, "couldn't decrypt \(cipherName) PEM key (wrong password?)") }
        plain.removeLast(plain.count - Int(written + finalWritten))
        return plain
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        return try? stride(from: 0, to: digits.count, by: 2).map { index in
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                throw PKIError(.invalidKey, "bad hex")
            }
            return byte
        }
    }
}
