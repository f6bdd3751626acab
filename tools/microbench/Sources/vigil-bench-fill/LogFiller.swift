import LogCore
import LogFormat
import LogStorage
import Merkle
import PKI

/// Appends synthetic entries to a log store in batches, each committed exactly as `Sequencer`
/// commits one: entries, tiles from `TreeAppender.append`, the issuer and a tree head signed with
/// the log key, in one `LevelDBStorage.commit`. The next batch is built while the previous one
/// is being written.
///
/// Owner: `fill` owns the tree's right edge (`appender`) for the whole run; nothing else writes
/// the store meanwhile (LevelDB's LOCK keeps other processes out).
struct LogFiller {
    let storage: LevelDBStorage
    let key: SigningKey
    let batchSize: Int
    let clock: LogClock
    let entries = SyntheticEntries()

    /// What a fill did.
    struct Report {
        var startSize: UInt64
        var endSize: UInt64
        var batches = 0
        var elapsed: Duration = .zero

        var entriesWritten: UInt64 { endSize - startSize }
        var entriesPerSecond: Double {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return seconds > 0 ? Double(entriesWritten) / seconds : 0
        }
    }

    /// Grows the stored log to `targetSize` entries (continuing a store that already holds some),
    /// offering every new leaf hash to `sample`. Throws `FillError.incompatibleStore` for a store
    /// of another key or whose tiles do not match its head.
    func fill(to targetSize: UInt64, sample: inout HashSample?, progress: (UInt64) -> Void) async throws -> Report {
        let started = ContinuousClock.now
        try await claimStore()
        var (appender, timestamp) = try await resume()
        var report = Report(startSize: appender.size, endSize: appender.size)
        var writing: Task<Void, any Error>?
        while appender.size < targetSize {
            let count = Int(min(UInt64(batchSize), targetSize - appender.size))
            timestamp = max(clock.now(), timestamp)
            let batch = try makeBatch(count: count, timestamp: timestamp, appender: &appender, sample: &sample)
            try await writing?.value
            let storage = self.storage
            writing = Task { try await storage.commit(batch) }
            report.batches += 1
            progress(appender.size)
        }
        try await writing?.value
        report.endSize = appender.size
        report.elapsed = ContinuousClock.now - started
        return report
    }

    /// The next `count` entries as one batch; advances `appender` past them.
    private func makeBatch(count: Int, timestamp: UInt64, appender: inout TreeAppender,
                           sample: inout HashSample?) throws -> SequencedBatch {
        let first = appender.size
        var batchEntries: [SequencedEntry] = []
        batchEntries.reserveCapacity(count)
        var leafHashes: [Hash] = []
        leafHashes.reserveCapacity(count)
        for offset in 0..<UInt64(count) {
            let entry = entries.entry(index: first + offset, timestamp: timestamp)
            batchEntries.append(entry)
            leafHashes.append(entry.leafHash)
            sample?.offer(index: entry.index, leafHash: entry.leafHash)
        }
        let tiles = appender.append(leafHashes)
        let root = appender.rootHash()
        let signed = try SignedTreeHead.sign(TreeHead(treeSize: appender.size, timestamp: timestamp, rootHash: root), key: key)
        let head = StoredTreeHead(treeSize: appender.size, timestamp: timestamp, rootHash: root, signature: signed.signature.encoded)
        return SequencedBatch(entries: batchEntries, issuers: [entries.issuerFingerprint: entries.issuerDER], tiles: tiles,
                              treeHead: head)
    }

    /// Records the log key as `Log.open` does on first open, or refuses a store of another key.
    private func claimStore() async throws {
        let spki = key.publicKey.spkiDER
        if let stored = try await storage.metadata(FillStore.publicKeyMetadata) {
            guard stored == spki else {
                throw FillError(.incompatibleStore, "\(storage.path) belongs to a log with another key")
            }
        } else {
            try await storage.setMetadata(FillStore.publicKeyMetadata, spki)
        }
    }

    /// The stored tree's right edge and head timestamp, rebuilt from the right-edge tiles as
    /// `Log.open` does; the empty tree for a new store.
    private func resume() async throws -> (TreeAppender, UInt64) {
        guard let head = try await storage.treeHead() else { return (TreeAppender(), 0) }
        let tiles = try await storage.tiles(Array(TreeAppender.tilesForRestore(treeSize: head.treeSize)))
        let appender = try TreeAppender(treeSize: head.treeSize, tiles: tiles)
        guard appender.rootHash() == head.rootHash else {
            throw FillError(.incompatibleStore,
                            "stored tiles hash to \(appender.rootHash()), the stored head of size \(head.treeSize) says \(head.rootHash)")
        }
        return (appender, head.timestamp)
    }
}
