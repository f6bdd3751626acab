import Foundation
@testable import PKI
import Testing
import TestSupport

/// `Certificate` reads the facts submission checks need from the DER of a plainly encoded
/// certificate, and checks common signatures over the TBSCertificate without an OpenSSL X509
/// object. Each test holds that reading against OpenSSL's own (`X509Handle`, `X509_verify`)
/// or against Foundation's calendar, on real vectors, generated certificates and mutants.
@Suite struct DERFactsTests {
    /// Every certificate in the ct-cpp, trillian and hammer vectors, with its file name.
    static func vectorCertificates() throws -> [(String, Certificate)] {
        var found: [(String, Certificate)] = []
        for name in [CertificateFacts.ctCpp, CertificateFacts.trillian] {
            guard let folder = Vectors.folder(name) else { return [] }
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file != "test-corrupted.pem" {
                guard let text = try? Vectors.text(folder, file), text.contains("-----BEGIN CERTIFICATE-----") else { continue }
                found += try Certificate.fromPEM(text).map { ("\(name)/\(file)", $0) }
            }
        }
        guard let hammer = Vectors.folder("ctgo-hammer-testdata") else { return [] }
        for file in ["intermediate.der", "precert.der"] {
            found.append(("hammer/\(file)", try Certificate(der: Vectors.bytes(hammer, file))))
        }
        return found
    }

    /// The facts as OpenSSL decodes them from the same bytes.
    static func expectSameFactsAsOpenSSL(_ certificate: Certificate, _ name: String) throws {
        let handle = try X509Handle(der: certificate.der)
        let (notBefore, notAfter) = try handle.validity()
        #expect(certificate.notBefore == notBefore && certificate.notAfter == notAfter, "\(name)")
        #expect(certificate.isCA == handle.isCA, "\(name)")
        if certificate.isCA {
            #expect(certificate.pathLengthConstraint == handle.pathLengthConstraint, "\(name)")
        }
    }

    /// Whether each path accepts `subject` as signed by `issuer`.
    static func verdicts(_ subject: Certificate, _ issuer: Certificate) -> (direct: Bool, openSSL: Bool) {
        ((try? subject.verifySignature(issuedBy: issuer)) != nil, (try? subject.verifySignatureWithOpenSSL(issuedBy: issuer)) != nil)
    }

    @Test func vectorCertificatesReadAsOpenSSLReadsThem() throws {
        let certificates = try Self.vectorCertificates()
        guard !certificates.isEmpty else { return }
        for (name, certificate) in certificates {
            try Self.expectSameFactsAsOpenSSL(certificate, name)
        }
        // The trillian PKI is ECDSA and RSA with SHA-256: those must take the direct path.
        let direct = certificates.filter { $0.1.isReadWithoutOpenSSL }
        #expect(direct.count >= 20, "only \(direct.count) of \(certificates.count) read without OpenSSL")
    }

    /// Every issued-by pair among the vectors gets the same verdict from both signature paths,
    /// also with the signature, the signed bytes or the outer algorithm changed.
    @Test func signatureVerdictsMatchX509Verify() throws {
        let certificates = try Self.vectorCertificates().map(\.1)
        guard !certificates.isEmpty else { return }
        var directAccepted = 0
        for subject in certificates {
            for issuer in certificates where subject.issuerDER == issuer.subjectDER {
                let (direct, openSSL) = Self.verdicts(subject, issuer)
                #expect(direct == openSSL, "\(subject.subjectSummary) by \(issuer.subjectSummary)")
                if direct, subject.isReadWithoutOpenSSL, CertificateSignatureAlgorithm(subject.tbs.signature) != nil { directAccepted += 1 }
                guard direct else { continue }
                for mutant in Self.signatureMutants(of: subject) {
                    let (mutantDirect, mutantOpenSSL) = Self.verdicts(mutant, issuer)
                    #expect(!mutantDirect && !mutantOpenSSL, "a changed \(subject.subjectSummary) still verifies")
                }
            }
        }
        #expect(directAccepted >= 15, "only \(directAccepted) links were checked without X509_verify")
    }

