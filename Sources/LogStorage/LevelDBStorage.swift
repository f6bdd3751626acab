import LevelDB
import LogCore
import Merkle
import NIOPosix
import Synchronization

/// The LevelDB-backed store of one log (Specs/storage.md).
///
/// Every LevelDB call runs on the injected `NIOThreadPool`, never on Swift's
/// cooperative pool; each method is one hop to the pool. The pool belongs to the
/// caller and must stay active until `close()` returns; calls on an inactive pool
/// throw `NIOThreadPoolError.ThreadPoolInactive`.
///
/// Commits are serialised by the store itself; reads run concurrently with them. The
/// tree head that `treeHead()` returns changes only after the commit that wrote it
/// returned from LevelDB, so a reader that reads the head first finds everything it
/// covers (entries, tiles, indexes) already readable. The endorsement ledger's head and
/// tables follow the same rules and are written in the same atomic write.
public final class LevelDBStorage: LogStorage {
    /// The database directory.
    public let path: String
    private let database: Database
    private let threadPool: NIOThreadPool
    /// The certificate tree's hot reads, each served together when they arrive together:
    /// dedup lookups of submissions, and the leaf index and tiles of proofs.
    private let dedupReads: CoalescedReads<[UInt8], DedupRecord?>
    private let leafIndexReads: CoalescedReads<Hash, UInt64?>
    private let tileReads: CoalescedReads<[TileID], [TileID: [Hash]]>
    private let proofTileReads: CoalescedReads<[TileID], ProofTiles>
    private let leafProofReads: CoalescedReads<LeafProofRead, (index: UInt64, tiles: ProofTiles)?>

    /// A proof by hash: its leaf hash, and what names the tiles to read once the index is known.
    struct LeafProofRead: Sendable {
        let leafHash: Hash
        let tiles: @Sendable (UInt64) -> [TileID]
    }
    /// The heads of both trees as of the latest commit.
    struct Heads: Sendable {
        var tree: StoredTreeHead?
        var ledger: StoredTreeHead?
    }

    /// The latest committed heads: read by every caller, set only by `commit` after its
    /// write returned, both at once.
    let committedHeads: Mutex<Heads>
    /// Held by `commit` (on a pool thread) from its checks through its write. Its value
    /// is why an earlier write failed; once set, commits are refused.
    let commitState = Mutex<String?>(nil)

    /// LevelDB options for a log: the module's defaults, plus paranoid checks (a damaged
    /// write-ahead-log record fails opening instead of being skipped, which could drop a
    /// committed batch from the middle of the history), checksummed reads and a larger
    /// write buffer.
    public static var defaultDatabaseOptions: Database.Options {
        var options = Database.Options()
        options.paranoidChecks = true
        options.verifyChecksums = true
        // A 16 MiB memtable instead of LevelDB's 4: a quarter as many level-0 tables, so
        // compaction merges them into level 1 a quarter as often: a sustained add-chain load
        // took 7.6% less CPU, and 32 MiB saved no more. The price is memory (up to two
        // memtables) and the log replayed on opening after a crash.
        options.writeBufferBytes = 16 << 20
        // Tables read with pread, not mapped: the resident set of a log serving reads is then
        // its own memory, not also every table page the reads touched (on a 10M-entry log,
        // 325 MiB of mapped pages beside 44 MiB of its own).
        options.tableReads = .pread()
        return options
    }

    /// Opens the store in directory `path`, creating an empty one when the directory
    /// holds none (unless `options.createIfMissing` is off), on a thread of `threadPool`.
    ///
    /// Throws `StorageError.unsupportedFormat` for a store of another format version or
    /// a directory holding other data, and `LevelDBError.open` when LevelDB cannot open
    /// it (for example because another process has it open).
    public static func open(
        path: String, threadPool: NIOThreadPool, options: Database.Options = defaultDatabaseOptions
    ) async throws -> LevelDBStorage {
        try await threadPool.runIfActive {
            try LevelDBStorage(path: path, threadPool: threadPool, options: options)
        }
    }

