import Foundation
import LogClient
import Testing
import TestSupport

/// `vigil verify-log` as scripts run it: the built binary against a live server, its output
/// contract on standard output, its errors on standard error with a failing status.
@Suite struct VerifyLogCommandTests {
    /// What one run of the binary printed, stream by stream, and how it ended.
    struct Run {
        var termination: ChildProcess.Termination
        var stdout: String
        var stderr: String
    }

    /// The `vigil` binary SwiftPM built beside this test bundle (`swift build --build-tests` builds both).
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("vigil")
    }

    /// Runs `vigil verify-log` with `arguments` in a scratch directory holding the log's public key as `key.pem`.
    static func verifyLog(_ arguments: [String], log: TestLog) async throws -> Run {
        let binary = Self.binary.path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "\(binary) is missing: run swift build --build-tests")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-verify-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(log.key.publicKey.pem().utf8).write(to: directory.appendingPathComponent("key.pem"))
        let quoted = ([binary, "verify-log", "--key", directory.appendingPathComponent("key.pem").path] + arguments)
            .map { "'\($0)'" }.joined(separator: " ")
        let out = directory.appendingPathComponent("stdout").path
        let err = directory.appendingPathComponent("stderr").path
        let child = try ChildProcess(path: "/bin/sh", arguments: ["-c", "\(quoted) >'\(out)' 2>'\(err)'"], environment: [:])
        let termination = await child.waitForExit()
        return Run(termination: termination, stdout: try String(contentsOfFile: out, encoding: .utf8),
                   stderr: try String(contentsOfFile: err, encoding: .utf8))
    }

    @Test func bothAPIsPrintTheOneLineContract() async throws {
        let log = try await TestLog.standard.value
        let root = log.log.treeHead.rootHash
        try await TestServer.serving(log) { baseURL in
            let viaTiles = try await Self.verifyLog(["--monitoring-url", baseURL + "/", "--origin", TestLog.origin, "--issuers"], log: log)
            #expect(viaTiles.termination == .exited(0), "\(viaTiles.stderr)")
            #expect(viaTiles.stdout == "verified tree_size=605 root=\(root) entries=605 issuers=2\n")

            let viaEntries = try await Self.verifyLog(["--log", baseURL], log: log)
            #expect(viaEntries.termination == .exited(0), "\(viaEntries.stderr)")
            #expect(viaEntries.stdout == "verified tree_size=605 root=\(root) entries=605\n")
        }
    }

    @Test func aMismatchFailsOnStandardError() async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            for (arguments, code) in [
                (["--monitoring-url", "\(baseURL)/tampered/\(Tampering.dataTile.rawValue)"], LogClientError.Code.badTile),
                (["--monitoring-url", baseURL, "--origin", "vigil.test/other"], .badCheckpoint),
                (["--log", "\(baseURL)/tampered/\(Tampering.getEntries.rawValue)"], .badEntries),
            ] {
                let run = try await Self.verifyLog(arguments, log: log)
                #expect(run.termination != .exited(0))
                #expect(run.stdout == "")
                #expect(run.stderr.contains("\(code.rawValue): "), "\(run.stderr)")
            }
        }
    }
}
