internal import CLevelDB

/// A read-only view of a database frozen at the moment it was made: writes after
/// that are invisible through it, so several reads through one snapshot agree with
/// each other. Releasing it lets leveldb discard the old versions it kept.
public final class Snapshot: KeyValueReader {
    private let snapshot: SnapshotHandle
    private let verifyChecksums: Bool
    private let readOptions: ReadOptionsHandle

    init(_ snapshot: SnapshotHandle, verifyChecksums: Bool) {
        self.snapshot = snapshot
        self.verifyChecksums = verifyChecksums
        readOptions = ReadOptionsHandle(verifyChecksums: verifyChecksums, snapshot: snapshot)
    }

    /// The value stored under `key` when the snapshot was made, or nil.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try snapshot.database.get(key, readOptions)
    }

    /// `body` of the value stored under `key` when the snapshot was made, lent without a copy
    /// for the length of the call, or nil.
    public func withValue<R>(_ key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        try snapshot.database.withValue(key, readOptions, body)
    }

    /// A new iterator over the snapshot, unpositioned.
    public func makeIterator(fillCache: Bool) throws -> Iterator {
        let options =
            fillCache
            ? readOptions
            : ReadOptionsHandle(verifyChecksums: verifyChecksums, fillCache: false, snapshot: snapshot)
        return Iterator(database: snapshot.database, readOptions: options)
    }
}

/// Owns one leveldb snapshot and keeps its database open until releasing it.
///
/// Safety: a snapshot is an immutable point in the database's history that leveldb
/// lets any thread read through; the pointer never changes and is released once, in
/// deinit, while the database is still open.
final class SnapshotHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let database: DatabaseHandle

    init(database: DatabaseHandle) {
        self.database = database
        pointer = leveldb_create_snapshot(database.pointer)
    }

    deinit { leveldb_release_snapshot(database.pointer, pointer) }
}
