internal import COpenSSL

/// SHA-256 through OpenSSL: the one hash every CT structure uses. One-shot digests use the
/// low-level functions (`vigil_sha256`), incremental ones the EVP interface.
public enum SHA256 {
    /// SHA-256 fetched from the default provider once. `EVP_sha256()` makes OpenSSL 3 look the
    /// algorithm up again on every digest, which costs more than hashing a Merkle node.
    ///
    /// Safety: an `EVP_MD` fetched once and never freed or changed; OpenSSL lets any number of
    /// threads digest with one at a time.
    nonisolated(unsafe) private static let algorithm: OpaquePointer = {
        guard let fetched = EVP_MD_fetch(nil, "SHA256", nil) else { fatalError("OpenSSL has no SHA256") }
        return fetched
    }()

    /// The digest length in bytes.
    public static let byteCount = 32

    /// Returns SHA-256(`bytes`).
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Returns SHA-256 of the concatenation of `parts`, without concatenating them first.
    public static func hash(parts: [[UInt8]]) -> [UInt8] {
        var hasher = Hasher()
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }

    /// Returns SHA-256 of the bytes behind `buffer`.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        digest.withUnsafeMutableBytes { hash(buffer, into: $0) }
        return digest
    }

    /// Writes SHA-256 of the bytes behind `buffer` into `digest`, which must hold `byteCount`
    /// bytes: for callers that keep digests inline rather than in arrays.
    public static func hash(_ buffer: UnsafeRawBufferPointer, into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count >= byteCount, "digest buffer of \(digest.count) bytes, want \(byteCount)")
        vigil_sha256(buffer.baseAddress, buffer.count, digest.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// An incremental SHA-256 computation. Not copyable: it owns an OpenSSL context.
    public struct Hasher: ~Copyable {
        private let context: OpaquePointer

        public init() {
            guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
            precondition(EVP_DigestInit_ex(context, SHA256.algorithm, nil) == 1, "EVP_DigestInit_ex failed")
            self.context = context
        }

        public mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { update($0) }
        }

        public mutating func update(_ buffer: UnsafeRawBufferPointer) {
            precondition(EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) == 1, "EVP_DigestUpdate failed")
        }

        public consuming func finalize() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
            var length: UInt32 = 0
            let ok = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
            precondition(ok == 1 && length == 32, "EVP_DigestFinal_ex failed")
            return digest
        }

        deinit { EVP_MD_CTX_free(context) }
    }
}
