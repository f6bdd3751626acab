import Merkle
import Synchronization

/// A `LogStorage` in memory, for tests and tools. It enforces the same batch rules as the
/// LevelDB store (`BatchRules`), keeps the first index entry of a leaf hash or dedup key as
/// it does, and can be told to fail commits, to exercise the log's failure paths.
/// Owner: the mutex guards all state; a commit applies entirely or not at all.
public final class MemoryStorage: LogStorage {
    /// The stored parts of one Merkle tree: the certificate tree and the endorsement ledger.
    private struct Tree {
        var head: StoredTreeHead?
        var tiles: [TileID: [Hash]] = [:]
        var entries: [[UInt8]] = []
        var leafIndex: [Hash: UInt64] = [:]

        /// Applies a batch part that `BatchRules` accepted.
        mutating func append(_ added: [(leafHash: Hash, bytes: [UInt8])], tiles: [TileID: [Hash]], head: StoredTreeHead) {
            for (leafHash, bytes) in added {
                if leafIndex[leafHash] == nil { leafIndex[leafHash] = UInt64(entries.count) }
                entries.append(bytes)
            }
            self.tiles.merge(tiles) { _, new in new }
            self.head = head
        }

        func tiles(_ ids: [TileID]) -> [TileID: [Hash]] {
            var found: [TileID: [Hash]] = [:]
            for id in ids { found[id] = tiles[id] }
            return found
        }

        func entries(from start: UInt64, count: Int) -> [[UInt8]] {
            guard start < UInt64(entries.count), count > 0 else { return [] }
            let end = Int(start) + min(count, entries.count - Int(start))
            return Array(entries[Int(start)..<end])
        }
    }

    private struct State {
        var tree = Tree()
        /// Inner nodes of the certificate tree's full level-0 tiles, by tile index.
        var innerNodes: [UInt64: [Hash]] = [:]
        var ledger = Tree()
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

    public func treeHead() async throws -> StoredTreeHead? { state.withLock { $0.tree.head } }

    /// Refuses with `LogError.internalError`, changing nothing, a batch `BatchRules` refuses.
    public func commit(_ batch: SequencedBatch) async throws {
        try state.withLock { state in
            if state.failCommits > 0 {
                state.failCommits -= 1
                throw LogError.internalError("injected commit failure")
            }
            if let refusal = BatchRules.refusal(of: batch, treeHead: state.tree.head, ledgerHead: state.ledger.head) {
                throw LogError.internalError("refused batch: \(refusal)")
            }
            #if DEBUG
            let tree = state.tree, dedup = state.dedup
            if let broken = BatchRules.brokenVouch(of: batch, leafHashIsStored: { tree.leafIndex[$0] != nil },
                                                   dedupKeyIsStored: { dedup[$0] != nil }) {
                throw LogError.internalError("refused batch: \(broken)")
            }
            #endif
            state.tree.append(batch.entries.map { ($0.leafHash, $0.tileLeaf) }, tiles: batch.tiles, head: batch.treeHead)
            state.innerNodes.merge(batch.completedTileInnerNodes) { _, new in new }
            for entry in batch.entries where state.dedup[entry.dedupKey] == nil {
                state.dedup[entry.dedupKey] = DedupRecord(index: entry.index, timestamp: entry.timestamp)
            }
            state.issuers.merge(batch.issuers) { old, _ in old }
            if let ledger = batch.ledger {
                state.ledger.append(ledger.entries.map { ($0.leafHash, $0.bytes) }, tiles: ledger.tiles, head: ledger.head)
            }
            state.commits += 1
        }
    }

    public func tiles(_ ids: [TileID]) async throws -> [TileID: [Hash]] {
        state.withLock { $0.tree.tiles(ids) }
    }

    public func proofTiles(_ ids: [TileID]) async throws -> ProofTiles {
        state.withLock { state in
            var inner: [UInt64: [Hash]] = [:]
            for id in ids where id.level == 0 { inner[id.index] = state.innerNodes[id.index] }
            return ProofTiles(tiles: state.tree.tiles(ids), innerNodes: inner)
        }
    }

    public func entries(from start: UInt64, count: Int) async throws -> [[UInt8]] {
        state.withLock { $0.tree.entries(from: start, count: count) }
    }

    public func leafIndex(forLeafHash leafHash: Hash) async throws -> UInt64? {
        state.withLock { $0.tree.leafIndex[leafHash] }
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

    public func ledgerHead() async throws -> StoredTreeHead? { state.withLock { $0.ledger.head } }

    public func ledgerTiles(_ ids: [TileID]) async throws -> [TileID: [Hash]] {
        state.withLock { $0.ledger.tiles(ids) }
    }

    public func ledgerEntries(from start: UInt64, count: Int) async throws -> [[UInt8]] {
        state.withLock { $0.ledger.entries(from: start, count: count) }
    }

    public func ledgerIndex(forLeafHash leafHash: Hash) async throws -> UInt64? {
        state.withLock { $0.ledger.leafIndex[leafHash] }
    }
}
