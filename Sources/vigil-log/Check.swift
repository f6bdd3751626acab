import ArgumentParser
import Foundation
import LogCore
import PKI

/// `vigil-log check`: verifies a stopped log's storage end to end.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a stopped log's storage end to end (entries, indexes, tiles, root, signature).")

    @Option(help: "Directory holding the log's LevelDB store.")
    var data: String

    @Option(help: "PEM public (or private) key the tree head must verify with; default: the key stored with the log.")
    var key: String?

    func run() async throws {
        let givenKey = try key.map { try VerifyingKey(pem: Self.readKey(path: $0)) }
        let report = try await StoppedLog.withStore(data: data) { storage, _ in
            var publicKey = givenKey
            if publicKey == nil, let spki = try await storage.metadata("public-key") { publicKey = try VerifyingKey(spkiDER: spki) }
            return try await LogChecker(storage: storage, publicKey: publicKey,
                                        ledgerHeadCheck: publicKey.map { Log.ledgerSignatureCheck(key: $0) }).run()
        }
        print("tree size \(report.treeSize), \(report.entriesChecked) entries and \(report.tilesChecked) tiles checked; "
              + "ledger size \(report.ledgerSize), \(report.ledgerEntriesChecked) entries and \(report.ledgerTilesChecked) tiles checked")
        guard report.isConsistent else {
            for problem in report.problems { print("problem: \(problem)") }
            throw ExitCode(1)
        }
        print("consistent")
    }

    private static func readKey(path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("--key \(path): cannot read it: \(error.localizedDescription)")
        }
    }
}
