/// An X.509 TBSCertificate (RFC 5280 s4.1) split into its fields as exact byte
/// slices, and rebuilt with some fields swapped, byte for byte otherwise.
///
///     TBSCertificate ::= SEQUENCE {
///         version [0] EXPLICIT Version DEFAULT v1, serialNumber, signature,
///         issuer, validity, subject, subjectPublicKeyInfo,
///         issuerUniqueID [1] IMPLICIT OPTIONAL, subjectUniqueID [2] IMPLICIT OPTIONAL,
///         extensions [3] EXPLICIT Extensions OPTIONAL }
struct TBSCertificate {
    /// One `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
    struct Extension {
        let raw: ArraySlice<UInt8>
        /// The extnID element, tag and length included.
        let oid: ArraySlice<UInt8>
        /// The critical element if it was encoded (DER omits FALSE).
        let criticalElement: ArraySlice<UInt8>?
        let critical: Bool
        /// The extnValue OCTET STRING element, tag and length included.
        let valueElement: ArraySlice<UInt8>
        /// The extnValue contents: the DER of the extension's own structure.
        let value: ArraySlice<UInt8>

        /// The same extension carrying another extension's extnValue.
        func replacingValue(with other: Extension) -> [UInt8] {
            DER.encode(tag: DER.Tag.sequence, content: Array(oid) + Array(criticalElement ?? []) + Array(other.valueElement))
        }
    }

    /// Every top-level field, in order.
    let fields: [DER.Element]
    /// The `[0]` version field, if present (absent means v1).
    let version: DER.Element?
    let serialIndex: Int
    let signatureIndex: Int
    let issuerIndex: Int
    let subjectIndex: Int
    let spkiIndex: Int
    let validityIndex: Int
    /// The index of the `[3]` field, if present.
    let extensionsIndex: Int?
    let extensions: [Extension]

    var issuer: ArraySlice<UInt8> { fields[issuerIndex].raw }
    var subject: ArraySlice<UInt8> { fields[subjectIndex].raw }
    var subjectPublicKeyInfo: ArraySlice<UInt8> { fields[spkiIndex].raw }
    /// The signature AlgorithmIdentifier inside the TBSCertificate, which must equal the outer one.
    var signature: ArraySlice<UInt8> { fields[signatureIndex].raw }
    var validity: DER.Element { fields[validityIndex] }
    var serialNumber: DER.Element { fields[serialIndex] }
    /// True when the issuerUniqueID or subjectUniqueID field is present.
    var hasUniqueIdentifiers: Bool {
        fields.contains { $0.tag == DER.Tag.implicit(1) || $0.tag == DER.Tag.implicit(2) }
    }

    /// Parses `tbs`, a complete TBSCertificate element.
    init(_ tbs: ArraySlice<UInt8>) throws {
        let sequence = try DER.single(tbs, "TBSCertificate").expect(DER.Tag.sequence, "TBSCertificate")
        fields = try sequence.children()
        var index = fields.first?.tag == DER.Tag.explicit(0) ? 1 : 0
        let required: [(UInt8, String)] = [
            (DER.Tag.integer, "serialNumber"), (DER.Tag.sequence, "signature"), (DER.Tag.sequence, "issuer"),
            (DER.Tag.sequence, "validity"), (DER.Tag.sequence, "subject"), (DER.Tag.sequence, "subjectPublicKeyInfo"),
        ]
        guard fields.count >= index + required.count else {
            throw PKIError(.invalidDER, "TBSCertificate has \(fields.count) fields, want at least \(index + required.count)")
        }
        for (tag, name) in required {
            try fields[index].expect(tag, "TBSCertificate \(name)")
            index += 1
        }
        version = fields.first?.tag == DER.Tag.explicit(0) ? fields[0] : nil
        serialIndex = index - 6
        signatureIndex = index - 5
        issuerIndex = index - 4
        validityIndex = index - 3
        subjectIndex = index - 2
        spkiIndex = index - 1

        // The optional trailing fields, each at most once and in order.
        var extensionsIndex: Int?
        var extensions: [Extension] = []
        var allowed: [UInt8] = [DER.Tag.implicit(1), DER.Tag.implicit(2), DER.Tag.explicit(3)]
        while index < fields.count {
            let field = fields[index]
            guard let position = allowed.firstIndex(of: field.tag) else {
                throw PKIError(.invalidDER, "TBSCertificate field \(index + 1) at offset \(field.raw.startIndex): unexpected tag 0x\(String(field.tag, radix: 16))")
            }
            allowed.removeFirst(position + 1)
            if field.tag == DER.Tag.explicit(3) {
                extensionsIndex = index
                extensions = try Self.parseExtensions(field)
            }
            index += 1
        }
        self.extensionsIndex = extensionsIndex
        self.extensions = extensions
    }

