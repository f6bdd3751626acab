import Foundation

/// The add-chain body in the shape submitters send it, read straight into DER bytes:
/// `{"chain": ["<base64>", ...]}` with any JSON whitespace between the tokens, the one key,
/// and every string canonical padded base64 (RFC 4648 section 4, zero pad bits) without
/// escapes.
///
/// JSONDecoder and Foundation's base64 cost more CPU per submission than everything but the
/// signatures and the HTTP exchange; this reads the common shape without them. Any other body
/// (another or a repeated key, an escape, base64 that is not canonical, anything malformed)
/// gives nil, for the caller to read with the full decoder, which accepts or refuses it as
/// before. For every body this reads, the chain is the one the full decoder gives: canonical
/// base64 has exactly one decoding.
public enum PlainChainBody {
    /// The chain of `body`, or nil when it is not of the plain shape. The shape is checked
    /// before any string is decoded, so a body with endorsements costs one scan, not a decoding.
    public static func chain(_ body: UnsafeRawBufferPointer) -> [[UInt8]]? {
        var reader = Reader(bytes: body)
        guard reader.take(ascii: "{"), reader.take(literal: "\"chain\""), reader.take(ascii: ":"), reader.take(ascii: "[") else {
            return nil
        }
        var strings: [Range<Int>] = []
        if !reader.take(ascii: "]") {
            repeat {
                guard let string = reader.string() else { return nil }
                strings.append(string)
            } while reader.take(ascii: ",")
            guard reader.take(ascii: "]") else { return nil }
        }
        guard reader.take(ascii: "}") else { return nil }
        reader.skipWhitespace()
        guard reader.atEnd else { return nil }
        var chain: [[UInt8]] = []
        chain.reserveCapacity(strings.count)
        for string in strings {
            guard let certificate = CanonicalBase64.decode(UnsafeRawBufferPointer(rebasing: body[string])) else { return nil }
            chain.append(certificate)
        }
        return chain
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

        /// Whitespace, then a string without escapes: the range of its contents; nil for
        /// anything else.
        mutating func string() -> Range<Int>? {
            guard take(ascii: "\"") else { return nil }
            let start = position
            let rest = bytes.count - start
            // memchr scans a certificate's 1-2 KB of base64 many bytes at a time.
            guard let quote = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\"")), rest) else { return nil }
            let end = start + (UnsafeRawPointer(quote) - (bytes.baseAddress! + start))
            guard memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\\")), end - start) == nil else { return nil }
            position = end + 1
            return start..<end
        }
    }
}
