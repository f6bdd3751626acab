internal import CLevelDB

/// Puts and deletes that `Database.write` applies atomically and in order: after the
/// write returns, or after a crash during it, either every edit is visible or none is
/// (leveldb doc/index.md, "Atomic Updates").
///
/// Not thread-safe: build it on one thread, then write it.
public final class WriteBatch {
    let pointer: OpaquePointer
    /// Edits added since creation or the last `clear()`.
    public private(set) var count = 0
    /// Key and value bytes added since creation or the last `clear()`.
    public private(set) var byteCount = 0

    public init() { pointer = leveldb_writebatch_create() }

    deinit { leveldb_writebatch_destroy(pointer) }

    /// Adds "store `value` under `key`"; a later edit of the same key in the batch wins.
    public func put(_ key: [UInt8], _ value: [UInt8]) {
        withCBytes(key) { keyPointer, keyLength in
            withCBytes(value) { valuePointer, valueLength in
                leveldb_writebatch_put(pointer, keyPointer, keyLength, valuePointer, valueLength)
            }
        }
        count += 1
        byteCount += key.count + value.count
    }

    /// Adds "remove `key`".
    public func delete(_ key: [UInt8]) {
        withCBytes(key) { leveldb_writebatch_delete(pointer, $0, $1) }
        count += 1
        byteCount += key.count
    }

    /// Drops every edit, for reuse.
    public func clear() {
        leveldb_writebatch_clear(pointer)
        count = 0
        byteCount = 0
    }
}

@available(*, unavailable, message: "a leveldb write batch belongs to one thread")
extension WriteBatch: Sendable {}
