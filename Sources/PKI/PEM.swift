internal import COpenSSL

/// PEM armour (RFC 7468) through OpenSSL's generic block reader and writer.
enum PEM {
    /// One decoded block: the label after "BEGIN ", any RFC 1421 headers such as
    /// "DEK-Info", and the bytes inside.
    struct Block {
        let label: String
        let headers: String
        let der: [UInt8]
    }

    /// Every block in `text`, in order. Text between blocks is ignored.
    ///
    /// Throws `.invalidPEM` when a block is broken (bad base64, missing END line);
    /// returns an empty array when there are no blocks at all.
    static func blocks(in text: String) throws -> [Block] {
        let bio = MemoryBIO(text: text)
        var blocks: [Block] = []
        while true {
            var name: UnsafeMutablePointer<CChar>?
            var header: UnsafeMutablePointer<CChar>?
            var data: UnsafeMutablePointer<UInt8>?
            var length = 0
            guard PEM_read_bio(bio.pointer, &name, &header, &data, &length) == 1 else { break }
            defer {
                vigil_OPENSSL_free(name)
                vigil_OPENSSL_free(header)
                vigil_OPENSSL_free(data)
            }
            let der = data.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
            blocks.append(Block(label: name.map { String(cString: $0) } ?? "", headers: header.map { String(cString: $0) } ?? "", der: der))
        }
        guard OpenSSLErrors.lastIsEndOfPEM() else {
            throw OpenSSLErrors.error(.invalidPEM, "couldn't read PEM block \(blocks.count + 1)")
        }
        OpenSSLErrors.clear()
        return blocks
    }

    /// `der` armoured as one block labelled `label`, with 64-character lines.
    static func encode(label: String, der: [UInt8]) -> String {
        let bio = MemoryBIO()
        let written = der.withUnsafeBufferPointer { PEM_write_bio(bio.pointer, label, "", $0.baseAddress, $0.count) }
        precondition(written > 0, "PEM_write_bio into a memory BIO failed: \(OpenSSLErrors.drain())")
        return bio.text()
    }
}
