/// Reads from a database: its latest state (`Database`) or a frozen one (`Snapshot`).
public protocol KeyValueReader: Sendable {
    /// The value stored under `key`, or nil when there is none.
    func get(_ key: [UInt8]) throws -> [UInt8]?

    /// `body` of the value stored under `key`, lent without a copy for the length of the
    /// call (a large value read to be decoded is then copied once, not twice), or nil when
    /// there is none.
    func withValue<R>(_ key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R?

    /// A new, unpositioned iterator. `fillCache: false` keeps a long scan from evicting
    /// the block cache.
    func makeIterator(fillCache: Bool) throws -> Iterator
}

/// One stored pair.
public struct KeyValue: Sendable, Equatable {
    public var key: [UInt8]
    public var value: [UInt8]

    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}

extension KeyValueReader {
    /// The pairs with `start <= key < end` in key order (up to the last key when `end`
    /// is nil), at most `limit` of them, read by one iterator.
    public func scan(from start: [UInt8], to end: [UInt8]?, limit: Int = .max) throws -> [KeyValue] {
        let iterator = try makeIterator(fillCache: true)
        var pairs: [KeyValue] = []
        iterator.seek(to: start)
        while pairs.count < limit, iterator.isValid {
            let key = iterator.key
            if let end, !key.lexicographicallyPrecedes(end) { break }
            pairs.append(KeyValue(key: key, value: iterator.value))
            iterator.next()
        }
        try iterator.checkError()
        return pairs
    }

    /// The pairs whose key starts with `prefix`, in key order, at most `limit` of them.
    public func scan(prefix: [UInt8], limit: Int = .max) throws -> [KeyValue] {
        try scan(from: prefix, to: Self.successor(ofPrefix: prefix), limit: limit)
    }

    /// The smallest key greater than every key starting with `prefix`, or nil when
    /// there is none (the prefix is empty or all 0xff).
    static func successor(ofPrefix prefix: [UInt8]) -> [UInt8]? {
        var end = prefix
        while let last = end.last {
            if last < 0xff {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return nil
    }
}
