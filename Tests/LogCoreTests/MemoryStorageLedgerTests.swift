import LogCore
import Merkle
import Testing

/// A real endorsement ledger for tests: RFC 6962 leaf hashes, and tiles and root from
/// `TreeAppender`, so that `LogChecker` can recompute it from the entries.
struct TestLedger {
    private var appender = TreeAppender()

    var size: UInt64 { appender.size }

    /// The ledger part of a batch that appends `entries` (their bytes), with a head at `timestamp`.
    mutating func append(_ entries: [[UInt8]], at timestamp: UInt64) -> LedgerBatch {
        let start = appender.size
        let added = entries.enumerated().map { offset, bytes in
            LedgerEntry(index: start + UInt64(offset), leafHash: Hash.leaf(bytes), bytes: bytes)
        }
        let tiles = appender.append(added.map(\.leafHash))
        let head = StoredTreeHead(treeSize: appender.size, timestamp: timestamp, rootHash: appender.rootHash(), signature: [0x1e])
        return LedgerBatch(entries: added, tiles: tiles, head: head)
    }

    /// Distinct entry bytes for indices `range`.
    static func entries(_ range: Range<UInt64>) -> [[UInt8]] {
        range.map { [0x1e, UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
    }
}

/// The endorsement ledger in `MemoryStorage`: the same rules (`BatchRules`) as the LevelDB store.
@Suite struct MemoryStorageLedgerTests {
    static let timestamp: UInt64 = 1_700_000_000_000

    /// A batch that keeps the certificate tree empty and carries `ledger`.
    static func batch(_ ledger: LedgerBatch?, at timestamp: UInt64 = timestamp) -> SequencedBatch {
        SequencedBatch(
            entries: [], issuers: [:], tiles: [:],
            treeHead: StoredTreeHead(treeSize: 0, timestamp: timestamp, rootHash: .emptyTree, signature: []), ledger: ledger)
    }

    /// A batch that adds one entry to an empty certificate tree and carries `ledger`.
    static func oneEntryBatch(_ ledger: LedgerBatch) -> SequencedBatch {
        let leafHash = Hash.leaf([0x01])
        let entry = SequencedEntry(
            index: 0, leafHash: leafHash, dedupKey: [UInt8](repeating: 0xdd, count: 32), timestamp: timestamp, tileLeaf: [0x01])
        return SequencedBatch(
            entries: [entry], issuers: [:], tiles: [TileID(level: 0, index: 0): [leafHash]],
            treeHead: StoredTreeHead(treeSize: 1, timestamp: timestamp, rootHash: leafHash, signature: []), ledger: ledger)
    }

    @Test func ledgerRoundTrips() async throws {
        let storage = MemoryStorage()
        var ledger = TestLedger()
        #expect(try await storage.ledgerHead() == nil)
        let first = ledger.append(TestLedger.entries(0..<3), at: Self.timestamp)
        try await storage.commit(Self.batch(first))
        let second = ledger.append(TestLedger.entries(3..<300), at: Self.timestamp + 1)
        try await storage.commit(Self.batch(second, at: Self.timestamp + 1))
        #expect(try await storage.ledgerHead() == second.head)
        #expect(try await storage.ledgerEntries(from: 0, count: 400) == TestLedger.entries(0..<300))
        #expect(try await storage.ledgerEntries(from: 298, count: 5) == TestLedger.entries(298..<300), "clipped at the end")
        #expect(try await storage.ledgerEntries(from: 300, count: 5).isEmpty)
        let ids = [TileID(level: 0, index: 0), TileID(level: 0, index: 1), TileID(level: 1, index: 0), TileID(level: 0, index: 2)]
        #expect(Set(second.tiles.keys) == Set(ids.prefix(3)))
        #expect(try await storage.ledgerTiles(ids) == second.tiles, "the tiles at 300 entries; none past them")
        #expect(try await storage.ledgerIndex(forLeafHash: Hash.leaf(TestLedger.entries(257..<258)[0])) == 257)
        #expect(try await storage.leafIndex(forLeafHash: Hash.leaf(TestLedger.entries(257..<258)[0])) == nil)
        #expect(try await storage.treeHead()?.treeSize == 0, "the certificate tree is apart")
    }

    @Test func batchWithoutLedgerLeavesItUnchanged() async throws {
        let storage = MemoryStorage()
        var ledger = TestLedger()
        let part = ledger.append(TestLedger.entries(0..<5), at: Self.timestamp)
        try await storage.commit(Self.batch(part))
        try await storage.commit(Self.oneEntryBatch(part).withoutLedger)
        #expect(try await storage.treeHead()?.treeSize == 1)
        #expect(try await storage.ledgerHead() == part.head)
        #expect(try await storage.ledgerEntries(from: 0, count: 10) == TestLedger.entries(0..<5))
    }

    /// Each breaks the ledger part of a batch following a ledger of 5 entries.
    static let breakages: [(String, @Sendable (inout LedgerBatch) -> Void)] = [
        ("indices with a gap", { $0.entries[1].index += 1 }),
        ("head size beyond the entries", { $0.head.treeSize += 1 }),
        ("head size below the entries", { $0.head.treeSize -= 1 }),
        ("head timestamp going backwards", { $0.head.timestamp = timestamp - 1 }),
        ("partial tile of the wrong width", { $0.tiles[TileID(level: 0, index: 0)]?.removeLast() }),
    ]

    @Test(arguments: 0..<breakages.count)
    func refusedLedgerChangesNothing(_ breakage: Int) async throws {
        let (name, breakIt) = Self.breakages[breakage]
        let storage = MemoryStorage()
        var ledger = TestLedger()
        let stored = ledger.append(TestLedger.entries(0..<5), at: Self.timestamp)
        try await storage.commit(Self.batch(stored))
        var bad = ledger.append(TestLedger.entries(5..<8), at: Self.timestamp)
        breakIt(&bad)
        await #expect(throws: LogError.self, "\(name)") { try await storage.commit(Self.oneEntryBatch(bad)) }
        #expect(try await storage.ledgerHead() == stored.head, "\(name)")
        #expect(try await storage.ledgerEntries(from: 0, count: 10) == TestLedger.entries(0..<5), "\(name)")
        #expect(try await storage.ledgerIndex(forLeafHash: bad.entries[0].leafHash) == nil, "\(name)")
        #expect(try await storage.treeHead()?.treeSize == 0, "\(name): the certificate tree part is not applied either")
        #expect(try await storage.entries(from: 0, count: 1).isEmpty, "\(name)")
        #expect(try await storage.dedupRecord(forKey: [UInt8](repeating: 0xdd, count: 32)) == nil, "\(name)")
        #expect(storage.commitCount == 1)
    }

    @Test func ledgerIndexKeepsTheFirstEntry() async throws {
        let storage = MemoryStorage()
        var ledger = TestLedger()
        let repeated: [UInt8] = [0x1e, 0xee]
        try await storage.commit(Self.batch(ledger.append([[0x00], repeated, repeated], at: Self.timestamp)))
        try await storage.commit(Self.batch(ledger.append([repeated], at: Self.timestamp)))
        #expect(try await storage.ledgerIndex(forLeafHash: Hash.leaf(repeated)) == 1)
        #expect(try await storage.ledgerEntries(from: 0, count: 5).count == 4)
    }
}

extension SequencedBatch {
    /// This batch without its ledger part.
    var withoutLedger: SequencedBatch {
        var batch = self
        batch.ledger = nil
        return batch
    }
}
