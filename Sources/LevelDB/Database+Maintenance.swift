internal import CLevelDB

extension Database {
    /// A leveldb property for operators, or nil for an unknown name. Names include
    /// "leveldb.stats" (per-level table counts, sizes and compaction I/O),
    /// "leveldb.sstables" (every table file), "leveldb.num-files-at-level<N>" and
    /// "leveldb.approximate-memory-usage".
    public func property(_ name: String) throws -> String? {
        let database = try open()
        guard let value = leveldb_property_value(database.pointer, name) else { return nil }
        defer { leveldb_free(value) }
        return String(cString: value)
    }

    /// Roughly how many bytes of table files hold the keys in `start ..< end`.
    /// Data still only in the memtable and write-ahead log is not counted.
    public func approximateSize(from start: [UInt8], to end: [UInt8]) throws -> UInt64 {
        let database = try open()
        var size: UInt64 = 0
        withCBytes(start) { startPointer, startLength in
            withCBytes(end) { endPointer, endLength in
                var starts: [UnsafePointer<CChar>?] = [startPointer]
                var ends: [UnsafePointer<CChar>?] = [endPointer]
                var startLengths = [startLength]
                var endLengths = [endLength]
                leveldb_approximate_sizes(database.pointer, 1, &starts, &startLengths, &ends, &endLengths, &size)
            }
        }
        return size
    }

    /// Compacts the tables holding keys in `start ... end` (nil: unbounded on that side),
    /// dropping overwritten and deleted values. Blocks until done; for maintenance.
    public func compact(from start: [UInt8]?, to end: [UInt8]?) throws {
        let database = try open()
        withOptionalCBytes(start) { startPointer, startLength in
            withOptionalCBytes(end) { endPointer, endLength in
                leveldb_compact_range(database.pointer, startPointer, startLength, endPointer, endLength)
            }
        }
    }
}

/// `withCBytes`, passing a null pointer for nil (leveldb's "unbounded").
private func withOptionalCBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafePointer<CChar>?, Int) -> R) -> R {
    guard let bytes else { return body(nil, 0) }
    return withCBytes(bytes) { body($0, $1) }
}
