import Logging
import Metrics
import ServiceLifecycle

/// Keeps a static-ct-api export of a log up to date while the log runs (`--mirror`): after every
/// sequencing step that changed the tree head it exports the new tiles, issuers and checkpoint.
///
/// On graceful shutdown it exports once more after the sequencer's last batch (start it before
/// the sequencer service in the service group, so it stops after it). A failed export is logged
/// and retried at the next tick; the exported checkpoint never names tiles that are missing.
public struct MirrorService: Service {
    private let log: Log
    private let exporter: StaticExporter
    private let clock: LogClock
    private let exportedSize: Gauge

    public init(log: Log, sink: any StaticSink, clock: LogClock = .system) {
        self.log = log
        self.exporter = StaticExporter(reader: log.staticReader, sink: sink)
        self.clock = clock
        self.exportedSize = Gauge(label: "vigil_mirror_tree_size", dimensions: [("log", log.name)])
    }

    public func run() async throws {
        let interval = log.configuration.sequenceInterval
        try? await cancelWhenGracefulShutdown {
            var exported: StoredTreeHead?
            while !Task.isCancelled {
                exported = await exportIfChanged(since: exported)
                try await clock.sleep(interval)
            }
        }
        // The service group stops the sequencer service first, so its last batch is committed by now.
        _ = await exportIfChanged(since: nil)
    }

    /// Exports the log's current tree head unless it is `previous`; returns what the mirror holds.
    private func exportIfChanged(since previous: StoredTreeHead?) async -> StoredTreeHead? {
        let head = log.treeHead
        guard head != previous else { return previous }
        do {
            let report = try await exporter.export(head: head)
            exportedSize.record(Double(head.treeSize))
            if report.hashTiles > 0 {
                log.logger.debug("mirror exported", metadata: [
                    "log": "\(log.name)", "tree_size": "\(head.treeSize)", "hash_tiles": "\(report.hashTiles)",
                    "data_tiles": "\(report.dataTiles)", "issuers": "\(report.issuers)",
                ])
            }
            return head
        } catch {
            log.logger.error("mirror export failed", metadata: ["log": "\(log.name)", "error": "\(error)"])
            return previous
        }
    }
}
