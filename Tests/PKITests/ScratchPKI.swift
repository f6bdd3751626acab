import PKI

/// A throwaway PKI made with the openssl tool, for precertificate shapes the
/// shared vectors lack.
struct ScratchPKI {
    let cli: OpenSSLCLI
    let root: Certificate

    /// A self-signed root "ca" with `rootExtensions`.
    init(rootExtensions: [String] = ["basicConstraints=critical,CA:TRUE", "subjectKeyIdentifier=hash"]) throws {
        cli = try OpenSSLCLI()
        try cli.write("ca.ext", rootExtensions.joined(separator: "\n") + "\n")
        try cli.require(cli.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                "-keyout", "ca.key", "-subj", "/CN=Scratch Root", "-out", "ca.csr"))
        try cli.require(cli.run("x509", "-req", "-in", "ca.csr", "-signkey", "ca.key", "-days", "1",
                                "-extfile", "ca.ext", "-out", "ca.pem"))
        root = try Certificate.fromPEM(cli.readText("ca.pem"))[0]
    }

    /// Issues a certificate for `name` signed by `issuer` ("ca" or an earlier name)
    /// with exactly the extensions in `extensions` (openssl extfile lines).
    func issue(_ name: String, by issuer: String, serial: Int, extensions: [String]) throws -> Certificate {
        var lines = extensions
        if !lines.contains(where: { $0.hasPrefix("subjectKeyIdentifier") }) { lines.append("subjectKeyIdentifier=none") }
        try cli.write("\(name).ext", lines.joined(separator: "\n") + "\n")
        try cli.require(cli.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                "-keyout", "\(name).key", "-subj", "/CN=\(name)", "-out", "\(name).csr"))
        try cli.require(cli.run("x509", "-req", "-in", "\(name).csr", "-CA", "\(issuer).pem", "-CAkey", "\(issuer).key",
                                "-set_serial", "\(serial)", "-days", "1", "-extfile", "\(name).ext", "-out", "\(name).pem"))
        return try Certificate.fromPEM(cli.readText("\(name).pem"))[0]
    }

    static let poison = "1.3.6.1.4.1.11129.2.4.3=critical,DER:05:00"
    static let psc = ["basicConstraints=critical,CA:TRUE", "extendedKeyUsage=critical,1.3.6.1.4.1.11129.2.4.4",
                      "subjectKeyIdentifier=hash"]
}
