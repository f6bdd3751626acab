import Foundation
import PKI
import Testing
import TestSupport

/// Expected facts about one vector certificate, read off `openssl x509 -text`.
struct CertificateFacts: Sendable, CustomTestStringConvertible {
    let folder: String
    let file: String
    let isCA: Bool
    let poison: PoisonStatus
    let isPSC: Bool

    var testDescription: String { file }

    static let ctCpp = "ct-cpp-testdata"
    static let trillian = "ctgo-trillian-testdata"

    static let table: [CertificateFacts] = [
        .init(folder: ctCpp, file: "ca-cert.pem", isCA: true, poison: .absent, isPSC: false),
        .init(folder: ctCpp, file: "ca-pre-cert.pem", isCA: true, poison: .absent, isPSC: true),
        .init(folder: ctCpp, file: "intermediate-cert.pem", isCA: true, poison: .absent, isPSC: false),
        .init(folder: ctCpp, file: "intermediate-pre-cert.pem", isCA: true, poison: .absent, isPSC: true),
        .init(folder: ctCpp, file: "test-cert.pem", isCA: false, poison: .absent, isPSC: false),
        .init(folder: ctCpp, file: "test-embedded-cert.pem", isCA: false, poison: .absent, isPSC: false),
        .init(folder: ctCpp, file: "test-embedded-pre-cert.pem", isCA: false, poison: .valid, isPSC: false),
        .init(folder: ctCpp, file: "test-embedded-with-preca-pre-cert.pem", isCA: false, poison: .valid, isPSC: false),
        .init(folder: ctCpp, file: "test-embedded-with-intermediate-pre-cert.pem", isCA: false, poison: .valid, isPSC: false),
        .init(folder: ctCpp, file: "test-embedded-with-intermediate-preca-pre-cert.pem", isCA: false, poison: .valid, isPSC: false),
        .init(folder: ctCpp, file: "test-no-bc-ca-cert.pem", isCA: false, poison: .absent, isPSC: false),
        .init(folder: trillian, file: "fake-ca.cert", isCA: true, poison: .absent, isPSC: false),
        .init(folder: trillian, file: "int-ca.cert", isCA: true, poison: .absent, isPSC: false),
        .init(folder: trillian, file: "int-ca-2.cert", isCA: true, poison: .absent, isPSC: false),
        .init(folder: trillian, file: "leaf00.cert", isCA: false, poison: .absent, isPSC: false),
        .init(folder: trillian, file: "subleaf.cert", isCA: false, poison: .absent, isPSC: false),
        .init(folder: trillian, file: "subleaf-pre.cert", isCA: false, poison: .valid, isPSC: false),
    ]
}