    /// The certificate with its last signature byte, a serial-number byte, and (for a recognised
    /// algorithm) both algorithm identifiers relabelled with another digest.
    static func signatureMutants(of certificate: Certificate) -> [Certificate] {
        var mutants: [[UInt8]] = []
        var lastByte = certificate.der
        lastByte[lastByte.count - 1] ^= 0x01
        mutants.append(lastByte)
        let serial = certificate.tbs.serialNumber.content
        if let offset = serial.indices.last {
            var changed = certificate.der
            changed[offset] ^= 0x01
            mutants.append(changed)
        }
        return mutants.compactMap { try? Certificate(der: $0) }
    }

    /// Certificates made by the openssl tool with each key type and digest: both paths accept
    /// each, refuse it tampered, and the recognised algorithms take the direct path.
    @Test(arguments: [
        ("ec", "ec_paramgen_curve:P-256", "sha256", true), ("ec", "ec_paramgen_curve:P-384", "sha384", true),
        ("ec", "ec_paramgen_curve:P-256", "sha512", true), ("rsa", "rsa_keygen_bits:2048", "sha256", true),
        ("rsa", "rsa_keygen_bits:2048", "sha384", true), ("rsa", "rsa_keygen_bits:2048", "sha512", true),
        ("rsa", "rsa_keygen_bits:2048", "sha1", false), ("rsa-pss", "rsa_keygen_bits:2048", "sha256", false),
    ])
    func generatedChainsVerifyOnBothPaths(_ keyType: String, _ option: String, _ digest: String, _ direct: Bool) throws {
        let cli = try OpenSSLCLI()
        try cli.write("ca.ext", "basicConstraints=critical,CA:TRUE,pathlen:3\nsubjectKeyIdentifier=hash\n")
        try cli.write("leaf.ext", "basicConstraints=CA:FALSE\n")
        for (name, ext, signer) in [("ca", "ca.ext", nil), ("leaf", "leaf.ext", "ca")] as [(String, String, String?)] {
            try cli.require(cli.run("genpkey", "-algorithm", keyType, "-pkeyopt", option, "-out", "\(name).key"))
            try cli.require(cli.run("req", "-new", "-key", "\(name).key", "-subj", "/C=GB/O=Vigil Test/CN=\(name)", "-out", "\(name).csr"))
            let signing = signer.map { ["-CA", "\($0).pem", "-CAkey", "\($0).key", "-set_serial", "7"] } ?? ["-signkey", "\(name).key"]
            try cli.require(cli.run(arguments: ["x509", "-req", "-in", "\(name).csr", "-\(digest)", "-days", "30",
                                                "-extfile", ext, "-out", "\(name).pem"] + signing))
        }
        let ca = try Certificate.fromPEM(cli.readText("ca.pem"))[0]
        let leaf = try Certificate.fromPEM(cli.readText("leaf.pem"))[0]
        for certificate in [ca, leaf] {
            try Self.expectSameFactsAsOpenSSL(certificate, "\(keyType) \(digest)")
            #expect(certificate.isReadWithoutOpenSSL)
        }
        #expect(ca.isCA && ca.pathLengthConstraint == 3 && !leaf.isCA)
        #expect((CertificateSignatureAlgorithm(leaf.tbs.signature) != nil) == direct)
        #expect(Self.verdicts(leaf, ca) == (true, true))
        #expect(Self.verdicts(ca, ca) == (true, true))
        #expect(Self.verdicts(leaf, leaf) == (false, false))
        for mutant in Self.signatureMutants(of: leaf) {
            #expect(Self.verdicts(mutant, ca) == (false, false))
        }
        // A refused signature leaves the issuer key's kept verification context fit for the next.
        #expect(Self.verdicts(leaf, ca) == (true, true))
    }

