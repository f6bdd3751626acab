import LevelDB
import LogCore
import Merkle

extension LevelDBStorage {
    /// Writes the whole batch (entries, leaf-hash and dedup indexes, new issuers, tiles, the
    /// inner nodes of the level-0 tiles it completes and the tree head, and the ledger's entries, leaf-hash index, tiles and head) as one
    /// synced LevelDB write batch: when this returns it survives a crash, and a crash or an
    /// error before then leaves none of it visible.
    ///
    /// Refuses, writing nothing, with `StorageError.invalidBatch` a batch that cannot
    /// follow the stored heads (see `BatchRules`). An index entry already stored (a leaf
    /// hash or dedup key logged before) keeps its first value, unless the batch vouches that
    /// its keys are new (`SequencedBatch.indexKeysAreNew`), and a known issuer is not
    /// written again. After a failed write every later commit throws `StorageError.failed`:
    /// LevelDB may hold the batch or not, so the caller must reopen the store and continue
    /// from the heads it reads then.
    public func commit(_ batch: SequencedBatch) async throws {
        try await onPool { database in
            try self.commitOnPool(batch, database)
        }
    }

    /// Blocking; runs on a pool thread with commits serialised by `commitState`.
    private func commitOnPool(_ batch: SequencedBatch, _ database: Database) throws {
        try commitState.withLock { failure in
            if let failure {
                throw StorageError(.failed, "a write failed earlier (\(failure)); reopen the store")
            }
            let heads = committedHeads.withLock { $0 }
            if let refusal = BatchRules.refusal(of: batch, treeHead: heads.tree, ledgerHead: heads.ledger) {
                throw StorageError(.invalidBatch, "refused batch: \(refusal)")
            }
            #if DEBUG
            let certificates = StorageKeys.Tree.certificates
            if let broken = try BatchRules.brokenVouch(
                of: batch, leafHashIsStored: { try database.get(certificates.leafHash($0)) != nil },
                dedupKeyIsStored: { try database.get(StorageKeys.dedup($0)) != nil }) {
                throw StorageError(.invalidBatch, "refused batch: \(broken)")
            }
            #endif
            let write = try Self.writeBatch(for: batch, over: database)
            do {
                try database.write(write, sync: true)
            } catch {
                failure = "\(error)"
                throw error
            }
            committedHeads.withLock { heads in
                heads.tree = batch.treeHead
                if let ledger = batch.ledger { heads.ledger = ledger.head }
            }
        }
    }

    /// The LevelDB edits of `batch`. Reads `database` to leave known issuers and (unless the
    /// batch vouches its index keys are new) known index entries alone.
    private static func writeBatch(for batch: SequencedBatch, over database: Database) throws -> WriteBatch {
        let write = WriteBatch()
        var newKeys = Set<[UInt8]>()
        /// Adds `key` unless this batch or the store already has it.
        func putIfNew(_ key: [UInt8], _ value: @autoclosure () -> [UInt8]) throws {
            guard !newKeys.contains(key), try database.get(key) == nil else { return }
            newKeys.insert(key)
            write.put(key, value())
        }
        /// Adds index entry `key`: unread when the batch vouches its index keys are new, else
        /// as `putIfNew` does.
        func putIndex(_ key: [UInt8], _ value: [UInt8], vouched: Bool) throws {
            if vouched { write.put(key, value) } else { try putIfNew(key, value) }
        }
        /// Adds one tree's part: entries, first-wins leaf-hash index, tiles and head.
        func putTree(_ tree: StorageKeys.Tree, _ entries: [(index: UInt64, leafHash: Hash, bytes: [UInt8])],
                     _ tiles: [TileID: [Hash]], _ head: StoredTreeHead, vouched: Bool) throws {
            for entry in entries {
                write.put(tree.entry(entry.index), entry.bytes)
                try putIndex(tree.leafHash(entry.leafHash), StorageValues.encode(index: entry.index), vouched: vouched)
            }
            for (id, hashes) in tiles {
                write.put(tree.tile(id), StorageValues.encode(tile: hashes))
            }
            write.put(tree.head, StorageValues.encode(head))
        }
        try putTree(.certificates, batch.entries.map { ($0.index, $0.leafHash, $0.tileLeaf) }, batch.tiles, batch.treeHead,
                    vouched: batch.indexKeysAreNew)
        for (index, nodes) in batch.completedTileInnerNodes {
            write.put(StorageKeys.tileInnerNodes(index), StorageValues.encode(tile: nodes))
        }
        for entry in batch.entries {
            try putIndex(StorageKeys.dedup(entry.dedupKey), StorageValues.encode(DedupRecord(index: entry.index, timestamp: entry.timestamp)),
                         vouched: batch.indexKeysAreNew)
        }
        for (fingerprint, der) in batch.issuers {
            try putIfNew(StorageKeys.issuer(fingerprint), der)
        }
        if let ledger = batch.ledger {
            try putTree(.ledger, ledger.entries.map { ($0.index, $0.leafHash, $0.bytes) }, ledger.tiles, ledger.head, vouched: false)
        }
        return write
    }
}
