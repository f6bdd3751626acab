import LogClient
import Merkle
import Testing

/// The RFC 6962 whole-log reader: get-entries in batches, however many the log returns, each
/// proven part of the signed tree.
@Suite struct LogClientVerifyAllTests {
    /// The test log returns at most 100 entries per get-entries, so asking for more reads short answers.
    @Test(arguments: [1000, 100, 64, 7])
    func everyEntryIsReadAndProven(_ batchSize: Int) async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            let client = LogClient(url: baseURL, publicKey: log.key.publicKey)
            let sth = try await client.signedTreeHead()
            var delivered: [UInt64] = []
            var hashes: [Hash] = []
            var batches = 0
            let verification = try await client.verifyAll(sth, batchSize: batchSize) { entries in
                delivered += entries.map(\.index)
                hashes += entries.map(\.leaf.leafHash)
                batches += 1
            }
            #expect(verification == LogVerification(treeSize: 605, rootHash: sth.head.rootHash, entries: 605))
            #expect(delivered == Array(0..<605))
            #expect(hashes == log.leafHashes)
            #expect(batches == (605 + min(batchSize, 100) - 1) / min(batchSize, 100))
        }
    }

    @Test func aTamperedEntryIsRefused() async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            let sth = try await LogClient(url: baseURL, publicKey: log.key.publicKey).signedTreeHead()
            let client = LogClient(url: "\(baseURL)/tampered/\(Tampering.getEntries.rawValue)", publicKey: log.key.publicKey)
            var delivered = 0
            let error = await #expect(throws: LogClientError(.badEntries, "")) {
                _ = try await client.verifyAll(sth) { delivered += $0.count }
            }
            #expect(error?.message.contains("entries 0..<100 hash to root") == true, "\(error?.message ?? "no error")")
            #expect(delivered == 0)
        }
    }

    @Test func aTreeHeadTheEntriesDoNotMatchIsRefused() async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            let client = LogClient(url: baseURL, publicKey: log.key.publicKey)
            // A smaller tree than the log's: the last batch must hash to its root exactly.
            var smaller = try log.head(size: 250)
            smaller.head.rootHash = try log.head(size: 249).head.rootHash
            await #expect(throws: LogClientError(.badEntries, "")) { _ = try await client.verifyAll(smaller) }
            #expect(try await client.verifyAll(log.head(size: 250)).rootHash == log.head(size: 250).head.rootHash)
        }
    }
}
