internal import CLevelDB

/// Owns one open `leveldb_t`; its deinit closes the database and releases the
/// directory's LOCK. Iterators and snapshots hold it, so it closes only after them.
///
/// Safety: a leveldb DB may be shared by concurrent threads for gets, writes and
/// creating iterators and snapshots without external locking (leveldb doc/index.md,
/// "Concurrency"). The pointer never changes after `init`, and the options it was
/// opened with live, unchanged, until after the close.
final class DatabaseHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    private let options: OptionsHandle

    /// Opens the database at `path`; throws `.open` with leveldb's reason.
    init(path: String, options: OptionsHandle) throws {
        let opened = try checkingError(.open, { Self.describeOpenFailure(path, $0) }) { error in
            leveldb_open(options.pointer, path, error)
        }
        guard let opened else {
            throw LevelDBError(.open, "couldn't open \(path): leveldb returned no database")
        }
        pointer = opened
        self.options = options
    }

    deinit { leveldb_close(pointer) }

    /// The value stored under `key` as seen through `readOptions`, or nil.
    func get(_ key: [UInt8], _ readOptions: ReadOptionsHandle) throws -> [UInt8]? {
        try withValue(key, readOptions) { Array($0) }
    }

    /// `body` of the value stored under `key` as seen through `readOptions`, lent without a
    /// copy and freed when `body` returns; nil when there is none.
    func withValue<R>(_ key: [UInt8], _ readOptions: ReadOptionsHandle, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        var length = 0
        let value = try withCBytes(key) { keyPointer, keyLength in
            try checkingError(.read, { "couldn't read a key of \(keyLength) bytes: \($0)" }) { error in
                leveldb_get(pointer, readOptions.pointer, keyPointer, keyLength, &length, error)
            }
        }
        guard let value else { return nil }
        defer { leveldb_free(value) }
        return try body(UnsafeRawBufferPointer(start: value, count: length))
    }

    /// leveldb reports a held directory lock as a bare I/O error ("IO error: lock
    /// <dir>/LOCK: ...", from this process or from another); say what it means.
    private static func describeOpenFailure(_ path: String, _ message: String) -> String {
        if message.contains("IO error: lock ") {
            return "couldn't open \(path): it is already open, in this process or another (\(message))"
        }
        return "couldn't open \(path): \(message)"
    }
}
