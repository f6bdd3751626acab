import LogFormat
import Logging
import Merkle
import PKI

/// The single owner of the tree's write side: takes the pool, assigns indices, and
/// commits entries, tiles, indexes and the new signed tree head in one durable write.
///
/// Owner: this actor owns `appender` (the tree's right edge) and `head`. Only after
/// `storage.commit` returns does it publish the new head and hand waiting submitters
/// their index and timestamp, so no SCT can be signed for an entry that is not durable.
public actor Sequencer {
    private let storage: any LogStorage
    private let pool: Pool
    private let signingKey: SigningKey
    private let clock: LogClock
    private let published: PublishedTreeHead
    private let treeHeadRefreshMillis: UInt64
    private let metrics: LogMetrics
    private let logger: Logger

    private var appender: TreeAppender
    private var head: StoredTreeHead
    /// Set when a commit failed: memory may no longer match storage until reloaded.
    private var needsReload = false

    init(storage: any LogStorage, pool: Pool, signingKey: SigningKey, clock: LogClock,
         published: PublishedTreeHead, appender: TreeAppender, head: StoredTreeHead,
         treeHeadRefresh: Duration, metrics: LogMetrics, logger: Logger) {
        self.storage = storage
        self.pool = pool
        self.signingKey = signingKey
        self.clock = clock
        self.published = published
        self.appender = appender
        self.head = head
        self.treeHeadRefreshMillis = UInt64(treeHeadRefresh.components.seconds * 1000
            + treeHeadRefresh.components.attoseconds / 1_000_000_000_000_000)
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs one sequencing step: sequences everything in the pool, or re-signs an idle tree head
    /// that is older than the refresh period. Returns how many new entries were committed.
    /// Never throws: a failed step fails its waiters and leaves the log as it was.
    @discardableResult
    public func step() async -> Int {
        if needsReload {
            do {
                try await reload()
            } catch {
                logger.error("cannot reload the tree from storage", metadata: ["error": "\(error)"])
                fail(pool.takeAll(), LogError.internalError("the log's storage is failing: \(error)"))
                return 0
            }
        }
        var pending = pool.takeAll()
        metrics.poolDepth.record(0)
        if !pending.isEmpty {
            pending = await answerAlreadyLogged(pending)
        }
        let now = clock.now()
        if pending.isEmpty && now < head.timestamp &+ treeHeadRefreshMillis {
            return 0
        }
        return await commit(pending, at: max(now, head.timestamp))
    }

    /// Submissions logged by an earlier batch (they raced the submitter's own dedup check)
    /// are answered from the dedup index instead of being logged twice.
    private func answerAlreadyLogged(_ pending: [Pool.Pending]) async -> [Pool.Pending] {
        let records: [[UInt8]: DedupRecord]
        do {
            records = try await storage.dedupRecords(forKeys: pending.map(\.submission.dedupKey))
        } catch {
            fail(pending, LogError.internalError("cannot read the dedup index: \(error)"))
            return []
        }
        guard !records.isEmpty else { return pending }
        return pending.filter { item in
            guard let record = records[item.submission.dedupKey] else { return true }
            item.resume(with: .success(record))
            return false
        }
    }

    private func commit(_ pending: [Pool.Pending], at timestamp: UInt64) async -> Int {
        let started = ContinuousClock.now
        var next = appender
        var entries: [SequencedEntry] = []
        entries.reserveCapacity(pending.count)
        var issuers: [[UInt8]: [UInt8]] = [:]
        var leafHashes: [Hash] = []
        leafHashes.reserveCapacity(pending.count)
        for (offset, item) in pending.enumerated() {
            let index = head.treeSize + UInt64(offset)
            let extensions = CTExtensions(leafIndex: index).encoded
            let tileLeaf = item.submission.tileLeaf(timestamp: timestamp, extensions: extensions)
            let leafHash = tileLeaf.merkleTreeLeaf.leafHash
            leafHashes.append(leafHash)
            entries.append(SequencedEntry(index: index, leafHash: leafHash, dedupKey: item.submission.dedupKey,
                                          timestamp: timestamp, tileLeaf: tileLeaf.encoded))
            for certificate in item.submission.chain where issuers[certificate.fingerprint] == nil {
                issuers[certificate.fingerprint] = certificate.der
            }
        }
        let tiles = next.append(leafHashes)
        let newHead: StoredTreeHead
        do {
            let signed = try SignedTreeHead.sign(
                TreeHead(treeSize: next.size, timestamp: timestamp, rootHash: next.rootHash()), key: signingKey)
            newHead = StoredTreeHead(treeSize: next.size, timestamp: timestamp, rootHash: next.rootHash(),
                                     signature: signed.signature.encoded)
        } catch {
            fail(pending, LogError.internalError("cannot sign the tree head: \(error)"))
            return 0
        }
        do {
            try await storage.commit(SequencedBatch(entries: entries, issuers: issuers, tiles: tiles, treeHead: newHead))
        } catch {
            logger.error("commit failed; the batch is refused", metadata: ["error": "\(error)", "entries": "\(entries.count)"])
            needsReload = true
            fail(pending, LogError.internalError("the log could not store the entry: \(error)"))
            return 0
        }
        appender = next
        head = newHead
        published.set(newHead)
        for (item, entry) in zip(pending, entries) {
            item.resume(with: .success(DedupRecord(index: entry.index, timestamp: timestamp)))
        }
        metrics.recordBatch(entries: entries.count, treeSize: newHead.treeSize, duration: ContinuousClock.now - started)
        return entries.count
    }

    private func fail(_ pending: [Pool.Pending], _ error: LogError) {
        for item in pending { item.resume(with: .failure(error)) }
    }

    /// Re-reads the head and the right-edge tiles after a failed commit.
    private func reload() async throws {
        let (storedHead, storedAppender) = try await Log.loadTree(from: storage)
        guard let storedHead else { throw LogError.internalError("the store lost its tree head") }
        head = storedHead
        appender = storedAppender
        published.set(storedHead)
        needsReload = false
    }
}
