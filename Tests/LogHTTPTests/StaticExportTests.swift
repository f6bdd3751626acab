import Foundation
import Hummingbird
import HummingbirdTesting
import LogCore
import LogFormat
import LogHTTP
import PKI
import Synchronization
import Testing
import TestSupport

/// The static export: incremental, checkpoint last, full tiles never rewritten, and every file byte
/// for byte what the server serves at the same path.
@Suite struct StaticExportTests {
    /// A sink in memory that records the order of writes and can be told to fail.
    final class MemorySink: StaticSink {
        struct State {
            var files: [String: [UInt8]] = [:]
            var writes: [String] = []
            var failing: String?
        }
        let state = Mutex(State())

        func exists(_ path: String) async throws -> Bool { state.withLock { $0.files[path] != nil } }
        func read(_ path: String) async throws -> [UInt8]? { state.withLock { $0.files[path] } }
        func write(_ path: String, _ bytes: [UInt8]) async throws {
            try state.withLock { state in
                if let failing = state.failing, path.hasPrefix(failing) { throw LogError.internalError("disk full at \(path)") }
                state.files[path] = bytes
                state.writes.append(path)
            }
        }
        var files: [String: [UInt8]] { state.withLock { $0.files } }
        /// The writes since the last call.
        func takeWrites() -> [String] { state.withLock { state in defer { state.writes = [] }; return state.writes } }
    }

    @Test func exportIsIncrementalAndServesTheSameBytes() async throws {
        let ca = try TestCA.shared()
        let log = try await GrownLog.open(origin: "vigil.test/export")
        let sink = MemorySink()
        let exporter = StaticExporter(reader: log.staticReader, sink: sink)
        let issuers = [ca.intermediateDER, ca.rootDER].map { "issuer/" + Hex.encode(SHA256.hash($0)) }

        try await GrownLog.grow(log, by: 100)
        try await exporter.export(head: log.treeHead)
        let first = sink.takeWrites()
        #expect(first.count == 5)
        #expect(first.prefix(2) == ["tile/0/000.p/100", "tile/data/000.p/100"] && first.last == "checkpoint")
        #expect(Set(first[2..<4]) == Set(issuers))
        #expect(try await exporter.exportedTreeSize() == 100)

        try await GrownLog.grow(log, by: 200)
        let report = try await exporter.export(head: log.treeHead)
        #expect(sink.takeWrites() == ["tile/0/000", "tile/data/000", "tile/0/001.p/44", "tile/data/001.p/44", "tile/1/000.p/1", "checkpoint"])
        #expect(report == StaticExporter.Report(treeSize: 300, hashTiles: 3, dataTiles: 2, issuers: 0))

        // Nothing new: only the checkpoint is rewritten.
        try await exporter.export(head: log.treeHead)
        #expect(sink.takeWrites() == ["checkpoint"])

        // Every exported file is what the server answers at that path, partial tiles from the
        // first export included (a partial path stays servable as a prefix).
        let router = Router()
        StaticRoutes(log: log).register(on: router)
        let files = sink.files
        #expect(Set(files.keys).isSuperset(of: issuers))
        try await Application(router: router).test(.router) { client in
            for (path, bytes) in files {
                let response = try await client.execute(uri: "/" + path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect([UInt8](response.body.readableBytesView) == bytes, "\(path)")
            }
        }

        // A fresh export of the same head holds the same files, less the superseded partial tiles.
        let fresh = MemorySink()
        try await StaticExporter(reader: log.staticReader, sink: fresh).export(head: log.treeHead)
        var expected = files
        expected["tile/0/000.p/100"] = nil
        expected["tile/data/000.p/100"] = nil
        #expect(fresh.files == expected)
    }

    @Test func aFailedExportLeavesTheOldCheckpointAndAnotherLogIsRefused() async throws {
        let log = try await GrownLog.open(origin: "vigil.test/failing")
        try await GrownLog.grow(log, by: 20)
        let sink = MemorySink()
        let exporter = StaticExporter(reader: log.staticReader, sink: sink)
        sink.state.withLock { $0.failing = "tile/data/" }
        await #expect(throws: LogError.internalError("")) { try await exporter.export(head: log.treeHead) }
        #expect(sink.files["checkpoint"] == nil)
        sink.state.withLock { $0.failing = nil }
        try await exporter.export(head: log.treeHead)
        #expect(sink.files["tile/data/000.p/20"]?.isEmpty == false)
        #expect(try await exporter.exportedTreeSize() == 20)

        // The same folder cannot take another log's tree.
        let other = try await GrownLog.open(origin: "vigil.test/other")
        do {
            try await StaticExporter(reader: other.staticReader, sink: sink).export(head: other.treeHead)
            Issue.record("another log's export was accepted")
        } catch let error as LogError {
            #expect(error.message.contains("holds the log \"vigil.test/failing\""))
        }
        // Nor a tree smaller than the one already exported.
        let smaller = StoredTreeHead(treeSize: 10, timestamp: 0, rootHash: log.treeHead.rootHash, signature: log.treeHead.signature)
        await #expect(throws: LogError.internalError("")) { try await exporter.export(head: smaller) }
    }
}