    /// Blocking; see `open`.
    private init(path: String, threadPool: NIOThreadPool, options: Database.Options) throws {
        let database = try Database(path: path, options: options)
        try Self.checkFormat(database, path: path)
        let heads = Heads(tree: try Self.readHead(of: .certificates, database), ledger: try Self.readHead(of: .ledger, database))
        self.path = path
        self.database = database
        self.threadPool = threadPool
        dedupReads = CoalescedReads(threadPool: threadPool) { key in
            try Self.dedupRecord(forKey: key, database)
        }
        leafIndexReads = CoalescedReads(threadPool: threadPool) { leafHash in
            try Self.index(forLeafHash: leafHash, of: .certificates, database)
        }
        tileReads = CoalescedReads(threadPool: threadPool) { ids in
            try Self.tiles(ids, of: .certificates, database)
        }
        proofTileReads = CoalescedReads(threadPool: threadPool) { ids in
            try Self.proofTiles(ids, database)
        }
        leafProofReads = CoalescedReads(threadPool: threadPool) { read in
            guard let index = try Self.index(forLeafHash: read.leafHash, of: .certificates, database) else { return nil }
            let ids = read.tiles(index)
            return (index, ids.isEmpty ? ProofTiles(tiles: [:]) : try Self.proofTiles(ids, database))
        }
        committedHeads = Mutex(heads)
    }

    /// Closes the database, on the pool when it is still active. Later calls throw
    /// `LevelDBError.closed`; calls already running finish first, and the directory's
    /// LOCK is released once they have. Dropping the last reference closes it too.
    public func close() async {
        let database = self.database
        do {
            try await threadPool.runIfActive { database.close() }
        } catch {
            database.close()  // the pool is gone (or the task cancelled): close here
        }
    }

    public func treeHead() async throws -> StoredTreeHead? {
        guard database.isOpen else { throw LevelDBError(.closed, "log store \(path) is closed") }
        return committedHeads.withLock { $0.tree }
    }

    public func tiles(_ ids: [TileID]) async throws -> [TileID: [Hash]] {
        try await tileReads.value(for: ids)
    }

    public func proofTiles(_ ids: [TileID]) async throws -> ProofTiles {
        try await proofTileReads.value(for: ids)
    }

    public func entries(from start: UInt64, count: Int) async throws -> [[UInt8]] {
        try await entries(from: start, count: count, of: .certificates)
    }

    public func leafIndex(forLeafHash leafHash: Hash) async throws -> UInt64? {
        try await leafIndexReads.value(for: leafHash)
    }

    public func leafIndexAndProofTiles(forLeafHash leafHash: Hash, tiles: @escaping @Sendable (UInt64) -> [TileID]) async throws
        -> (index: UInt64, tiles: ProofTiles)? {
        try await leafProofReads.value(for: LeafProofRead(leafHash: leafHash, tiles: tiles))
    }

    /// Blocking: the certificate tree's tiles `ids` with the stored inner nodes of its level-0 ones.
    private static func proofTiles(_ ids: [TileID], _ database: Database) throws -> ProofTiles {
        var inner: [UInt64: [Hash]] = [:]
        for id in ids where id.level == 0 {
            if let nodes = try database.withValue(StorageKeys.tileInnerNodes(id.index), { try StorageValues.tileInnerNodes($0, id.index) }) {
                inner[id.index] = nodes
            }
        }
        return ProofTiles(tiles: try tiles(ids, of: .certificates, database), innerNodes: inner)
    }

    public func dedupRecord(forKey key: [UInt8]) async throws -> DedupRecord? {
        try await dedupReads.value(for: key)
    }

    public func dedupRecords(forKeys keys: [[UInt8]]) async throws -> [[UInt8]: DedupRecord] {
        try await onPool { database in
            var records: [[UInt8]: DedupRecord] = [:]
            for key in keys {
                if let record = try Self.dedupRecord(forKey: key, database) { records[key] = record }
            }
            return records
        }
    }

    public func issuers(_ fingerprints: [[UInt8]]) async throws -> [[UInt8]: [UInt8]] {
        try await onPool { database in
            var found: [[UInt8]: [UInt8]] = [:]
            for fingerprint in fingerprints {
                found[fingerprint] = try database.get(StorageKeys.issuer(fingerprint))
            }
            return found
        }
    }

    public func metadata(_ name: String) async throws -> [UInt8]? {
        try await onPool { database in try database.get(StorageKeys.metadata(name)) }
    }

    /// Durably sets a metadata value (a synced write), independently of commits.
    public func setMetadata(_ name: String, _ value: [UInt8]) async throws {
        try await onPool { database in try database.put(StorageKeys.metadata(name), value, sync: true) }
    }