    /// A valid ECDSA signature over a TBSCertificate labelled sha256WithRSAEncryption must not
    /// pass: the algorithm names the key type as well as the digest. The same construction
    /// labelled ecdsa-with-SHA256 passes, which shows the construction itself is sound.
    @Test func aSignatureMustMatchItsAlgorithmsKeyType() throws {
        let pki = try ScratchPKI()
        let leaf = try pki.issue("leaf", by: "ca", serial: 9, extensions: ["basicConstraints=CA:FALSE"])
        let rsa: [UInt8] = [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00]
        let ecdsa = Array(leaf.tbs.signature)
        for (label, shouldVerify) in [(rsa, false), (ecdsa, true)] {
            var content: [UInt8] = []
            for (index, field) in leaf.tbs.fields.enumerated() {
                content += index == leaf.tbs.signatureIndex ? label : Array(field.raw)
            }
            let tbs = DER.encode(tag: DER.Tag.sequence, content: content)
            try pki.cli.write("tbs.bin", tbs)
            try pki.cli.require(pki.cli.run("dgst", "-sha256", "-sign", "ca.key", "-out", "sig.bin", "tbs.bin"))
            let bits = DER.encode(tag: DER.Tag.bitString, content: [0] + (try pki.cli.read("sig.bin")))
            let relabelled = try Certificate(der: DER.encode(tag: DER.Tag.sequence, content: tbs + label + bits))
            #expect(relabelled.isReadWithoutOpenSSL)
            #expect(Self.verdicts(relabelled, pki.root) == (shouldVerify, shouldVerify))
        }
    }

    /// Byte mutants of real certificates: whenever the direct reading accepts one, OpenSSL
    /// parses it too and decodes the same facts, and both signature paths give one verdict.
    @Test func mutantsReadAsOpenSSLReadsThem() throws {
        let certificates = try Self.vectorCertificates().filter { $0.1.isReadWithoutOpenSSL }
        guard !certificates.isEmpty else { return }
        var random = SeededRandom(seed: 6962)
        var readDirectly = 0
        for (name, certificate) in certificates.prefix(12) {
            let issuer = certificates.map(\.1).first { certificate.issuerDER == $0.subjectDER }
            for _ in 0..<150 {
                var der = certificate.der
                let offset = Int(random.next() % UInt64(der.count))
                der[offset] ^= UInt8(truncatingIfNeeded: random.next() % 255 + 1)
                guard let mutant = try? Certificate(der: der), mutant.isReadWithoutOpenSSL else { continue }
                readDirectly += 1
                #expect(throws: Never.self, "\(name) byte \(offset)") { try Self.expectSameFactsAsOpenSSL(mutant, "\(name) byte \(offset)") }
                if let issuer {
                    let (direct, openSSL) = Self.verdicts(mutant, issuer)
                    #expect(direct == openSSL, "\(name) byte \(offset)")
                }
            }
        }
        #expect(readDirectly >= 300, "only \(readDirectly) mutants were read directly")
    }

    /// A name value in a string type outside the plain four sends the certificate to OpenSSL.
    @Test func unusualNameStringsAreLeftToOpenSSL() throws {
        let pki = try ScratchPKI()
        let leaf = try pki.issue("ab", by: "ca", serial: 3, extensions: ["basicConstraints=CA:FALSE"])
        #expect(leaf.isReadWithoutOpenSSL)
        // "/CN=ab" is a UTF8String (0C 02 61 62) in the subject; make it a BMPString (1E), one character.
        let subjectStart = leaf.der.firstRange(of: leaf.subjectDER)!.lowerBound
        let value = leaf.der[subjectStart...].firstRange(of: [0x0C, 0x02, 0x61, 0x62])!.lowerBound
        var der = leaf.der
        der[value] = 0x1E
        let bmp = try Certificate(der: der)
        #expect(!bmp.isReadWithoutOpenSSL)
        try Self.expectSameFactsAsOpenSSL(bmp, "BMPString subject")
        der[value] = 0x0C
        der[value + 2] = 0xFF  // not UTF-8
        #expect((try? Certificate(der: der))?.isReadWithoutOpenSSL != true)
    }

    /// A serial number with a padding byte is not DER: it is left to OpenSSL, which refuses it.
    @Test func aPaddedSerialNumberIsLeftToOpenSSL() throws {
        let pki = try ScratchPKI()
        let leaf = try pki.issue("leaf", by: "ca", serial: 5, extensions: ["basicConstraints=CA:FALSE"])
        #expect(leaf.tbs.serialNumber.content.elementsEqual([0x05]))
        for (padding, minimal) in [([UInt8]([]), true), ([0x00], false), ([0x00, 0x00], false)] {
            var content: [UInt8] = []
            for (index, field) in leaf.tbs.fields.enumerated() {
                content += index == leaf.tbs.serialIndex ? DER.encode(tag: DER.Tag.integer, content: padding + [0x05]) : Array(field.raw)
            }
            let tbs = DER.encode(tag: DER.Tag.sequence, content: content)
            let der = DER.encode(tag: DER.Tag.sequence, content: tbs + leaf.tbs.signature + Array(try DER.single(leaf.der[...], "c").children()[2].raw))
            let parsed = try? Certificate(der: der)
            #expect((parsed?.isReadWithoutOpenSSL ?? false) == minimal, "padding \(padding)")
            #expect((parsed != nil) == ((try? X509Handle(der: der)) != nil), "padding \(padding)")
        }
    }

