internal import CLevelDB
import Synchronization

/// One open LevelDB database: a persistent, sorted map from byte strings to byte
/// strings in one directory, which only one process may open at a time.
///
/// Every call blocks the calling thread on disk I/O; run them off Swift's cooperative
/// thread pool. Gets, writes and creating iterators and snapshots may run concurrently
/// from many threads; an `Iterator` or a `WriteBatch` belongs to one thread at a time.
public final class Database: KeyValueReader {
    /// The database directory.
    public let path: String
    /// The open database; nil once `close()` was called. Calls copy the handle out
    /// under the lock and use it outside, so a close waits for none of them.
    private let handle: Mutex<DatabaseHandle?>
    private let verifyChecksums: Bool
    private let readOptions: ReadOptionsHandle
    private let syncWrites = WriteOptionsHandle(sync: true)
    private let bufferedWrites = WriteOptionsHandle(sync: false)

    /// Opens (by default creating) the database in directory `path`.
    ///
    /// Throws `.open` when the directory is missing and `createIfMissing` is off, when it
    /// exists and `errorIfExists` is on, when it is corrupt, or when another `Database`
    /// in this or another process holds it (leveldb's LOCK file).
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        handle = Mutex(try DatabaseHandle(path: path, options: OptionsHandle(options)))
        verifyChecksums = options.verifyChecksums
        readOptions = ReadOptionsHandle(verifyChecksums: options.verifyChecksums)
    }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool { handle.withLock { $0 != nil } }

    /// Closes the database; later calls throw `.closed`. Calls already running, and
    /// iterators and snapshots still alive, keep the files open until they finish;
    /// when none are, the LOCK is released before `close()` returns. Closing waits
    /// for a running background compaction. Idempotent.
    public func close() {
        let last = handle.withLock { handle -> DatabaseHandle? in
            defer { handle = nil }
            return handle
        }
        // Released here, outside the lock: leveldb_close may wait for a compaction.
        _ = last
    }

    /// The value stored under `key`, or nil when there is none.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try open().get(key, readOptions)
    }

    /// `body` of the value stored under `key`, lent without a copy for the length of the
    /// call, or nil when there is none.
    public func withValue<R>(_ key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        try open().withValue(key, readOptions, body)
    }

    /// Stores `value` under `key`. With `sync` the call returns only after the write
    /// reached stable storage (fsync); without it a machine crash, though not a process
    /// crash, may lose the write.
    public func put(_ key: [UInt8], _ value: [UInt8], sync: Bool) throws {
        let database = try open()
        try withCBytes(key) { keyPointer, keyLength in
            try withCBytes(value) { valuePointer, valueLength in
                try checkingError(.write, { "couldn't put a key of \(keyLength) bytes: \($0)" }) { error in
                    leveldb_put(
                        database.pointer, writeOptions(sync: sync).pointer,
                        keyPointer, keyLength, valuePointer, valueLength, error)
                }
            }
        }
    }

    /// Removes `key` if present; `sync` as for `put`.
    public func delete(_ key: [UInt8], sync: Bool) throws {
        let database = try open()
        try withCBytes(key) { keyPointer, keyLength in
            try checkingError(.write, { "couldn't delete a key of \(keyLength) bytes: \($0)" }) { error in
                leveldb_delete(database.pointer, writeOptions(sync: sync).pointer, keyPointer, keyLength, error)
            }
        }
    }

    /// Applies every edit of `batch`, in order, atomically: readers and a restart after
    /// a crash see all of them or none. With `sync` the call returns only after the
    /// batch reached stable storage; then it survives a machine crash too.
    public func write(_ batch: WriteBatch, sync: Bool) throws {
        let database = try open()
        try checkingError(.write, { "couldn't write a batch of \(batch.count) edits: \($0)" }) { error in
            leveldb_write(database.pointer, writeOptions(sync: sync).pointer, batch.pointer, error)
        }
    }

    /// A new iterator over the latest state, unpositioned. `fillCache: false` keeps a
    /// long scan from evicting the block cache.
    public func makeIterator(fillCache: Bool) throws -> Iterator {
        let options = fillCache ? readOptions : ReadOptionsHandle(verifyChecksums: verifyChecksums, fillCache: false)
        return Iterator(database: try open(), readOptions: options)
    }

    /// A consistent view of the database as it is now: writes made later are invisible
    /// through it. It keeps the database files open while it lives, even after `close()`.
    public func makeSnapshot() throws -> Snapshot {
        Snapshot(SnapshotHandle(database: try open()), verifyChecksums: verifyChecksums)
    }

    /// The open handle, or `.closed`.
    func open() throws -> DatabaseHandle {
        guard let database = handle.withLock({ $0 }) else {
            throw LevelDBError(.closed, "database \(path) is closed")
        }
        return database
    }

    private func writeOptions(sync: Bool) -> WriteOptionsHandle {
        sync ? syncWrites : bufferedWrites
    }
}
