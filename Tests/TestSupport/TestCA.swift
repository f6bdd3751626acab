import Foundation
import Synchronization

/// A certificate authority made on the fly with the `openssl` command-line tool (an implementation
/// independent of ours): an ECDSA P-256 root and intermediate, a Precertificate Signing Certificate
/// issued by the intermediate, and any number of distinct leaves and precertificates.
public final class TestCA: Sendable {
    public let directory: URL
    public let rootDER: [UInt8]
    public let intermediateDER: [UInt8]
    public let signingCertificateDER: [UInt8]
    /// Owner: the mutex; numbers leaves uniquely across concurrent tests.
    private let serial = Mutex(0)

    /// One CA shared by every test of the process: making a CA costs a dozen openssl runs.
    public static func shared() throws -> TestCA {
        try sharedCA.withLock { cached in
            if let cached { return cached }
            let made = try TestCA()
            cached = made
            return made
        }
    }

    private static let sharedCA = Mutex<TestCA?>(nil)

    /// Makes the CA in a fresh temporary directory.
    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(Self.extensions.utf8).write(to: directory.appendingPathComponent("ext.cnf"))
        let directory = self.directory
        let run = { (arguments: [String]) in try Self.run(arguments, in: directory) }
        let issue = { (key: String, subject: String, issuer: String, section: String, out: String) in
            try Self.issue(key: key, subject: subject, issuer: issuer, section: section, out: out, days: 1825, in: directory)
        }
        for name in ["root", "intermediate", "psc", "leaf"] {
            try run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "\(name).key"])
        }
        try run(["req", "-new", "-key", "root.key", "-subj", "/O=Vigil Test/CN=Vigil Test Root", "-out", "root.csr"])
        try run(["x509", "-req", "-in", "root.csr", "-signkey", "root.key", "-days", "3650",
                 "-extfile", "ext.cnf", "-extensions", "ca", "-outform", "DER", "-out", "root.der"])
        try run(["x509", "-inform", "DER", "-in", "root.der", "-out", "root.pem"])
        try issue("intermediate.key", "/O=Vigil Test/CN=Vigil Test Intermediate", "root", "ca", "intermediate")
        try issue("psc.key", "/O=Vigil Test/CN=Vigil Test Precertificate Signing", "intermediate", "psc", "psc")
        rootDER = try Self.read(directory.appendingPathComponent("root.der"))
        intermediateDER = try Self.read(directory.appendingPathComponent("intermediate.der"))
        signingCertificateDER = try Self.read(directory.appendingPathComponent("psc.der"))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The root as PEM, for a log's roots file.
    public var rootPEM: String {
        (try? String(contentsOf: directory.appendingPathComponent("root.pem"), encoding: .utf8)) ?? ""
    }

    /// A new leaf chain (DER, leaf first, without the root): a certificate, or a precertificate
    /// carrying the poison extension, issued by the intermediate or (`viaSigningCertificate`) by the
    /// Precertificate Signing Certificate. `days` sets the leaf's validity; `subject` (an openssl
    /// `-subj` such as `/O=Example/CN=example.test`) and `policies` (dotted certificatePolicies OIDs)
    /// make OV, IV or EV certificates.
    public func chain(precertificate: Bool = false, viaSigningCertificate: Bool = false, days: Int = 90,
                      subject: String? = nil, policies: [String] = []) throws -> [[UInt8]] {
        let serial = self.serial.withLock { value in
            value += 1
            return value
        }
        let name = "leaf\(serial)"
        let issuer = viaSigningCertificate ? "psc" : "intermediate"
        var section = precertificate ? "precert" : "leaf"
        var extensionFile = "ext.cnf"
        if !policies.isEmpty {
            extensionFile = "ext-\(serial).cnf"
            let base = Self.extensions.components(separatedBy: "[\(section)]\n")[1].components(separatedBy: "[")[0]
            let custom = Self.extensions + "[custom]\n" + base + "certificatePolicies = \(policies.joined(separator: ","))\n"
            try Data(custom.utf8).write(to: directory.appendingPathComponent(extensionFile))
            section = "custom"
        }
        try Self.issue(key: "leaf.key", subject: subject ?? "/CN=host\(serial).vigil.test", issuer: issuer,
                       section: section, out: name, days: days, extensionFile: extensionFile, in: directory)
        var chain = [try Self.read(directory.appendingPathComponent("\(name).der"))]
        if viaSigningCertificate { chain.append(signingCertificateDER) }
        chain.append(intermediateDER)
        return chain
    }

    private static func issue(key: String, subject: String, issuer: String, section: String, out: String, days: Int,
                              extensionFile: String = "ext.cnf", in directory: URL) throws {
        let run = { (arguments: [String]) in try Self.run(arguments, in: directory) }
        try run(["req", "-new", "-key", key, "-subj", subject, "-out", "\(out).csr"])
        try run(["x509", "-req", "-in", "\(out).csr", "-CA", "\(issuer).pem", "-CAkey", "\(issuer).key",
                 "-set_serial", "\(Int.random(in: 1..<Int.max))", "-days", "\(days)", "-extfile", extensionFile,
                 "-extensions", section, "-outform", "DER", "-out", "\(out).der"])
        // Only issuers are needed as PEM (for -CA); leaves stay DER.
        if section == "ca" || section == "psc" {
            try run(["x509", "-inform", "DER", "-in", "\(out).der", "-out", "\(out).pem"])
        }
    }

    private static func run(_ arguments: [String], in directory: URL) throws {
        let (status, output) = try Subprocess.run(["openssl"] + arguments, in: directory)
        guard status == 0 else {
            throw TestCAError(message: "openssl \(arguments.joined(separator: " ")): \(output)")
        }
    }

    private static func read(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    private static let extensions = """
        [ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [psc]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign
        extendedKeyUsage = 1.3.6.1.4.1.11129.2.4.4
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [leaf]
        basicConstraints = critical,CA:FALSE
        extendedKeyUsage = serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [precert]
        basicConstraints = critical,CA:FALSE
        extendedKeyUsage = serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        1.3.6.1.4.1.11129.2.4.3 = critical,ASN1:NULL

        """
}

public struct TestCAError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
