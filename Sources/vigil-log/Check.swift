import ArgumentParser
import LogCore
import LogStorage
import NIOPosix
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
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        var options = LevelDBStorage.defaultDatabaseOptions
        options.createIfMissing = false
        let storage = try await LevelDBStorage.open(path: Arguments.storePath(data: data), threadPool: threadPool, options: options)
        let report: LogChecker.Report
        do {
            let publicKey = try key.map { try VerifyingKey(pem: Arguments.readText(path: $0)) }
            report = try await LogChecker(storage: storage, publicKey: publicKey).run()
            await storage.close()
        } catch {
            await storage.close()
            throw error
        }
        try await threadPool.shutdownGracefully()
        print("tree size \(report.treeSize), \(report.entriesChecked) entries and \(report.tilesChecked) tiles checked")
        guard report.isConsistent else {
            for problem in report.problems { print("problem: \(problem)") }
            throw ExitCode(1)
        }
        print("consistent")
    }
}
