/// Decoding of canonical padded base64 (RFC 4648 section 4): a multiple of 4 characters of
/// the standard alphabet, `=` only as the last one or two, and the bits the padding leaves
/// over zero. Such text has exactly one decoding, the one any base64 decoder gives, so a
/// caller may read it here and leave every other text to Foundation's decoder and its
/// errors.
public enum CanonicalBase64 {
    /// The bytes of `text`, or nil unless it is canonical padded base64.
    public static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
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

    /// The standard alphabet (RFC 4648 table 1), a character per sextet value; `Base64` encodes with it.
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Each byte's base64 value (RFC 4648 table 1), 0x40 for any byte outside the alphabet
    /// (`=` included: padding is handled apart).
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0x40, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()
}
