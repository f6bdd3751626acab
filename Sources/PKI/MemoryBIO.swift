internal import COpenSSL

/// An owned OpenSSL memory BIO: bytes in for the PEM readers, bytes out from the
/// PEM writers and name printers.
///
/// Internal and never shared: each instance lives inside one call.
final class MemoryBIO {
    let pointer: OpaquePointer

    /// An empty, writable BIO.
    init() {
        guard let bio = BIO_new(BIO_s_mem()) else { fatalError("BIO_new(BIO_s_mem) failed: out of memory") }
        pointer = bio
    }

    /// A BIO holding a copy of `bytes`, ready to be read from the start.
    convenience init(_ bytes: [UInt8]) {
        self.init()
        if bytes.isEmpty { return }
        let written = bytes.withUnsafeBytes { BIO_write(pointer, $0.baseAddress, Int32($0.count)) }
        precondition(written == Int32(bytes.count), "BIO_write to a memory BIO wrote \(written) of \(bytes.count) bytes")
    }

    /// A BIO holding the UTF-8 bytes of `text`.
    convenience init(text: String) {
        self.init(Array(text.utf8))
    }

    /// Everything written to the BIO and not yet read.
    func contents() -> [UInt8] {
        var data: UnsafeMutablePointer<CChar>?
        let length = vigil_BIO_get_mem_data(pointer, &data)
        guard length > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    /// The contents decoded as UTF-8.
    func text() -> String {
        String(decoding: contents(), as: UTF8.self)
    }

    deinit { BIO_free(pointer) }
}
