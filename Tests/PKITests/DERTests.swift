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

    /// Rebuilding a TBSCertificate with nothing changed reproduces it exactly.
    @Test func tbsRebuiltUnchangedIsIdentical() throws {
        let cli = try OpenSSLCLI()
        try cli.require(cli.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                "-keyout", "key.pem", "-subj", "/CN=rebuild", "-days", "1", "-out", "cert.pem"))
        let certificate = try #require(try Certificate.fromPEM(cli.readText("cert.pem")).first)
        let tbs = certificate.tbs
        #expect(tbs.rebuilt(issuer: tbs.issuer, extensions: tbs.extensions.map { Array($0.raw) }) == certificate.tbsDER)
    }
}
