import Endorsement
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
    /// The thread the sequencer's steps run on, outside the cooperative pool.
    nonisolated let executor = ThreadExecutor(name: "vigil-sequencer")

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private var appender: TreeAppender
    private var head: StoredTreeHead
    /// The endorsement ledger's right edge and head, written in the same commits as the tree's.
    private var ledgerAppender: TreeAppender
    private var ledgerHead: StoredTreeHead
    private let publishedLedger: PublishedTreeHead
    /// Set when a commit failed: memory may no longer match storage until reloaded.
    private var needsReload = false

    init(storage: any LogStorage, pool: Pool, signingKey: SigningKey, clock: LogClock,
         published: PublishedTreeHead, appender: TreeAppender, head: StoredTreeHead,
         publishedLedger: PublishedTreeHead, ledgerAppender: TreeAppender, ledgerHead: StoredTreeHead,
         treeHeadRefresh: Duration, metrics: LogMetrics, logger: Logger) {
        self.publishedLedger = publishedLedger
        self.ledgerAppender = ledgerAppender
        self.ledgerHead = ledgerHead
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

    /// How long the sequencer can wait for a submission before its tree head is due to be
    /// signed again (zero when it is due), or nil when it has work: submissions waiting, or
    /// a reload after a failed commit.
    func idleWait() -> Duration? {
        guard pool.depth == 0, !needsReload else { return nil }
        let due = head.timestamp &+ treeHeadRefreshMillis, now = clock.now()
        return .milliseconds(due > now ? Int64(clamping: due - now) : 0)
    }

    /// Submissions logged by an earlier batch are answered from the dedup index instead of
    /// being logged twice: one read of the whole batch's keys, so a new submission costs no
    /// lookup of its own before it joins the pool.
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
            item.resume(with: .success(Pool.Outcome(record: record, wasLogged: true)))
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
        let ledger: (batch: LedgerBatch, appender: TreeAppender)?
        do {
            newHead = try signedHead(of: next, timestamp: timestamp)
            let records = zip(pending, entries).compactMap { item, entry in
                item.submission.admission?.ledgerRecord(certificateIndex: entry.index).encoded
            }
            ledger = try records.isEmpty ? nil : ledgerBatch(records, timestamp: timestamp)
        } catch {
            fail(pending, LogError.internalError("cannot sign the tree head: \(error)"))
            return 0
        }
        do {
            // The index keys are new: this step looked the dedup keys up (`answerAlreadyLogged`)
            // and nothing else commits entries to this store; the pool holds one submission per
            // key; and each leaf hash covers the entry's own index, in its leaf_index extension.
            try await storage.commit(SequencedBatch(entries: entries, issuers: issuers, tiles: tiles, treeHead: newHead,
                                                    ledger: ledger?.batch, indexKeysAreNew: true))
        } catch {
            logger.error("commit failed; the batch is refused", metadata: ["error": "\(error)", "entries": "\(entries.count)"])
            needsReload = true
            fail(pending, LogError.internalError("the log could not store the entry: \(error)"))
            return 0
        }
        if let ledger { publishLedger(ledger) }
        appender = next
        head = newHead
        published.set(newHead)
        for (item, entry) in zip(pending, entries) {
            item.resume(with: .success(Pool.Outcome(record: DedupRecord(index: entry.index, timestamp: timestamp), wasLogged: false)))
        }
        metrics.recordBatch(entries: entries.count, treeSize: newHead.treeSize, duration: ContinuousClock.now - started)
        return entries.count
    }

    /// The log clock's time, for records stamped outside a step.
    func clockNow() -> UInt64 { max(clock.now(), ledgerHead.timestamp) }

    /// Appends `records` to the endorsement ledger alone, in a commit that keeps the tree head as it
    /// is: how a contract version gets logged before the log serves under it.
    func appendToLedger(_ records: [[UInt8]]) async throws {
        let timestamp = max(clock.now(), ledgerHead.timestamp)
        let ledger = try ledgerBatch(records, timestamp: timestamp)
        try await storage.commit(SequencedBatch(entries: [], issuers: [:], tiles: [:], treeHead: head, ledger: ledger.batch))
        publishLedger(ledger)
    }

    private func signedHead(of tree: TreeAppender, timestamp: UInt64) throws -> StoredTreeHead {
        let signed = try SignedTreeHead.sign(TreeHead(treeSize: tree.size, timestamp: timestamp, rootHash: tree.rootHash()), key: signingKey)
        return StoredTreeHead(treeSize: tree.size, timestamp: timestamp, rootHash: tree.rootHash(), signature: signed.signature.encoded)
    }

    /// The ledger entries, tiles and signed head that append `records` (encoded `LedgerRecord`s).
    private func ledgerBatch(_ records: [[UInt8]], timestamp: UInt64) throws -> (batch: LedgerBatch, appender: TreeAppender) {
        var next = ledgerAppender
        let entries = records.enumerated().map { offset, bytes in
            LedgerEntry(index: ledgerHead.treeSize + UInt64(offset), leafHash: Hash.leaf(bytes), bytes: bytes)
        }
        let tiles = next.append(entries.map(\.leafHash))
        let stamp = max(timestamp, ledgerHead.timestamp)
        let root = next.rootHash()
        let signature = try signingKey.sign(LedgerCheckpoint.signatureInput(treeSize: next.size, timestamp: stamp, rootHash: root))
        let head = StoredTreeHead(treeSize: next.size, timestamp: stamp, rootHash: root, signature: signature)
        return (LedgerBatch(entries: entries, tiles: tiles, head: head), next)
    }

    private func publishLedger(_ ledger: (batch: LedgerBatch, appender: TreeAppender)) {
        ledgerAppender = ledger.appender
        ledgerHead = ledger.batch.head
        publishedLedger.set(ledger.batch.head)
    }

    private func fail(_ pending: [Pool.Pending], _ error: LogError) {
        for item in pending { item.resume(with: .failure(error)) }
    }

    /// Re-reads the head and the right-edge tiles after a failed commit.
    private func reload() async throws {
        let (storedHead, storedAppender) = try await Log.loadTree(from: storage)
        guard let storedHead else { throw LogError.internalError("the store lost its tree head") }
        let (storedLedgerHead, storedLedgerAppender) = try await Log.loadLedger(from: storage)
        head = storedHead
        appender = storedAppender
        published.set(storedHead)
        if !storedLedgerHead.signature.isEmpty {   // an empty ledger keeps the head signed at open
            ledgerHead = storedLedgerHead
            ledgerAppender = storedLedgerAppender
            publishedLedger.set(storedLedgerHead)
        }
        needsReload = false
    }
}
