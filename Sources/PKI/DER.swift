/// A small, strict DER reader and writer (ITU-T X.690 s8 and s10), enough to take
/// exact byte slices out of X.509 structures and to splice new ones together.
///
/// OpenSSL parses certificates for meaning; this code handles bytes that must be
/// reproduced exactly, such as the TBSCertificate a log signs over (RFC 6962 s3.2),
/// where re-encoding through a full ASN.1 library might change them.
enum DER {
    /// Universal and context-specific tags used by X.509 (X.690 s8.1.2).
    enum Tag {
        static let boolean: UInt8 = 0x01
        static let integer: UInt8 = 0x02
        static let bitString: UInt8 = 0x03
        static let octetString: UInt8 = 0x04
        static let null: UInt8 = 0x05
        static let objectIdentifier: UInt8 = 0x06
        static let sequence: UInt8 = 0x30
        static let set: UInt8 = 0x31
        /// `[n]` constructed, context-specific: EXPLICIT tagging such as TBSCertificate's
        /// `[0] version` and `[3] extensions`.
        static func explicit(_ number: UInt8) -> UInt8 { 0xA0 | number }
        /// `[n]` primitive, context-specific: IMPLICIT tagging of a primitive type.
        static func implicit(_ number: UInt8) -> UInt8 { 0x80 | number }
    }

    /// One tag-length-value element, as slices of the buffer it was read from.
    /// Slice indices are offsets into that buffer, which error messages quote.
    struct Element {
        let tag: UInt8
        /// The whole element: tag, length and content.
        let raw: ArraySlice<UInt8>
        /// Where the content starts in `raw`'s indices. One slice, not two, so copying an
        /// element (parsers keep arrays of them) retains the buffer once.
        private let contentStart: Int

        init(tag: UInt8, raw: ArraySlice<UInt8>, contentStart: Int) {
            self.tag = tag
            self.raw = raw
            self.contentStart = contentStart
        }

        /// The content octets only.
        var content: ArraySlice<UInt8> { raw[contentStart...] }

        /// The elements inside a constructed element's content, which must be
        /// nothing but complete elements.
        func children() throws -> [Element] {
            var reader = childReader()
            var children: [Element] = []
            // Every element takes at least two bytes; one allocation of up to 16 slots, not a
            // doubling series (a TBSCertificate has up to ten fields).
            children.reserveCapacity(Swift.min(raw.endIndex - contentStart, 32) / 2)
            while let child = try reader.next() { children.append(child) }
            return children
        }

        /// A reader of the elements inside a constructed element's content, one at a time:
        /// what `children()` returns, without the array.
        func childReader() -> Reader { Reader(content) }

        /// Throws unless this element has tag `expected`; `what` names it in the error, and is
        /// made only then.
        @discardableResult
        func expect(_ expected: UInt8, _ what: @autoclosure () -> String) throws -> Element {
            guard tag == expected else {
                throw PKIError(.invalidDER, "\(what()) at offset \(raw.startIndex): tag 0x\(hex(tag)), want 0x\(hex(expected))")
            }
            return self
        }
    }

    /// Reads complete elements from the front of a byte slice, one at a time. A parser that
    /// walks a structure once reads it this way rather than through `children()`, whose
    /// array is an allocation per constructed element (a Name has one per RDN and attribute).
    struct Reader {
        private var rest: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

        /// True when every element has been read.
        var isAtEnd: Bool { rest.isEmpty }

        /// The next element, or nil when every element has been read. Throws `.invalidDER`
        /// when the bytes left do not start with a complete element.
        mutating func next() throws -> Element? {
            rest.isEmpty ? nil : try DER.read(&rest)
        }

        /// Reads every element left, throwing as `next()` does where one breaks off.
        mutating func finish() throws {
            while try next() != nil {}
        }

        /// Reads every element left; false when the bytes left are not complete elements.
        mutating func readToEnd() -> Bool {
            (try? finish()) != nil
        }
    }

    /// Reads the element at the front of `bytes` and advances `bytes` past it.
    ///
    /// Only single-octet tags (numbers below 31, all X.509 needs) and definite,
    /// minimally encoded lengths are accepted, as DER requires (X.690 s10.1).
    static func read(_ bytes: inout ArraySlice<UInt8>) throws -> Element {
        let start = bytes.startIndex
        guard bytes.count >= 2 else {
            throw PKIError(.invalidDER, "element at offset \(start): \(bytes.count) bytes left, need at least 2")
        }
        let tag = bytes[start]
        guard tag & 0x1F != 0x1F else {
            throw PKIError(.invalidDER, "element at offset \(start): multi-octet tag 0x\(hex(tag)) not supported")
        }
        let first = bytes[start + 1]
        var length = Int(first)
        var headerLength = 2
        if first >= 0x80 {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4 else {
                throw PKIError(.invalidDER, "element at offset \(start): length octet 0x\(hex(first)) is indefinite or too long")
            }
            guard bytes.count >= 2 + count else {
                throw PKIError(.invalidDER, "element at offset \(start): length needs \(count) octets, \(bytes.count - 2) left")
            }
            length = 0
            for octet in bytes[(start + 2)..<(start + 2 + count)] { length = length << 8 | Int(octet) }
            guard length >= 0x80, length >> (8 * (count - 1)) != 0 else {
                throw PKIError(.invalidDER, "element at offset \(start): length \(length) not minimally encoded in \(count) octets")
            }
            headerLength += count
        }
        guard length <= bytes.count - headerLength else {
            throw PKIError(.invalidDER, "element at offset \(start): length \(length) exceeds the \(bytes.count - headerLength) bytes left")
        }
        let end = start + headerLength + length
        let element = Element(tag: tag, raw: bytes[start..<end], contentStart: start + headerLength)
        bytes = bytes[end...]
        return element
    }

    /// Reads exactly one element filling all of `bytes`; `what` names it in errors.
    static func single(_ bytes: ArraySlice<UInt8>, _ what: String) throws -> Element {
        var rest = bytes
        let element = try read(&rest)
        guard rest.isEmpty else {
            throw PKIError(.invalidDER, "\(what): \(rest.count) trailing bytes after \(element.raw.count)-byte element")
        }
        return element
    }

    /// True when `content`, an INTEGER's content octets, is its minimal two's-complement
    /// encoding (X.690 s8.3.2): not empty, and no leading 00 or FF octet that only repeats
    /// the sign of the next one.
    static func isMinimalInteger(_ content: ArraySlice<UInt8>) -> Bool {
        guard let first = content.first else { return false }
        guard content.count > 1 else { return true }
        let second = content[content.startIndex + 1]
        return !(first == 0x00 && second & 0x80 == 0) && !(first == 0xFF && second & 0x80 != 0)
    }

    /// The DER length octets for `count` content bytes: one octet below 128,
    /// else 0x80 + n followed by n big-endian octets (X.690 s8.1.3).
    static func length(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative DER length")
        if count < 0x80 { return [UInt8(count)] }
        var octets: [UInt8] = []
        var rest = count
        while rest > 0 {
            octets.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(octets.count)] + octets
    }

    /// A complete element with `tag` around `content`.
    static func encode(tag: UInt8, content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
