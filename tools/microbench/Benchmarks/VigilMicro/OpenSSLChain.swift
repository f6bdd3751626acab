import Foundation

/// A three-certificate ECDSA P-256 chain made with the openssl command line (as
/// Tests/TestSupport/TestCA.swift does): a self-signed root, an intermediate CA and a leaf, DER.
struct OpenSSLChain: Sendable {
    let rootDER: [UInt8]
    let intermediateDER: [UInt8]
    let leafDER: [UInt8]

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-microbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Self.extensions.utf8).write(to: directory.appendingPathComponent("ext.cnf"))
        let run = { (arguments: [String]) in try Self.openssl(arguments, in: directory) }
        for name in ["root", "intermediate", "leaf"] {
            try run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "\(name).key"])
        }
        try run(["req", "-new", "-key", "root.key", "-subj", "/O=Vigil Bench/CN=Vigil Bench Root", "-out", "root.csr"])
        try run(["x509", "-req", "-in", "root.csr", "-signkey", "root.key", "-days", "3650",
                 "-extfile", "ext.cnf", "-extensions", "ca", "-out", "root.pem"])
        try Self.issue("intermediate", subject: "/O=Vigil Bench/CN=Vigil Bench Intermediate", by: "root", section: "ca", run: run)
        try Self.issue("leaf", subject: "/CN=leaf.bench.vigil.test", by: "intermediate", section: "leaf", run: run)
        for name in ["root", "intermediate", "leaf"] {
            try run(["x509", "-in", "\(name).pem", "-outform", "DER", "-out", "\(name).der"])
        }
        rootDER = try Self.read(directory.appendingPathComponent("root.der"))
        intermediateDER = try Self.read(directory.appendingPathComponent("intermediate.der"))
        leafDER = try Self.read(directory.appendingPathComponent("leaf.der"))
    }

    private static func issue(_ name: String, subject: String, by issuer: String, section: String,
                              run: ([String]) throws -> Void) throws {
        try run(["req", "-new", "-key", "\(name).key", "-subj", subject, "-out", "\(name).csr"])
        try run(["x509", "-req", "-in", "\(name).csr", "-CA", "\(issuer).pem", "-CAkey", "\(issuer).key",
                 "-set_serial", "\(Int.random(in: 1..<Int.max))", "-days", "825", "-extfile", "ext.cnf",
                 "-extensions", section, "-out", "\(name).pem"])
    }

    private static func openssl(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("openssl.log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw BenchmarkSetupError(.unreadableOutput, "cannot create \(log.path)")
        }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw BenchmarkSetupError(
                .toolFailed, "openssl \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(output)")
        }
    }

    private static func read(_ url: URL) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BenchmarkSetupError(.unreadableOutput, "cannot read \(url.path)")
        }
        return [UInt8](data)
    }

    private static let extensions = """
        [ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [leaf]
        basicConstraints = critical,CA:FALSE
        extendedKeyUsage = serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        """
}
