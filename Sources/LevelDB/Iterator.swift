internal import CLevelDB

/// A cursor over a database's keys in byte order, reading its latest state or a
/// snapshot as of the iterator's creation (a leveldb iterator always reads a
/// consistent view: writes after its creation are invisible to it).
///
/// Not thread-safe (leveldb iterators need external synchronisation): use it from one
/// thread at a time. It keeps the database open while it lives.
public final class Iterator {
    private let pointer: OpaquePointer
    private let readOptions: ReadOptionsHandle
    private let database: DatabaseHandle

    init(database: DatabaseHandle, readOptions: ReadOptionsHandle) {
        self.database = database
        self.readOptions = readOptions
        pointer = leveldb_create_iterator(database.pointer, readOptions.pointer)
    }

    deinit { leveldb_iter_destroy(pointer) }

    /// Whether the iterator sits on a key; false before the first seek and past either end.
    public var isValid: Bool { leveldb_iter_valid(pointer) != 0 }

    /// Moves to the first key.
    public func seekToFirst() { leveldb_iter_seek_to_first(pointer) }

    /// Moves to the last key.
    public func seekToLast() { leveldb_iter_seek_to_last(pointer) }

    /// Moves to the first key at or after `target`.
    public func seek(to target: [UInt8]) {
        withCBytes(target) { leveldb_iter_seek(pointer, $0, $1) }
    }

    /// Moves to the next key. Requires `isValid`.
    public func next() {
        precondition(isValid, "next() on an iterator that is not on a key")
        leveldb_iter_next(pointer)
    }

    /// Moves to the previous key. Requires `isValid`.
    public func previous() {
        precondition(isValid, "previous() on an iterator that is not on a key")
        leveldb_iter_prev(pointer)
    }

    /// The current key. Requires `isValid`.
    public var key: [UInt8] {
        precondition(isValid, "key of an iterator that is not on a key")
        var length = 0
        let bytes = leveldb_iter_key(pointer, &length)
        return copyBytes(bytes, length)
    }

    /// The current value. Requires `isValid`.
    public var value: [UInt8] {
        precondition(isValid, "value of an iterator that is not on a key")
        var length = 0
        let bytes = leveldb_iter_value(pointer, &length)
        return copyBytes(bytes, length)
    }

    /// Throws `.iterate` if the iterator stopped because of an error (I/O or corruption)
    /// rather than the end of the data. Check it after a scan ends with `isValid` false.
    public func checkError() throws {
        try checkingError(.iterate, { "couldn't iterate: \($0)" }) { error in
            leveldb_iter_get_error(pointer, error)
        }
    }
}

@available(*, unavailable, message: "a leveldb iterator belongs to one thread")
extension Iterator: Sendable {}