    /// The extensions whose extnID element equals `oid` (tag and length included).
    func extensions(withOID oid: [UInt8]) -> [Extension] {
        extensions.filter { $0.oid.elementsEqual(oid) }
    }

    /// The extensions whose extnID element differs from `oid`, in order.
    func extensions(withoutOID oid: [UInt8]) -> [Extension] {
        extensions.filter { !$0.oid.elementsEqual(oid) }
    }

    /// This TBSCertificate with the issuer Name replaced by `issuer` (a complete Name
    /// element) and the extensions replaced by `extensions` (complete Extension
    /// elements). Every other field keeps its exact bytes. An empty `extensions`
    /// drops the `[3]` field, since RFC 5280 s4.1 requires at least one extension
    /// when it is present (Go's certificate-transparency-go omits it the same way).
    func rebuilt(issuer: ArraySlice<UInt8>, extensions: [[UInt8]]) -> [UInt8] {
        precondition(extensionsIndex != nil || extensions.isEmpty, "adding extensions to a TBSCertificate without any")
        var content: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index == issuerIndex {
                content += issuer
            } else if index == extensionsIndex {
                guard !extensions.isEmpty else { continue }
                let list = DER.encode(tag: DER.Tag.sequence, content: extensions.flatMap { $0 })
                content += DER.encode(tag: DER.Tag.explicit(3), content: list)
            } else {
                content += field.raw
            }
        }
        return DER.encode(tag: DER.Tag.sequence, content: content)
    }

    private static func parseExtensions(_ field: DER.Element) throws -> [Extension] {
        let wrapped = try field.children()
        guard wrapped.count == 1 else {
            throw PKIError(.invalidDER, "TBSCertificate extensions [3]: \(wrapped.count) elements inside, want 1 SEQUENCE")
        }
        let list = try wrapped[0].expect(DER.Tag.sequence, "Extensions")
        return try list.children().map { element in
            try element.expect(DER.Tag.sequence, "Extension")
            let parts = try element.children()
            guard parts.count == 2 || parts.count == 3 else {
                throw PKIError(.invalidDER, "Extension at offset \(element.raw.startIndex): \(parts.count) fields, want 2 or 3")
            }
            try parts[0].expect(DER.Tag.objectIdentifier, "Extension extnID")
            let value = try parts[parts.count - 1].expect(DER.Tag.octetString, "Extension extnValue")
            var criticalElement: ArraySlice<UInt8>?
            var critical = false
            if parts.count == 3 {
                let flag = try parts[1].expect(DER.Tag.boolean, "Extension critical")
                guard flag.content.count == 1 else {
                    throw PKIError(.invalidDER, "Extension critical at offset \(flag.raw.startIndex): \(flag.content.count) content bytes, want 1")
                }
                criticalElement = flag.raw
                critical = flag.content.first != 0
            }
            return Extension(raw: element.raw, oid: parts[0].raw, criticalElement: criticalElement, critical: critical,
                             valueElement: value.raw, value: value.content)
        }
    }
}
