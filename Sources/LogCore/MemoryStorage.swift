import Merkle
import Synchronization

/// A `LogStorage` in memory, for tests and tools. It enforces the same batch rules as the
/// LevelDB store and can be told to fail commits, to exercise the log's failure paths.
/// Owner: the mutex guards all state; a commit applies entirely or not at all.
public final class MemoryStorage: LogStorage {
    private struct State {
        var head: StoredTreeHead?
        var tiles: [TileID: [Hash]] = [:]
        var entries: [[UInt8]] = []
        var leafIndex: [Hash: UInt64] = [:]
        var dedup: [[UInt8]: DedupRecord] = [:]
        var issuers: [[UInt8]: [UInt8]] = [:]
        var metadata: [String: [UInt8]] = [:]
        var failCommits = 0
        var commits = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Makes the next `count` commits throw without changing anything.
    public func failNextCommits(_ count: Int) {
        state.withLock { $0.failCommits = count }
    }

    /// How many commits succeeded.
    public var commitCount: Int { state.withLock { $0.commits } }

    /// How many distinct issuer certificates are stored.
    public var issuerCount: Int { state.withLock { $0.issuers.count } }

    public func treeHead() async throws -> StoredTreeHead? { state.withLock { $0.head } }

    public func commit(_ batch: SequencedBatch) async throws {
        try state.withLock { state in
            if state.failCommits > 0 {
                state.failCommits -= 1
                throw LogError.internalError("injected commit failure")
            }
            try BatchRules.check(batch, storedSize: state.head?.treeSize ?? 0)
            for entry in batch.entries {
                state.entries.append(entry.tileLeaf)
                state.leafIndex[entry.leafHash] = entry.index
                state.dedup[entry.dedupKey] = DedupRecord(index: entry.index, timestamp: entry.timestamp)
            }
            state.tiles.merge(batch.tiles) { _, new in new }
            state.issuers.merge(batch.issuers) { old, _ in old }
            state.head = batch.treeHead
            state.commits += 1
        }
    }

    public func tiles(_ ids: [TileID]) async throws -> [TileID: [Hash]] {
        state.withLock { state in
            var found: [TileID: [Hash]] = [:]
            for id in ids { found[id] = state.tiles[id] }
            return found
        }
    }

    public func entries(from start: UInt64, count: Int) async throws -> [[UInt8]] {
        state.withLock { state in
            guard start < UInt64(state.entries.count) else { return [] }
            let end = min(state.entries.count, Int(start) + count)
            return Array(state.entries[Int(start)..<end])
        }
    }

    public func leafIndex(forLeafHash leafHash: Hash) async throws -> UInt64? {
        state.withLock { $0.leafIndex[leafHash] }
    }

    public func dedupRecord(forKey key: [UInt8]) async throws -> DedupRecord? {
        state.withLock { $0.dedup[key] }
    }

    public func issuers(_ fingerprints: [[UInt8]]) async throws -> [[UInt8]: [UInt8]] {
        state.withLock { state in
            var found: [[UInt8]: [UInt8]] = [:]
            for fingerprint in fingerprints { found[fingerprint] = state.issuers[fingerprint] }
            return found
        }
    }

    public func metadata(_ name: String) async throws -> [UInt8]? { state.withLock { $0.metadata[name] } }

    public func setMetadata(_ name: String, _ value: [UInt8]) async throws {
        state.withLock { $0.metadata[name] = value }
    }
}

/// The rules every store applies before committing a batch (Specs/storage.md).
public enum BatchRules {
    /// Throws unless the batch extends a tree of `storedSize` leaves: entries numbered from
    /// `storedSize` without gaps, and a tree head of exactly the new size.
    public static func check(_ batch: SequencedBatch, storedSize: UInt64) throws {
        for (offset, entry) in batch.entries.enumerated() where entry.index != storedSize + UInt64(offset) {
            throw LogError.internalError("batch entry \(offset) has index \(entry.index), want \(storedSize + UInt64(offset))")
        }
        let want = storedSize + UInt64(batch.entries.count)
        guard batch.treeHead.treeSize == want else {
            throw LogError.internalError("batch tree head has size \(batch.treeHead.treeSize), want \(want)")
        }
    }
}
