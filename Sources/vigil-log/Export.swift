import ArgumentParser
import LogCore
import LogStorage

/// `vigil-log export`: writes a stopped log's static-ct-api tree as plain files.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a stopped log's static-ct-api tree (checkpoint, tiles, issuers) as files under a folder.",
        discussion: """
            Incremental: tiles already exported are kept, new ones are added and the checkpoint is written last. \
            For a running log use `serve --mirror` instead.
            """)

    @Option(help: "Directory holding the log's LevelDB store.")
    var data: String

    @Option(help: "Folder to write (created if missing); serve it as the log's monitoring prefix.")
    var to: String

    @Option(help: "Checkpoint origin (default: the one the log last ran with).")
    var origin: String?

    func run() async throws {
        let report = try await StoppedLog.withStore(data: data) { storage, threadPool in
            guard let head = try await storage.treeHead() else { throw ValidationError("--data \(data): the log has no tree head") }
            let reader = try await Log.staticReader(of: storage, origin: origin)
            let sink = try DirectorySink(path: to, threadPool: threadPool)
            return try await StaticExporter(reader: reader, sink: sink).export(head: head)
        }
        print("exported tree size \(report.treeSize): \(report.hashTiles) hash tiles, \(report.dataTiles) data tiles, \(report.issuers) issuers")
    }
}
