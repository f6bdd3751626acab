/// Checks on an X.501 Name (RFC 5280 s4.1.2.4) read from its DER alone:
///
///     Name ::= SEQUENCE OF RelativeDistinguishedName
///     RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
///     AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
enum DistinguishedName {
    /// UTF8String, PrintableString, TeletexString and IA5String: the string types nearly every
    /// certificate uses (RFC 5280 s4.1.2.4).
    static let plainStringTags: Set<UInt8> = [0x0C, 0x13, 0x14, 0x16]

    /// True when `name`, a complete Name element, has that shape, every type is a well-formed
    /// OBJECT IDENTIFIER and every value one of the plain string types (UTF8String holding valid
    /// UTF-8). Such a name decodes in OpenSSL as it reads here; other names are left to OpenSSL.
    static func isPlain(_ name: ArraySlice<UInt8>) -> Bool {
        guard let sequence = try? DER.single(name, "Name"), sequence.tag == DER.Tag.sequence else { return false }
        return (try? hasPlainAttributes(sequence)) ?? false
    }

    /// The walk of `isPlain` over the RDNs of `name`; throws where the DER breaks off.
    private static func hasPlainAttributes(_ name: DER.Element) throws -> Bool {
        var rdns = name.childReader()
        while let rdn = try rdns.next() {
            guard rdn.tag == DER.Tag.set else { return false }
            var attributes = rdn.childReader()
            guard !attributes.isAtEnd else { return false }
            while let attribute = try attributes.next() {
                guard attribute.tag == DER.Tag.sequence else { return false }
                var parts = attribute.childReader()
                guard let type = try parts.next(), let value = try parts.next(), parts.isAtEnd,
                      isObjectIdentifier(type), plainStringTags.contains(value.tag) else { return false }
                if value.tag == 0x0C, !isValidUTF8(value.content) { return false }
            }
        }
        return true
    }

    /// True when `bytes` are well-formed UTF-8, checked without making a String of them.
    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// True when `element` is an OBJECT IDENTIFIER whose arcs are complete and minimally encoded
    /// (X.690 s8.19.2).
    static func isObjectIdentifier(_ element: DER.Element) -> Bool {
        let content = element.content
        guard element.tag == DER.Tag.objectIdentifier, let last = content.last, last & 0x80 == 0 else { return false }
        var atArcStart = true
        for byte in content {
            if atArcStart && byte == 0x80 { return false }
            atArcStart = byte & 0x80 == 0
        }
        return true
    }
}
