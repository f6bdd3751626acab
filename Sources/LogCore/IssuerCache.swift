import Synchronization

/// Issuer certificates recently read from storage, by fingerprint. Issuers never change once
/// stored, so a cached copy is always right. Owner: the mutex; bounded to `capacity` entries
/// (when full it starts over, which keeps the hot few intermediates cheap without bookkeeping).
final class IssuerCache: Sendable {
    private let capacity: Int
    private let entries = Mutex<[[UInt8]: [UInt8]]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Returns the issuers for `fingerprints`, reading the missing ones with `load`.
    func issuers(_ fingerprints: [[UInt8]],
                 load: ([[UInt8]]) async throws -> [[UInt8]: [UInt8]]) async throws -> [[UInt8]: [UInt8]] {
        var found: [[UInt8]: [UInt8]] = [:]
        var missing: [[UInt8]] = []
        entries.withLock { cached in
            for fingerprint in fingerprints {
                if let der = cached[fingerprint] { found[fingerprint] = der } else { missing.append(fingerprint) }
            }
        }
        guard !missing.isEmpty else { return found }
        let loaded = try await load(missing)
        entries.withLock { cached in
            if cached.count + loaded.count > capacity { cached.removeAll(keepingCapacity: true) }
            cached.merge(loaded) { old, _ in old }
        }
        found.merge(loaded) { old, _ in old }
        return found
    }
}