    public func ledgerHead() async throws -> StoredTreeHead? {
        guard database.isOpen else { throw LevelDBError(.closed, "log store \(path) is closed") }
        return committedHeads.withLock { $0.ledger }
    }

    public func ledgerTiles(_ ids: [TileID]) async throws -> [TileID: [Hash]] {
        try await tiles(ids, of: .ledger)
    }

    public func ledgerEntries(from start: UInt64, count: Int) async throws -> [[UInt8]] {
        try await entries(from: start, count: count, of: .ledger)
    }

    public func ledgerIndex(forLeafHash leafHash: Hash) async throws -> UInt64? {
        try await index(forLeafHash: leafHash, of: .ledger)
    }

    /// A LevelDB property for operators, such as "leveldb.stats" (see `Database.property`).
    public func databaseProperty(_ name: String) async throws -> String? {
        try await onPool { database in try database.property(name) }
    }

    /// Runs `body` with the database on a pool thread.
    func onPool<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let database = self.database
        return try await threadPool.runIfActive { try body(database) }
    }

    /// Point reads of `tree`'s tiles, in one hop to the pool.
    private func tiles(_ ids: [TileID], of tree: StorageKeys.Tree) async throws -> [TileID: [Hash]] {
        try await onPool { database in try Self.tiles(ids, of: tree, database) }
    }

    /// Blocking: the stored contents of the tiles of `tree` asked for.
    private static func tiles(_ ids: [TileID], of tree: StorageKeys.Tree, _ database: Database) throws -> [TileID: [Hash]] {
        var found = [TileID: [Hash]](minimumCapacity: ids.count)
        for id in ids {
            if let tile = try database.withValue(tree.tile(id), { try StorageValues.tile($0, id, of: tree.name) }) {
                found[id] = tile
            }
        }
        return found
    }

    /// One iterator scan over `tree`'s entries, stopping at the first missing index.
    private func entries(from start: UInt64, count: Int, of tree: StorageKeys.Tree) async throws -> [[UInt8]] {
        guard count > 0 else { return [] }
        return try await onPool { database in
            let iterator = try database.makeIterator(fillCache: true)
            var entries: [[UInt8]] = []
            entries.reserveCapacity(min(count, 1024))
            var next = start
            iterator.seek(to: tree.entry(start))
            while entries.count < count, iterator.isValid, tree.entryIndex(iterator.key) == next {
                entries.append(iterator.value)
                guard next < UInt64.max else { break }
                next += 1
                iterator.next()
            }
            try iterator.checkError()
            return entries
        }
    }

    private func index(forLeafHash leafHash: Hash, of tree: StorageKeys.Tree) async throws -> UInt64? {
        try await onPool { database in try Self.index(forLeafHash: leafHash, of: tree, database) }
    }

    /// Blocking: where the submission with dedup key `key` was logged, if it was.
    private static func dedupRecord(forKey key: [UInt8], _ database: Database) throws -> DedupRecord? {
        try database.get(StorageKeys.dedup(key)).map(StorageValues.dedupRecord)
    }

    /// Blocking: the index stored under `leafHash` in `tree`'s leaf hash table.
    private static func index(forLeafHash leafHash: Hash, of tree: StorageKeys.Tree, _ database: Database) throws -> UInt64? {
        try database.get(tree.leafHash(leafHash)).map(StorageValues.index)
    }

    /// Blocking: the stored head of `tree`, if any.
    private static func readHead(of tree: StorageKeys.Tree, _ database: Database) throws -> StoredTreeHead? {
        try database.get(tree.head).map { try StorageValues.treeHead($0, of: tree.name) }
    }

    /// Accepts a store of this build's format version; stamps an empty database with it.
    private static func checkFormat(_ database: Database, path: String) throws {
        if let stored = try database.get(StorageKeys.format) {
            let version = try StorageValues.version(stored)
            guard version == StorageKeys.formatVersion else {
                throw StorageError(
                    .unsupportedFormat,
                    "\(path) holds a log store of format version \(version); this build reads version \(StorageKeys.formatVersion)")
            }
            return
        }
        guard try database.scan(from: [], to: nil, limit: 1).isEmpty else {
            throw StorageError(.unsupportedFormat, "\(path) holds data without a format version: not a log store")
        }
        try database.put(StorageKeys.format, StorageValues.encode(version: StorageKeys.formatVersion), sync: true)
    }
}