    /// The exact UTCTime and GeneralizedTime forms against Foundation's Gregorian calendar.
    @Test func timesMatchTheGregorianCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var random = SeededRandom(seed: 5280)
        for _ in 0..<2_000 {
            let year = Int(1950 + random.next() % 8_000), month = Int(1 + random.next() % 12)
            let day = Int(1 + random.next() % UInt64(CertificateTime.daysIn(month: month, year: year)))
            let (hour, minute, second) = (Int(random.next() % 24), Int(random.next() % 60), Int(random.next() % 60))
            let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            let expected = Int64(calendar.date(from: components)!.timeIntervalSince1970)
            let digits = String(format: "%04d%02d%02d%02d%02d%02dZ", year, month, day, hour, minute, second)
            #expect(CertificateTime.unixSeconds(Self.time(CertificateTime.generalizedTime, digits)) == expected, "\(digits)")
            if year < 2050 {
                #expect(CertificateTime.unixSeconds(Self.time(CertificateTime.utcTime, String(digits.dropFirst(2)))) == expected, "\(digits)")
            }
        }
        let refused = ["20000230000000Z", "21000229000000Z", "20240101240000Z", "20240101006000Z", "20240101000060Z",
                       "20241301000000Z", "20240100000000Z", "2024010100000Z", "20240101000000+0000", "202401010000000"]
        for text in refused {
            #expect(CertificateTime.unixSeconds(Self.time(CertificateTime.generalizedTime, text)) == nil, "\(text)")
        }
        #expect(CertificateTime.unixSeconds(Self.time(CertificateTime.generalizedTime, "20000229235959Z")) == 951_868_799)
        #expect(CertificateTime.unixSeconds(Self.time(CertificateTime.utcTime, "491231235959Z")) == 2_524_607_999)
        #expect(CertificateTime.unixSeconds(Self.time(CertificateTime.utcTime, "500101000000Z")) == -631_152_000)
        #expect(CertificateTime.unixSeconds(Self.time(CertificateTime.utcTime, "5001010000Z")) == nil)
    }

    static func time(_ tag: UInt8, _ text: String) -> DER.Element {
        let bytes = DER.encode(tag: tag, content: Array(text.utf8))
        return try! DER.single(bytes[...], "time")
    }

    @Test func basicConstraintsReadings() {
        func read(_ bytes: [UInt8]) -> BasicConstraints? { BasicConstraints(bytes[...]) }
        #expect(read([0x30, 0x00]) == .absent)
        #expect(read([0x30, 0x03, 0x01, 0x01, 0xFF]) == BasicConstraints(isCA: true, pathLength: nil))
        #expect(read([0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x00]) == BasicConstraints(isCA: true, pathLength: 0))
        #expect(read([0x30, 0x07, 0x01, 0x01, 0xFF, 0x02, 0x02, 0x00, 0x80]) == BasicConstraints(isCA: true, pathLength: 128))
        #expect(read([0x30, 0x06, 0x01, 0x01, 0x00, 0x02, 0x01, 0x05]) == .absent)  // cA FALSE: no limit applies
        #expect(read([0x30, 0x07, 0x01, 0x01, 0xFF, 0x02, 0x02, 0x00, 0x05]) == nil)  // padded INTEGER
        #expect(read([0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x80]) == nil)  // negative
        #expect(read([0x30, 0x04, 0x01, 0x02, 0xFF, 0xFF]) == nil)
        #expect(read([0x30, 0x03, 0x02, 0x01, 0x01, 0x00]) == nil)  // trailing byte
        #expect(read([0x04, 0x00]) == nil)
    }
}
