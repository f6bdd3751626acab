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
    /// Its parts are offsets into `raw`, so copying an extension retains one buffer, not five.
    struct Extension {
        let raw: ArraySlice<UInt8>
        let critical: Bool
        private let oidStart: Int
        /// Where the extnID element ends: the critical element, if encoded, runs from here to `valueStart`.
        private let oidEnd: Int
        private let valueStart: Int
        private let valueContentStart: Int

        /// `raw` is the whole Extension element; the others are its parts, read from it.
        init(raw: ArraySlice<UInt8>, oid: DER.Element, criticalElement: DER.Element?, value: DER.Element) {
            self.raw = raw
            critical = criticalElement.map { $0.content.first != 0 } ?? false
            oidStart = oid.raw.startIndex
            oidEnd = oid.raw.endIndex
            valueStart = value.raw.startIndex
            valueContentStart = value.raw.endIndex - value.content.count
        }

        /// The extnID element, tag and length included.
        var oid: ArraySlice<UInt8> { raw[oidStart..<oidEnd] }
        /// The critical element if it was encoded (DER omits FALSE).
        var criticalElement: ArraySlice<UInt8>? { valueStart > oidEnd ? raw[oidEnd..<valueStart] : nil }
        /// The extnValue OCTET STRING element, tag and length included.
        var valueElement: ArraySlice<UInt8> { raw[valueStart...] }
        /// The extnValue contents: the DER of the extension's own structure.
        var value: ArraySlice<UInt8> { raw[valueContentStart...] }

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

    /// The fields every TBSCertificate has after the optional version, in order, with their tags.
    private static let requiredFields: [(UInt8, String)] = [
        (DER.Tag.integer, "serialNumber"), (DER.Tag.sequence, "signature"), (DER.Tag.sequence, "issuer"),
        (DER.Tag.sequence, "validity"), (DER.Tag.sequence, "subject"), (DER.Tag.sequence, "subjectPublicKeyInfo"),
    ]

    /// The optional fields after subjectPublicKeyInfo, in the order they may appear.
    private static let optionalFieldTags: [UInt8] = [DER.Tag.implicit(1), DER.Tag.implicit(2), DER.Tag.explicit(3)]

    /// Parses `tbs`, a complete TBSCertificate element.
    init(_ tbs: ArraySlice<UInt8>) throws {
        let sequence = try DER.single(tbs, "TBSCertificate").expect(DER.Tag.sequence, "TBSCertificate")
        fields = try sequence.children()
        var index = fields.first?.tag == DER.Tag.explicit(0) ? 1 : 0
        let required = Self.requiredFields
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
        var allowedFrom = 0
        while index < fields.count {
            let field = fields[index]
            guard let position = Self.optionalFieldTags[allowedFrom...].firstIndex(of: field.tag) else {
                throw PKIError(.invalidDER, "TBSCertificate field \(index + 1) at offset \(field.raw.startIndex): unexpected tag 0x\(String(field.tag, radix: 16))")
            }
            allowedFrom = position + 1
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

    /// The first extension whose extnID element equals `oid`, without the array of them all.
    func firstExtension(withOID oid: [UInt8]) -> Extension? {
        extensions.first { $0.oid.elementsEqual(oid) }
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
        var wrapped = field.childReader()
        guard let only = try wrapped.next(), wrapped.isAtEnd else {
            throw PKIError(.invalidDER, "TBSCertificate extensions [3]: \(try field.children().count) elements inside, want 1 SEQUENCE")
        }
        let list = try only.expect(DER.Tag.sequence, "Extensions")
        var extensions: [Extension] = []
        // An Extension takes at least seven bytes (a SEQUENCE around a one-octet extnID and an
        // empty extnValue); one allocation of up to 16 slots, not a doubling series.
        extensions.reserveCapacity(min(list.content.count / 7, 16))
        var elements = list.childReader()
        while let element = try elements.next() {
            try element.expect(DER.Tag.sequence, "Extension")
            var parts = element.childReader()
            let first = try parts.next(), second = try parts.next(), third = try parts.next()
            guard let first, let second, parts.isAtEnd else {
                throw PKIError(.invalidDER, "Extension at offset \(element.raw.startIndex): \(try element.children().count) fields, want 2 or 3")
            }
            try first.expect(DER.Tag.objectIdentifier, "Extension extnID")
            let value = try (third ?? second).expect(DER.Tag.octetString, "Extension extnValue")
            var criticalElement: DER.Element?
            if third != nil {
                let flag = try second.expect(DER.Tag.boolean, "Extension critical")
                guard flag.content.count == 1 else {
                    throw PKIError(.invalidDER, "Extension critical at offset \(flag.raw.startIndex): \(flag.content.count) content bytes, want 1")
                }
                criticalElement = flag
            }
            extensions.append(Extension(raw: element.raw, oid: first, criticalElement: criticalElement, value: value))
        }
        return extensions
    }
}
