import ArgumentParser
import Foundation
import LogClient
import PKI

/// `vigil verify-log`: reads a whole log and verifies it.
struct VerifyLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-log",
        abstract: "Read every entry of a log and prove it belongs to the log's signed tree.",
        discussion: """
            With --monitoring-url, reads the static-ct-api checkpoint, hash tiles and data tiles; with --log, \
            the RFC 6962 get-sth, get-entries and get-sth-consistency endpoints. On success prints one line, \
            `verified tree_size=<n> root=<hex> entries=<n>` (and ` issuers=<k>` with --issuers), and exits 0; \
            on any mismatch prints the error to standard error and exits non-zero.
            """)

    @Option(help: "The log's static-ct-api monitoring prefix, e.g. https://ct.example.com/2026h1/.")
    var monitoringURL: String?

    @Option(help: "The log's RFC 6962 URL, e.g. http://127.0.0.1:8080.")
    var log: String?

    @Option(help: "The log's key (public or private PEM).")
    var key: String

    @Option(help: "The checkpoint origin to require (static-ct-api only); by default the one the checkpoint names.")
    var origin: String?

    @Flag(help: "Also fetch every issuer the entries name and check it against its fingerprint (static-ct-api only).")
    var issuers = false

    func validate() throws {
        guard (monitoringURL == nil) != (log == nil) else {
            throw ValidationError("give exactly one of --monitoring-url and --log")
        }
        if log != nil, origin != nil || issuers {
            throw ValidationError("--origin and --issuers apply to --monitoring-url only")
        }
    }

    func run() async throws {
        let publicKey = try VerifyingKey(pem: CLIFiles.text(key))
        let verification: LogVerification
        if let monitoringURL {
            let client = StaticLogClient(monitoringURL: monitoringURL, publicKey: publicKey, origin: origin)
            verification = try await client.verifyAll(try await client.checkpoint(), checkIssuers: issuers)
        } else if let log {
            let client = LogClient(url: log, publicKey: publicKey)
            verification = try await client.verifyAll(try await client.signedTreeHead())
        } else {
            throw ValidationError("give exactly one of --monitoring-url and --log")
        }
        print(verification.line)
    }
}
