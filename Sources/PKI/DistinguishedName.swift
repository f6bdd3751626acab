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
        guard let sequence = try? DER.single(name, "Name"), sequence.tag == DER.Tag.sequence,
              let rdns = try? sequence.children() else { return false }
        for rdn in rdns {
            guard rdn.tag == DER.Tag.set, let attributes = try? rdn.children(), !attributes.isEmpty else { return false }
            for attribute in attributes {
                guard attribute.tag == DER.Tag.sequence, let parts = try? attribute.children(), parts.count == 2,
                      isObjectIdentifier(parts[0]), plainStringTags.contains(parts[1].tag) else { return false }
                if parts[1].tag == 0x0C, String(validating: parts[1].content, as: UTF8.self) == nil { return false }
            }
        }
        return true
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