@Suite struct CertificateTests {
    /// Every certificate in every PEM file of the folder parses; only the deliberately
    /// corrupted one is refused.
    @Test(arguments: [CertificateFacts.ctCpp, CertificateFacts.trillian])
    func everyVectorCertificateParses(_ name: String) throws {
        guard let folder = Vectors.folder(name) else { return }
        var parsed = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            guard let text = try? Vectors.text(folder, file), text.contains("-----BEGIN CERTIFICATE-----") else { continue }
            if file == "test-corrupted.pem" {
                #expect(throws: PKIError.self) { try Certificate.fromPEM(text) }
                continue
            }
            let certificates = try Certificate.fromPEM(text)
            #expect(certificates.count == text.components(separatedBy: "-----BEGIN CERTIFICATE-----").count - 1, "\(file)")
            for certificate in certificates {
                #expect(certificate.tbsDER.count < certificate.der.count)
                #expect(!certificate.spkiDER.isEmpty && !certificate.subjectSummary.isEmpty)
            }
            parsed += certificates.count
        }
        #expect(parsed >= 30, "only \(parsed) certificates found in \(name)")
    }

    /// A real get-roots response (RFC 6962 s4.7): base64 DER certificates.
    @Test func getRootsResponseParses() throws {
        guard let folder = Vectors.folder(CertificateFacts.ctCpp) else { return }
        let json = try JSONSerialization.jsonObject(with: Data(Vectors.bytes(folder, "test-root-certs"))) as? [String: [String]]
        let encoded = try #require(json?["certificates"])
        #expect(encoded.count == 2)
        for base64 in encoded {
            let der = try #require(Data(base64Encoded: base64))
            #expect(try Certificate(der: [UInt8](der)).der == [UInt8](der))
        }
    }

    @Test(arguments: CertificateFacts.table)
    func decodedFacts(_ facts: CertificateFacts) throws {
        guard let folder = Vectors.folder(facts.folder) else { return }
        let certificate = try Fixtures.certificate(folder, facts.file)
        #expect(certificate.isCA == facts.isCA)
        #expect(certificate.poison == facts.poison)
        #expect(certificate.isPrecertificateSigningCertificate == facts.isPSC)
    }

    /// The slices are the exact bytes inside `der`, checked against OpenSSL's view.
    @Test func exactSlices() throws {
        guard let folder = Vectors.folder(CertificateFacts.ctCpp) else { return }
        let ca = try Fixtures.certificate(folder, "ca-cert.pem")
        let leaf = try Fixtures.certificate(folder, "test-cert.pem")
        // Certificate ::= SEQUENCE (30 82 xx xx) { tbsCertificate ... }
        #expect(Array(leaf.der[4..<(4 + leaf.tbsDER.count)]) == leaf.tbsDER)
        #expect(leaf.issuerDER == ca.subjectDER)
        #expect(ca.issuerDER == ca.subjectDER)
        #expect(leaf.subjectDER != ca.subjectDER)
        #expect(leaf.subjectDER.first == 0x30 && leaf.spkiDER.first == 0x30)

        let cli = try OpenSSLCLI()
        try cli.write("leaf.pem", Vectors.text(folder, "test-cert.pem"))
        try cli.require(cli.run("x509", "-in", "leaf.pem", "-pubkey", "-noout", "-out", "pub.pem"))
        #expect(try VerifyingKey(pem: cli.readText("pub.pem")).spkiDER == leaf.spkiDER)
        #expect(try VerifyingKey(spkiDER: leaf.spkiDER).algorithm == .rsa)
    }

    @Test func namesDatesAndPolicies() throws {
        guard let folder = Vectors.folder(CertificateFacts.ctCpp) else { return }
        let leaf = try Fixtures.certificate(folder, "test-cert.pem")
        #expect(leaf.notBefore == 1_338_508_800)  // 2012-06-01T00:00:00Z
        #expect(leaf.notAfter == 1_654_041_600)  // 2022-06-01T00:00:00Z
        #expect(leaf.subjectOrganizations == ["Certificate Transparency"])
        #expect(leaf.subjectSummary == "C=GB, O=Certificate Transparency, ST=Wales, L=Erw Wen")
        #expect(leaf.issuerSummary == "C=GB, O=Certificate Transparency CA, ST=Wales, L=Erw Wen")
        #expect(leaf.policyOIDs.isEmpty)
        let md2Leaf = try Fixtures.certificates(folder, "test-md2-chain.pem")[0]
        #expect(md2Leaf.policyOIDs == ["2.16.840.1.113733.1.7.23.3"])
        #expect(md2Leaf.subjectOrganizations == ["Fortune SGAM Fund Management Co.,Ltd"])
    }

    /// The DES-CBC encrypted CA keys of the fake PKI open to their documented passwords
    /// and match their certificates' SubjectPublicKeyInfo.
    @Test(arguments: [("fake-ca.privkey.pem", "gently", "fake-ca.cert"), ("int-ca.privkey.pem", "babelfish", "int-ca.cert")])
    func caKeysMatchTheirCertificates(_ keyFile: String, _ password: String, _ certificateFile: String) throws {
        guard let folder = Vectors.folder(CertificateFacts.trillian) else { return }
        let key = try SigningKey(pem: Vectors.text(folder, keyFile), password: password)
        #expect(key.publicKey.spkiDER == (try Fixtures.certificate(folder, certificateFile).spkiDER))
    }

    /// Also once kept: read again, and by many tasks at once from a fresh certificate.
    @Test func fingerprintIsSHA256OfDER() async throws {
        guard let folder = Vectors.folder(CertificateFacts.ctCpp) else { return }
        let ca = try Fixtures.certificate(folder, "ca-cert.pem")
        // openssl x509 -in ca-cert.pem -noout -fingerprint -sha256
        let expected = "47bf944f9b435be64464fb5ada51f5501da5d168503b1e2f142d6d01adf17f5d"
        #expect(Fixtures.hex(ca.fingerprint) == expected)
        #expect(Fixtures.hex(ca.fingerprint) == expected)
        let fresh = try Certificate(der: ca.der)
        let seen = await withTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<64 { group.addTask { fresh.fingerprint } }
            return await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
        }
        #expect(seen.map(Fixtures.hex) == [expected])
    }

    @Test func bundlesKeepOrderAndSkipOtherBlocks() throws {
        guard let folder = Vectors.folder(CertificateFacts.ctCpp) else { return }
        let chain = try Fixtures.certificates(folder, "test-no-bc-cert-chain.pem")
        #expect(chain.count == 4)
        for index in 0..<3 { #expect(chain[index].issuerDER == chain[index + 1].subjectDER) }

        let key = try Vectors.text(folder, "ct-server-key.pem")
        let mixed = try key + Vectors.text(folder, "test-cert.pem") + key + Vectors.text(folder, "ca-cert.pem")
        let certificates = try Certificate.fromPEM(mixed)
        let expected = [try Fixtures.certificate(folder, "test-cert.pem"), try Fixtures.certificate(folder, "ca-cert.pem")]
        #expect(certificates == expected)
        #expect(throws: PKIError(.invalidPEM, "")) { try Certificate.fromPEM(key) }
        #expect(throws: PKIError(.invalidPEM, "")) { try Certificate.fromPEM("") }
    }

    @Test func equalityAndHashingFollowDER() throws {
        guard let folder = Vectors.folder(CertificateFacts.ctCpp) else { return }
        let first = try Fixtures.certificate(folder, "test-cert.pem")
        let again = try Certificate(der: first.der)
        let other = try Fixtures.certificate(folder, "ca-cert.pem")
        #expect(first == again && first != other)
        #expect(Set([first, again, other]).count == 2)
    }

    @Test func malformedDERIsRejected() throws {
        guard let folder = Vectors.folder(CertificateFacts.ctCpp) else { return }
        let der = try Fixtures.certificate(folder, "test-cert.pem").der
        let cases: [(String, [UInt8])] = [
            ("empty", []), ("one byte", [0x30]), ("garbage", Array("not a certificate".utf8)),
            ("truncated by one", Array(der.dropLast())), ("truncated by half", Array(der.prefix(der.count / 2))),
            ("one trailing byte", der + [0]), ("a second certificate after", der + der),
            ("outer length corrupted", Fixtures.flipping(der, at: 3)),
        ]
        for (name, bytes) in cases {
            #expect(throws: PKIError.self, "\(name)") { try Certificate(der: bytes) }
        }
    }
}
