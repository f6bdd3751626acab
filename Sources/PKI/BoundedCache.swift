import Synchronization

/// Values that are a function of their key alone, kept so that each is computed once.
/// Bounded: when full it is emptied and refills, which keeps the hot few cheap without
/// bookkeeping. A computation that throws keeps nothing.
///
/// Owner: `values`' mutex; it is held only to look up or insert, never while computing.
///
/// Inlinable so that each user's key and value types are specialized into it: the proof path
/// looks subtree hashes up here a dozen times a request, and the generic dictionary subscript
/// with its runtime metadata lookups cost more than the hashing it spares.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let capacity: Int
    @usableFromInline let values = Mutex<[Key: Value]>([:])

    public init(capacity: Int) {
        precondition(capacity > 0, "capacity \(capacity) must be positive")
        self.capacity = capacity
    }

    /// How many values are kept now.
    public var count: Int { values.withLock { $0.count } }

    /// The value kept for `key`, or the one `compute` returns, kept from now on.
    @inlinable public func value(for key: Key, _ compute: () throws -> Value) rethrows -> Value {
        if let kept = values.withLock({ $0[key] }) { return kept }
        let computed = try compute()
        values.withLock { values in
            if values.count >= capacity { values.removeAll(keepingCapacity: true) }
            values[key] = computed
        }
        return computed
    }
}
