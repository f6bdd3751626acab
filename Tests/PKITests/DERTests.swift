@testable import PKI
import Testing

@Suite struct DERTests {
    @Test(arguments: [(0, [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x81, 0x80]), (255, [0x81, 0xFF]),
                      (256, [0x82, 0x01, 0x00]), (65535, [0x82, 0xFF, 0xFF]), (65536, [0x83, 0x01, 0x00, 0x00])])
    func lengthOctets(_ length: Int, _ octets: [UInt8]) throws {
        #expect(DER.length(length) == octets)
        // Reading back a header with that length over that many content bytes.
        let element = [0x04] + octets + [UInt8](repeating: 0xAB, count: length)
        let parsed = try DER.single(element[...], "test")
        #expect(parsed.tag == 0x04 && parsed.content.count == length && parsed.raw.count == element.count)
    }

    @Test(arguments: [
        ("indefinite length", [0x30, 0x80, 0x00, 0x00]),
        ("non-minimal long form", [0x04, 0x81, 0x05, 1, 2, 3, 4, 5]),
        ("leading zero length octet", [0x04, 0x82, 0x00, 0x80] + [UInt8](repeating: 0, count: 128)),
        ("length past the end", [0x04, 0x05, 1, 2]),
        ("length octets missing", [0x04, 0x82, 0x01]),
        ("multi-octet tag", [0x1F, 0x81, 0x01, 0x00]),
        ("header only", [0x30]),
        ("trailing byte", [0x05, 0x00, 0x00]),
    ] as [(String, [UInt8])])
    func malformedIsRejected(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: PKIError(.invalidDER, ""), "\(name)") { try DER.single(bytes[...], name) }
    }

    /// Object identifiers' dotted forms (X.690 s8.19), across the first subidentifier's three
    /// ranges and multi-byte arcs.
    @Test(arguments: [
        ([0x55, 0x04, 0x03], "2.5.4.3"),
        ([0x00], "0.0"),
        ([0x27], "0.39"),
        ([0x28], "1.0"),
        ([0x2B, 0x06, 0x01, 0x04, 0x01, 0xD6, 0x79, 0x02, 0x04, 0x02], "1.3.6.1.4.1.11129.2.4.2"),
        ([0x67, 0x81, 0x0C, 0x01, 0x02, 0x01], "2.23.140.1.2.1"),
        ([0x88, 0x37, 0x05], "2.999.5"),
    ] as [([UInt8], String)])
    func objectIdentifiersDotted(_ content: [UInt8], _ dotted: String) throws {
        #expect(try CertificateProfile.dotted(content[...]) == dotted)
    }

    @Test(arguments: [[], [0x2B, 0x86], [0x2B, 0x80, 0x01], [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]] as [[UInt8]])
    func malformedObjectIdentifiersAreRejected(_ content: [UInt8]) {
        #expect(throws: PKIError(.invalidDER, "")) { try CertificateProfile.dotted(content[...]) }
    }

    @Test func childrenAndOffsets() throws {
        let bytes: [UInt8] = [0xFF, 0x30, 0x05, 0x02, 0x01, 0x05, 0x05, 0x00, 0x01]
        var rest = bytes[1...]
        let sequence = try DER.read(&rest)
        #expect(rest.count == 1 && sequence.raw.startIndex == 1)
        let children = try sequence.children()
        #expect(children.map(\.tag) == [0x02, 0x05])
        #expect(children[1].raw.startIndex == 6)
        #expect(throws: PKIError(.invalidDER, "")) { try DER.single([0x30, 0x02, 0x02, 0x05][...], "bad child").children() }
    }

    /// A reader yields the elements `children()` lists, in order and at the same offsets, and
    /// throws where the content breaks off, after yielding the complete elements before it.
    @Test func aReaderYieldsTheChildren() throws {
        let bytes: [UInt8] = [0x30, 0x09, 0x02, 0x01, 0x05, 0x05, 0x00, 0x04, 0x02, 0xAA, 0xBB]
        let sequence = try DER.single(bytes[...], "sequence")
        var reader = sequence.childReader()
        var read: [DER.Element] = []
        while let element = try reader.next() { read.append(element) }
        let children = try sequence.children()
        #expect(read.map(\.raw) == children.map(\.raw) && read.count == 3)
        #expect(read.map(\.tag) == [0x02, 0x05, 0x04] && read[2].content.elementsEqual([0xAA, 0xBB]))
        let pastTheEnd = try reader.next()
        #expect(reader.isAtEnd && pastTheEnd == nil)

        // The last child claims 3 content bytes where 2 are left.
        let broken: [UInt8] = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x03, 0xAA]
        var rest = broken[...]
        let content = try DER.read(&rest).childReader()
        var partial = content
        let first = try partial.next()
        #expect(first?.tag == 0x02 && !partial.isAtEnd)
        #expect(throws: PKIError(.invalidDER, "")) {
            var rest = partial
            return try rest.next()
        }
        #expect(throws: PKIError(.invalidDER, "")) {
            var finishing = content
            try finishing.finish()
        }
        var checking = content
        let checked = checking.readToEnd()
        var whole = sequence.childReader()
        let wholeChecked = whole.readToEnd()
        #expect(!checked && wholeChecked && whole.isAtEnd)
    }

    /// Each extension's parts, kept as offsets into its bytes, are the slices its own
    /// elements give: extnID, the critical flag when encoded, and extnValue with its content.
    @Test func extensionPartsAreTheirElements() throws {
        let pki = try ScratchPKI()
        let leaf = try pki.issue("parts", by: "ca", serial: 9, extensions: [
            "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", "subjectKeyIdentifier=hash",
        ])
        let extensions = leaf.tbs.extensions
        #expect(extensions.count >= 3)
        var critical = 0
        for (index, ext) in extensions.enumerated() {
            let parts = try DER.single(ext.raw, "Extension").children()
            #expect(ext.oid.elementsEqual(parts[0].raw), "extension \(index)")
            #expect(ext.valueElement.elementsEqual(parts[parts.count - 1].raw), "extension \(index)")
            #expect(ext.value.elementsEqual(parts[parts.count - 1].content), "extension \(index)")
            #expect(ext.oid.startIndex == parts[0].raw.startIndex && ext.value.startIndex == parts[parts.count - 1].content.startIndex)
            if parts.count == 3 {
                #expect(ext.criticalElement.map { Array($0) } == Array(parts[1].raw) && ext.critical, "extension \(index)")
                critical += 1
            } else {
                #expect(ext.criticalElement == nil && !ext.critical, "extension \(index)")
            }
        }
        #expect(critical == 2)
        #expect(leaf.tbs.extensions(withOID: OID.basicConstraints).count == 1)
    }

    /// An extension listed twice is not read directly: OpenSSL judges the certificate.
    @Test func aRepeatedExtensionIsLeftToOpenSSL() throws {
        let pki = try ScratchPKI()
        let leaf = try pki.issue("twice", by: "ca", serial: 11, extensions: ["basicConstraints=CA:FALSE", "subjectKeyIdentifier=hash"])
        #expect(leaf.isReadWithoutOpenSSL)
        // Give the subjectKeyIdentifier the extnID of basicConstraints (both are 2.5.29.x, 3 bytes).
        let ski: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x0E], basic: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x13]
        let at = try #require(leaf.der.firstRange(of: ski)).lowerBound
        var der = leaf.der
        der.replaceSubrange(at..<(at + ski.count), with: basic)
        #expect((try? Certificate(der: der))?.isReadWithoutOpenSSL != true)
    }

    /// Well-formed UTF-8 is told from malformed without making a String of it.
    @Test(arguments: [
        ([], true), (Array("leaf.example".utf8), true), (Array("Zürich €".utf8), true), ([0xF0, 0x9F, 0x94, 0x92], true),
        ([0xFF], false), ([0xC3], false), ([0xC0, 0xAF], false), ([0xED, 0xA0, 0x80], false), ([0xF4, 0x90, 0x80, 0x80], false),
    ] as [([UInt8], Bool)])
    func utf8Validation(_ bytes: [UInt8], _ valid: Bool) {
        #expect(DistinguishedName.isValidUTF8(bytes[...]) == valid)
        #expect(DistinguishedName.isValidUTF8(bytes[...]) == (String(validating: bytes, as: UTF8.self) != nil))
    }

    /// Rebuilding a TBSCertificate with nothing changed reproduces it exactly.
    @Test func tbsRebuiltUnchangedIsIdentical() throws {
        let cli = try OpenSSLCLI()
        try cli.require(cli.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                "-keyout", "key.pem", "-subj", "/CN=rebuild", "-days", "1", "-out", "cert.pem"))
        let certificate = try #require(try Certificate.fromPEM(cli.readText("cert.pem")).first)
        let tbs = certificate.tbs
        #expect(tbs.rebuilt(issuer: tbs.issuer, extensions: tbs.extensions.map { Array($0.raw) }) == certificate.tbsDER)
    }

    /// A TBSCertificate of the given fields after a v3 version, with `extensions` (complete
    /// elements) inside `[3]`, or `[3]` holding `wrapper` as is.
    private static func tbs(serialTag: UInt8 = DER.Tag.integer, extensions: [[UInt8]] = [], wrapper: [UInt8]? = nil) -> [UInt8] {
        let sequence = { (content: [UInt8]) in DER.encode(tag: DER.Tag.sequence, content: content) }
        let oid: [UInt8] = [0x06, 0x03, 0x55, 0x04, 0x03]
        var fields = DER.encode(tag: DER.Tag.explicit(0), content: [0x02, 0x01, 0x02])
        fields += DER.encode(tag: serialTag, content: [0x01])
        fields += sequence([0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02])
        fields += sequence(DER.encode(tag: DER.Tag.set, content: sequence(oid + [0x0C, 0x01, 0x41])))
        fields += sequence([0x17, 0x0D] + Array("260101000000Z".utf8) + [0x17, 0x0D] + Array("270101000000Z".utf8))
        fields += sequence(DER.encode(tag: DER.Tag.set, content: sequence(oid + [0x0C, 0x01, 0x42])))
        fields += sequence(sequence([0x06, 0x03, 0x2B, 0x65, 0x70]) + [0x03, 0x02, 0x00, 0xAA])
        if let wrapper {
            fields += DER.encode(tag: DER.Tag.explicit(3), content: wrapper)
        } else if !extensions.isEmpty {
            fields += DER.encode(tag: DER.Tag.explicit(3), content: sequence(extensions.flatMap { $0 }))
        }
        return sequence(fields)
    }

    /// An Extension with extnID 1.2.3.`arc` and `value` as its extnValue's content.
    private static func extensionElement(arc: UInt8, value: [UInt8]) -> [UInt8] {
        DER.encode(tag: DER.Tag.sequence, content: [0x06, 0x03, 0x2A, 0x03, arc] + DER.encode(tag: DER.Tag.octetString, content: value))
    }

    /// A field of the wrong type is named in the refusal, with its offset: the name is made
    /// only for the refusal, yet says the same.
    @Test func aMistypedFieldIsNamed() throws {
        #expect(throws: Never.self) { try TBSCertificate(Self.tbs()[...]) }
        let error = #expect(throws: PKIError.self) { try TBSCertificate(Self.tbs(serialTag: DER.Tag.octetString)[...]) }
        #expect(error?.code == .invalidDER)
        #expect(error?.message.hasPrefix("TBSCertificate serialNumber at offset 7: tag 0x04, want 0x02") == true, "\(String(describing: error))")
    }

    /// `[3]` must hold exactly one SEQUENCE; the refusal counts what it holds.
    @Test(arguments: [(0, "0 elements inside"), (2, "2 elements inside")])
    func theExtensionsWrapperHoldsOneSequence(_ count: Int, _ said: String) {
        let list = DER.encode(tag: DER.Tag.sequence, content: Self.extensionElement(arc: 1, value: [0x05, 0x00]))
        let error = #expect(throws: PKIError.self) {
            try TBSCertificate(Self.tbs(wrapper: Array([[UInt8]](repeating: list, count: count).joined()))[...])
        }
        #expect(error?.message.contains("TBSCertificate extensions [3]: \(said), want 1 SEQUENCE") == true, "\(String(describing: error))")
    }

    /// Every extension is read, in order, however many there are (more than the slots first
    /// set aside for them), and the first of a repeated extnID is the one `firstExtension` finds.
    @Test(arguments: [1, 16, 40])
    func everyExtensionIsRead(_ count: Int) throws {
        let elements = (0..<count).map { Self.extensionElement(arc: UInt8($0 % 7), value: [UInt8(truncatingIfNeeded: $0)]) }
        let tbs = try TBSCertificate(Self.tbs(extensions: elements)[...])
        #expect(tbs.extensions.map { Array($0.raw) } == elements)
        #expect(tbs.extensions.map { Array($0.value) } == (0..<count).map { [UInt8(truncatingIfNeeded: $0)] })
        for arc in UInt8(0)..<7 {
            let oid: [UInt8] = [0x06, 0x03, 0x2A, 0x03, arc]
            #expect(tbs.firstExtension(withOID: oid).map { Array($0.raw) } == tbs.extensions(withOID: oid).first.map { Array($0.raw) })
            #expect((tbs.firstExtension(withOID: oid) != nil) == (Int(arc) < count))
        }
    }
}
