/// The add-chain body in the shape submitters send it, read straight into DER bytes:
/// `{"chain": ["<base64>", ...]}` with any JSON whitespace between the tokens, the one key,
/// and every string canonical padded base64 (RFC 4648 section 4, zero pad bits) without
/// escapes.
///
/// JSONDecoder and Foundation's base64 cost more CPU per submission than everything but the
/// signatures and the HTTP exchange; this reads the common shape in one pass. Any other body
/// (another or a repeated key, an escape, base64 that is not canonical, anything malformed)
/// gives nil, for the caller to read with the full decoder, which accepts or refuses it as
/// before. For every body this reads, the chain is the one the full decoder gives: canonical
/// base64 has exactly one decoding.
public enum PlainChainBody {
    /// The chain of `body`, or nil when it is not of the plain shape.
    public static func chain(_ body: UnsafeRawBufferPointer) -> [[UInt8]]? {
        var reader = Reader(bytes: body)
        guard reader.take(ascii: "{"), reader.take(literal: "\"chain\""), reader.take(ascii: ":"), reader.take(ascii: "[") else {
            return nil
        }
        var chain: [[UInt8]] = []
        if !reader.take(ascii: "]") {
            repeat {
                guard let certificate = reader.base64String() else { return nil }
                chain.append(certificate)
            } while reader.take(ascii: ",")
            guard reader.take(ascii: "]") else { return nil }
        }
        guard reader.take(ascii: "}") else { return nil }
        reader.skipWhitespace()
        return reader.atEnd ? chain : nil
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var atEnd: Bool { position == bytes.count }

        /// Skips JSON whitespace (RFC 8259 section 2).
        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        /// Whitespace, then `character`, which is consumed; false when something else comes.
        mutating func take(ascii character: Unicode.Scalar) -> Bool {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }

        /// Whitespace, then exactly `text`.
        mutating func take(literal text: StaticString) -> Bool {
            skipWhitespace()
            let count = text.utf8CodeUnitCount
            guard bytes.count - position >= count else { return false }
            for offset in 0..<count where bytes[position + offset] != text.utf8Start[offset] { return false }
            position += count
            return true
        }

        /// Whitespace, then a string of canonical padded base64, decoded; nil for anything else.
        mutating func base64String() -> [UInt8]? {
            guard take(ascii: "\"") else { return nil }
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") { position += 1 }
            guard position < bytes.count else { return nil }
            let text = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
            position += 1
            return PlainChainBody.decode(text)
        }
    }

    /// Canonical padded base64: a multiple of 4 characters, `=` only as the last one or two,
    /// and the bits the padding leaves over zero. Nil for anything else.
    static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        guard !text.isEmpty else { return [] }
        let padding = text[text.count - 1] != equals ? 0 : text[text.count - 2] != equals ? 1 : 2
        let quads = text.count / 4
        let length = quads * 3 - padding
        let padBits: UInt32 = padding == 2 ? 0xFFFF : padding == 1 ? 0xFF : 0
        var valid = true
        let bytes = sextets.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: length) { out, written in
                for quad in 0..<quads {
                    let i = quad * 4, o = quad * 3
                    let last = quad == quads - 1
                    let a = table[Int(text[i])], b = table[Int(text[i + 1])]
                    let c = last && padding == 2 ? 0 : table[Int(text[i + 2])]
                    let d = last && padding >= 1 ? 0 : table[Int(text[i + 3])]
                    let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    // Outside the alphabet; or, at the end, pad bits that are not zero.
                    if (a | b | c | d) & 0x40 != 0 || (last && group & padBits != 0) {
                        valid = false
                        break
                    }
                    out[o] = UInt8(truncatingIfNeeded: group >> 16)
                    if o + 1 < length { out[o + 1] = UInt8(truncatingIfNeeded: group >> 8) }
                    if o + 2 < length { out[o + 2] = UInt8(truncatingIfNeeded: group) }
                }
                written = valid ? length : 0
            }
        }
        return valid ? bytes : nil
    }

    private static let equals = UInt8(ascii: "=")

    /// Each byte's base64 value (RFC 4648 table 1), 0x40 for any byte outside the alphabet
    /// (`=` included: padding is handled apart).
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0x40, count: 256)
        for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()
}
