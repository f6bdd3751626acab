@testable import PKI
import Testing

/// AcceptedRoots must give the answers of a scan over every root, however many there are,
/// on scratch roots from the openssl tool.
@Suite struct AcceptedRootsTests {
    /// A scratch PKI plus self-signed roots made beside its "ca".
    struct Roots {
        let pki: ScratchPKI

        init() throws { pki = try ScratchPKI() }

        /// A self-signed root `file`.pem with subject `subject`, under key `key`.key (made
        /// when missing), so `pki.issue(by: file)` can issue under it.
        func root(_ file: String, subject: String, key: String, serial: Int = 1) throws -> Certificate {
            let cli = pki.cli
            if (try? cli.read("\(key).key")) == nil {
                try cli.require(cli.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "\(key).key"))
            }
            if key != file { try cli.write("\(file).key", cli.read("\(key).key")) }
            try cli.require(cli.run("req", "-x509", "-new", "-key", "\(key).key", "-subj", subject, "-days", "1",
                                    "-set_serial", "\(serial)", "-out", "\(file).pem"))
            return try Certificate.fromPEM(cli.readText("\(file).pem"))[0]
        }

        /// `count` roots with distinct names, all under one key of their own.
        func fillers(_ count: Int) throws -> [Certificate] {
            try (0..<count).map { try root("filler\($0)", subject: "/O=Filler Trust/CN=Filler Root \($0)", key: "filler") }
        }
    }

    /// The scan AcceptedRoots replaces.
    static func scanNamed(_ roots: [Certificate], issuerOf certificate: Certificate) -> [Certificate] {
        roots.filter { certificate.isNamedAsIssued(by: $0) }
    }

    static func scanContains(_ roots: [Certificate], _ certificate: Certificate) -> Bool {
        roots.contains { $0 == certificate || ($0.subjectDER == certificate.subjectDER && $0.spkiDER == certificate.spkiDER) }
    }

    /// The issuing root is found wherever it sits among many others.
    @Test func theIssuingRootIsFoundAmongMany() throws {
        let roots = try Roots()
        let fillers = try roots.fillers(40)
        let leaf = try roots.pki.issue("leaf", by: "ca", serial: 2, extensions: ["basicConstraints=CA:FALSE"])
        for position in [0, 17, fillers.count] {
            var accepted = fillers
            accepted.insert(roots.pki.root, at: position)
            let verifier = ChainVerifier(roots: accepted)
            #expect(try verifier.verify([leaf], as: .certificate).issuers == [roots.pki.root])
            #expect(verifier.isAcceptedRoot(roots.pki.root))
            #expect(try verifier.verify([leaf, roots.pki.root], as: .certificate).issuers == [roots.pki.root])
        }
        let without = ChainVerifier(roots: fillers)
        #expect(ChainVerifierTests.message { try without.verify([leaf], as: .certificate) }.contains("unknown root"))
    }

    /// An issuer Name that differs from the root's subject only in case and spaces names
    /// that root (RFC 5280 s7.1), though no root's subject has its bytes.
    @Test func aCanonicallyEqualIssuerNameFindsItsRoot() throws {
        let roots = try Roots()
        let accepted = try roots.root("accepted", subject: "/O=Scratch Trust/CN=Scratch Root", key: "ca")
        _ = try roots.root("alias", subject: "/O=SCRATCH  trust/CN=scratch   ROOT", key: "ca")
        let leaf = try roots.pki.issue("leaf", by: "alias", serial: 2, extensions: ["basicConstraints=CA:FALSE"])
        #expect(leaf.issuerDER != accepted.subjectDER)

        let verifier = ChainVerifier(roots: try roots.fillers(10) + [accepted])
        #expect(try verifier.verify([leaf], as: .certificate).issuers == [accepted])
        #expect(verifier.accepted.named(issuerOf: leaf) == [accepted])
    }

    /// Every answer equals the scan's, order included, over roots that share names byte
    /// for byte, canonically, or share a subject and key under another serial.
    @Test func answersEqualTheScan() throws {
        let roots = try Roots()
        let twinA = try roots.root("twinA", subject: "/CN=Twin Root", key: "twinA")
        let twinB = try roots.root("twinB", subject: "/CN=Twin Root", key: "twinB")
        let twinCase = try roots.root("twinCase", subject: "/CN=twin  root", key: "twinC")
        let reissuedA = try roots.root("reissuedA", subject: "/CN=Twin Root", key: "twinA", serial: 9)
        let other = try roots.root("other", subject: "/CN=Other Root", key: "other")
        let fillers = try roots.fillers(6)
        let accepted = [fillers[0], twinA, fillers[1], twinCase, twinB, roots.pki.root] + fillers.dropFirst(2)

        var probes = accepted + [reissuedA, other]
        for (serial, issuer) in ["twinA", "twinB", "twinCase", "other", "ca", "filler3"].enumerated() {
            probes.append(try roots.pki.issue("leaf\(serial)", by: issuer, serial: 10 + serial,
                                              extensions: ["basicConstraints=CA:FALSE"]))
        }

        let index = AcceptedRoots(accepted)
        var namedTwice = 0
        for probe in probes {
            let scanned = Self.scanNamed(accepted, issuerOf: probe)
            #expect(index.named(issuerOf: probe) == scanned, "named: \(probe.subjectSummary)")
            #expect(index.contains(probe) == Self.scanContains(accepted, probe), "contains: \(probe.subjectSummary)")
            if scanned.count > 1 { namedTwice += 1 }
        }
        // The cases that make the test worth running: roots sharing a name three ways, a
        // re-issued root accepted by subject and key, a name matching no root.
        #expect(namedTwice >= 4)
        #expect(index.contains(reissuedA) && !index.contains(other))
        #expect(index.named(issuerOf: probes.last { $0.issuerDER == other.subjectDER }!).isEmpty)
        #expect(index.named(issuerOf: twinB) == [twinA, twinCase, twinB])
    }
}
