internal import COpenSSL

/// Moving bytes across the C boundary: DER into OpenSSL's `d2i_*` parsers, DER out
/// of its `i2d_*` encoders, and text out of fixed C buffers.
enum OpenSSLBuffers {
    /// Runs a `d2i_*` parser over `der` and returns the object it built, if any,
    /// and how many bytes it consumed, so callers can refuse trailing bytes.
    static func decode(_ der: [UInt8],
                       with parse: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?) -> (OpaquePointer?, consumed: Int) {
        der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            let object = parse(&cursor, buffer.count)
            guard let cursor, let base = buffer.baseAddress else { return (object, 0) }
            return (object, cursor - base)
        }
    }

    /// Runs an `i2d_*` encoder that allocates its output, and returns a copy of it.
    static func encode(with write: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32) -> [UInt8]? {
        var out: UnsafeMutablePointer<UInt8>?
        let length = write(&out)
        guard length > 0, let out else { return nil }
        defer { vigil_OPENSSL_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}

extension String {
    /// The UTF-8 text in `buffer` up to its first NUL, as C APIs fill fixed buffers.
    init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
