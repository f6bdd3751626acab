import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogCore
import LogFormat
import LogServer
import NIOPosix
import PKI
import Synchronization
import Testing
import TestSupport

/// Several temporal shards in one process behind one router: each certificate lands in exactly the
/// shard whose notAfter window holds it, each shard serves its own log list entry, and a shard past
/// its limit plus grace refuses submissions while still serving reads.
@Suite struct LogHostTests {
    static let day: Int64 = 86_400

    /// A clock the test moves; sleeps are real.
    final class TestClock: Sendable {
        let millis: Mutex<UInt64>
        init(_ start: UInt64) { millis = Mutex(start) }
        var logClock: LogClock { LogClock(now: { self.millis.withLock { $0 } }, sleep: { try await Task.sleep(for: $0) }) }
    }

    static func rfc3339(_ seconds: Int64) -> String { LogClock.rfc3339(milliseconds: UInt64(seconds) * 1000) }

    @Test func eachCertificateLandsInTheShardWhoseWindowHoldsIt() async throws {
        let ca = try TestCA.shared()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = try [SigningKey.generateP256(), SigningKey.generateP256()]
        for (name, key) in zip(["early.pem", "late.pem"], keys) {
            try key.pkcs8PEM().write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try ca.rootPEM.write(to: folder.appendingPathComponent("roots.pem"), atomically: true, encoding: .utf8)
        let now = Int64(Date().timeIntervalSince1970)
        let split = now + 100 * Self.day
        let yaml = """
            listen: 127.0.0.1:0
            operator: {name: Test Operator, email: [ct@test.example]}
            logs:
              - {name: early, data: early, key: early.pem, roots: roots.pem, sequence_interval: 20ms,
                 not_after_start: "\(Self.rfc3339(now))", not_after_limit: "\(Self.rfc3339(split))", read_only_grace: 1h}
              - {name: late, data: late, key: late.pem, roots: roots.pem, sequence_interval: 20ms, log_list_api: static-ct,
                 not_after_start: "\(Self.rfc3339(split))", not_after_limit: "\(Self.rfc3339(split + 300 * Self.day))"}
            """
        let setup = try ServerConfiguration.parse(yaml: yaml).resolve(baseDirectory: folder.path, naming: .file("test.yaml"))
        let clock = TestClock(UInt64(now) * 1000)
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let host = try await LogHost.open(setup, threadPool: threadPool, clock: clock.logClock, logger: .init(label: "test"))
        let router = Router()
        host.register(on: router)
        let app = Application(router: router)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in host.services(clock: clock.logClock) {
                group.addTask { try await service.run() }
            }
            try await app.test(.router) { client in
                try await Self.checkShards(client, ca: ca, keys: keys, clock: clock, split: split)
            }
            group.cancelAll()
        }
        await host.close()
        try await threadPool.shutdownGracefully()
    }

    static func checkShards(_ client: some TestClientProtocol, ca: TestCA, keys: [SigningKey], clock: TestClock,
                            split: Int64) async throws {
        func submit(_ chain: [[UInt8]], to shard: String) async throws -> TestResponse {
            try await client.execute(uri: "/\(shard)/ct/v1/add-chain", method: .post,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(AddChainRequest(certificates: chain))))
        }
        func code(_ response: TestResponse) throws -> String {
            try JSONDecoder().decode(ErrorResponse.self, from: Data(response.body.readableBytesView)).error
        }
        let early = try ca.chain(days: 30)
        let late = try ca.chain(days: 200)
        for (chain, home, other, key) in [(early, "early", "late", keys[0]), (late, "late", "early", keys[1])] {
            let accepted = try await submit(chain, to: home)
            #expect(accepted.status == .ok, "\(home)")
            let sct = try JSONDecoder().decode(AddChainResponse.self, from: Data(accepted.body.readableBytesView)).sct()
            #expect(sct.logID == LogID.of(key.publicKey))
            #expect(sct.verify(entry: .x509(certificate: chain[0]), key: key.publicKey))
            let refused = try await submit(chain, to: other)
            #expect(refused.status == .badRequest)
            #expect(try code(refused) == "rejected")
        }
        for shard in ["early", "late"] {
            let sth = try await client.execute(uri: "/\(shard)/ct/v1/get-sth", method: .get)
            #expect(try JSONDecoder().decode(GetSTHResponse.self, from: Data(sth.body.readableBytesView)).treeSize == 1)
        }

        // Each shard's log list entry: its key, ID, window, and the API it is listed under.
        let lists = try await ["early", "late"].asyncMap { shard in
            let response = try await client.execute(uri: "/\(shard)/log.v3.json", method: .get)
            #expect(response.status == .ok)
            return try JSONDecoder().decode(LogList.self, from: Data(response.body.readableBytesView))
        }
        #expect(lists[0].operators.map(\.name) == ["Test Operator"])
        #expect(lists[0].operators[0].email == ["ct@test.example"])
        let earlyEntry = try #require(lists[0].operators.first?.logs.first)
        #expect(earlyEntry.logID == Data(LogID.of(keys[0].publicKey)).base64EncodedString())
        #expect(try VerifyingKey(spkiDER: Array(try #require(Data(base64Encoded: earlyEntry.key)))) == keys[0].publicKey)
        #expect(earlyEntry.url == "http://127.0.0.1:0/early/")
        #expect(earlyEntry.temporalInterval?.endExclusive == rfc3339(split))
        #expect(lists[0].operators[0].tiledLogs.isEmpty)
        let lateEntry = try #require(lists[1].operators.first?.tiledLogs.first)
        #expect(lateEntry.submissionURL == "http://127.0.0.1:0/late/" && lateEntry.monitoringURL == lateEntry.submissionURL)
        #expect(lateEntry.url == nil)
        #expect(lateEntry.temporalInterval?.startInclusive == rfc3339(split))
        let merged = try LogList.merged(lists, version: "1", timestamp: "2026-01-01T00:00:00Z")
        #expect(merged.operators.count == 1)
        #expect(merged.operators[0].logs.count == 1 && merged.operators[0].tiledLogs.count == 1)

        // Past the early shard's limit plus its hour of grace: refused as read-only, reads still served.
        clock.millis.withLock { $0 = UInt64(split) * 1000 + 3_599_000 }
        #expect(try await submit(try ca.chain(days: 30), to: "early").status == .ok)  // a second before the grace ends
        clock.millis.withLock { $0 = UInt64(split) * 1000 + 3_600_000 }
        let readOnly = try await submit(early, to: "early")
        #expect(readOnly.status == .forbidden)
        #expect(try code(readOnly) == "readOnly")
        #expect(try await client.execute(uri: "/early/ct/v1/get-entries?start=0&end=0", method: .get).status == .ok)
        #expect(try await client.execute(uri: "/early/checkpoint", method: .get).status == .ok)
        #expect(try await submit(try ca.chain(days: 250), to: "late").status == .ok)
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
