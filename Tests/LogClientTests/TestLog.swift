import Foundation
import LogCore
import LogFormat
import Logging
import Merkle
import PKI
import Testing
import TestSupport

/// A log over `MemoryStorage` grown to a chosen size: synthetic entries committed the way the
/// sequencer commits them (cheap, so sizes past tile boundaries cost nothing), then real chains
/// submitted through the pool and sequenced, so the right edge is written by the log itself.
struct TestLog: Sendable {
    static let origin = "vigil.test/client"

    /// Logs only warnings and worse: the log and the server narrate every start.
    static let quietLogger = {
        var logger = Logger(label: "vigil.test")
        logger.logLevel = .warning
        return logger
    }()

    let key: SigningKey
    let log: Log
    let storage: MemoryStorage
    /// The leaf hash of every entry, recomputed from the stored TileLeafs.
    let leafHashes: [Hash]
    /// The SHA-256 fingerprints of the issuers the entries name.
    let issuerFingerprints: [[UInt8]]

    var size: UInt64 { UInt64(leafHashes.count) }

    /// 600 synthetic entries (two full data tiles and a partial one) and 5 submitted chains.
    static let standard = Task { try await make(synthetic: 600, submitted: 5) }

    /// The tree head of the first `size` entries, signed with the log's key.
    func head(size: UInt64) throws -> SignedTreeHead {
        let root = MerkleTree.rootHash(leafHashes: leafHashes.prefix(Int(size)))
        return try SignedTreeHead.sign(TreeHead(treeSize: size, timestamp: 1_763_683_200_000, rootHash: root), key: key)
    }

    /// `misnumbered` names a synthetic entry whose leaf_index extension names the next index instead:
    /// a log that signs a broken entry.
    static func make(synthetic: Int, submitted: Int, maxGetEntries: Int = 100, misnumbered: UInt64? = nil) async throws -> TestLog {
        let ca = try TestCA.shared()
        let key = try SigningKey.generateP256()
        let storage = MemoryStorage()
        let issuers = [ca.intermediateDER, ca.rootDER]
        try await commitSynthetic(count: synthetic, issuers: issuers, misnumbered: misnumbered, key: key, into: storage)
        let configuration = LogConfiguration(
            signingKey: key, roots: try Certificate.fromPEM(ca.rootPEM), sequenceInterval: .milliseconds(10),
            poolSize: max(submitted, 1), maxGetEntries: maxGetEntries, origin: origin)
        let log = try await Log.open(configuration: configuration, storage: storage, logger: quietLogger)
        let chains = try (0..<submitted).map { n in
            n % 3 == 1 ? (try ca.chain(precertificate: true), SubmissionKind.precertificate) : (try ca.chain(), .certificate)
        }
        try await submitAndSequence(chains, to: log)

        if misnumbered == nil {
            let report = try await LogChecker(storage: storage, publicKey: key.publicKey).run()
            #expect(report.problems == [])
        }
        let stored = try await storage.entries(from: 0, count: synthetic + submitted)
        #expect(stored.count == synthetic + submitted)
        let leafHashes = try stored.map { try TileLeaf(parsing: $0).merkleTreeLeaf.leafHash }
        #expect(log.treeHead.rootHash == MerkleTree.rootHash(leafHashes: leafHashes))
        return TestLog(key: key, log: log, storage: storage, leafHashes: leafHashes,
                       issuerFingerprints: issuers.map { SHA256.hash($0) })
    }

    /// Made-up entries, every seventh a precertificate, committed in batches of up to 250 with the
    /// tiles, indexes and signed tree head the sequencer would write.
    private static func commitSynthetic(count: Int, issuers: [[UInt8]], misnumbered: UInt64?, key: SigningKey,
                                        into storage: MemoryStorage) async throws {
        var appender = TreeAppender()
        var issuersToStore = Dictionary(uniqueKeysWithValues: issuers.map { (SHA256.hash($0), $0) })
        let timestamp: UInt64 = 1_700_000_000_000
        for batchStart in stride(from: 0, to: count, by: 250) {
            let entries = (batchStart..<min(batchStart + 250, count)).map { position in
                let index = UInt64(position)
                return syntheticEntry(index: index, named: index == misnumbered ? index + 1 : index,
                                      timestamp: timestamp + index, issuers: issuers)
            }
            let tiles = appender.append(entries.map(\.leafHash))
            let head = try SignedTreeHead.sign(
                TreeHead(treeSize: appender.size, timestamp: timestamp + UInt64(count), rootHash: appender.rootHash()), key: key)
            try await storage.commit(SequencedBatch(
                entries: entries, issuers: issuersToStore, tiles: tiles,
                treeHead: StoredTreeHead(treeSize: head.head.treeSize, timestamp: head.head.timestamp,
                                         rootHash: head.head.rootHash, signature: head.signature.encoded)))
            issuersToStore = [:]
        }
    }

    private static func syntheticEntry(index: UInt64, named: UInt64, timestamp: UInt64, issuers: [[UInt8]]) -> SequencedEntry {
        let body = SHA256.hash(Array("synthetic entry \(index)".utf8))
        let leafDER = [0x30, 0x81, 0x80] + (0..<4).flatMap { _ in body } + [UInt8](repeating: 0x5a, count: Int(index % 37))
        let precert = index % 7 == 3
        let entry: SignedEntry = precert
            ? .precert(issuerKeyHash: SHA256.hash(issuers[0]), tbsCertificate: Array(leafDER.dropFirst(8)))
            : .x509(certificate: leafDER)
        let leaf = TileLeaf(
            entry: TimestampedEntry(timestamp: timestamp, entry: entry, extensions: CTExtensions(leafIndex: named).encoded),
            preCertificate: precert ? leafDER : nil, chainFingerprints: issuers.map { SHA256.hash($0) })
        return SequencedEntry(
            index: index, leafHash: leaf.merkleTreeLeaf.leafHash,
            dedupKey: Submission.dedupKey(type: precert ? .precert : .x509, leafDER: leafDER),
            timestamp: timestamp, tileLeaf: leaf.encoded)
    }

    /// Submits every chain concurrently while the sequencer runs, and stops it once all returned.
    private static func submitAndSequence(_ chains: [([[UInt8]], SubmissionKind)], to log: Log) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await SequencerService(log: log).run() }
            try await withThrowingTaskGroup(of: Void.self) { submissions in
                for (chain, kind) in chains {
                    submissions.addTask { _ = try await log.submit(chain: chain, as: kind) }
                }
                try await submissions.waitForAll()
            }
            group.cancelAll()
        }
    }
}
