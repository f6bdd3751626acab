import Foundation
import LevelDB
import LogCore
import LogStorage
import Merkle
import NIOPosix
import Synchronization
import Testing

@Suite struct LevelDBStorageTests {
    @Test func everyTableRoundTrips() async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            #expect(try await store.treeHead() == nil, "a new store has no head")
            #expect(try await store.entries(from: 0, count: 10).isEmpty)
            try await store.commit(SyntheticLog.batch(from: 0, to: 0))
            #expect(try await store.treeHead() == SyntheticLog.head(size: 0), "the empty tree's head")
            let issuer = [UInt8](repeating: 0x11, count: 32)
            try await store.commit(SyntheticLog.batch(from: 0, to: 300, issuers: [issuer: [0x30, 0x82, 0x01]]))
            try await SyntheticLog.verify(store)
            try await store.commit(SyntheticLog.batch(from: 300, to: 5000))
            #expect(try await SyntheticLog.verify(store) == 5000)
            let grown = try await store.tiles([TileID(level: 0, index: 1), TileID(level: 1, index: 0), TileID(level: 2, index: 0)])
            #expect(grown[TileID(level: 0, index: 1)]?.count == 256, "a partial tile is overwritten as it grows")
            #expect(grown[TileID(level: 1, index: 0)]?.count == 19)
            #expect(grown[TileID(level: 2, index: 0)] == nil, "no level-2 tile below 65536 leaves")
            #expect(try await store.issuers([issuer, [UInt8](repeating: 0x22, count: 32)]) == [issuer: [0x30, 0x82, 0x01]])
            #expect(try await store.metadata("public-key") == nil)
            try await store.setMetadata("public-key", [1, 2, 3])
            try await store.setMetadata("log-id", [])
            #expect(try await store.metadata("public-key") == [1, 2, 3])
            #expect(try await store.metadata("log-id") == [])
            #expect(try await store.databaseProperty("leveldb.stats") != nil)
            await store.close()
        }
    }

    /// Every level-0 tile a commit completes gets its inner nodes, once, in the same write; a
    /// partial tile and upper tiles get none; proofTiles returns them beside the tiles.
    @Test func completedTilesKeepTheirInnerNodes() async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            try await store.commit(SyntheticLog.batch(from: 0, to: 300))
            try await store.commit(SyntheticLog.batch(from: 300, to: 5000))
            let ids = [TileID(level: 0, index: 0), TileID(level: 0, index: 18), TileID(level: 0, index: 19), TileID(level: 1, index: 0)]
            let read = try await store.proofTiles(ids)
            #expect(read.tiles == (try await store.tiles(ids)))
            for index: UInt64 in [0, 18] {
                let tile = SyntheticLog.tile(TileID(level: 0, index: index), size: 5000)
                #expect(read.innerNodes[index] == TiledProofs.innerNodes(ofFullTile: tile), "tile 0/\(index)")
            }
            #expect(read.innerNodes[19] == nil, "tile 0/19 is partial at 5000 leaves")
            await store.close()
            let keys = try rawContents(dir).filter { $0.key.first == 0x15 }
            #expect(keys.map(\.key) == (0..<UInt64(19)).map { [0x15] + bigEndian($0) })
            #expect(keys.allSatisfy { $0.value.count == 32 * TiledProofs.innerNodeCount })
        }
    }

    /// A proof by hash in one read: the index, then the tiles named for it, as the two reads
    /// give them apart.
    @Test func leafIndexAndProofTilesIsTheTwoReadsInOne() async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            try await store.commit(SyntheticLog.batch(from: 0, to: 5000))
            for leaf: UInt64 in [0, 255, 256, 4864, 4999] {
                let asked = Mutex<[UInt64]>([])
                let found = try await store.leafIndexAndProofTiles(forLeafHash: SyntheticLog.leafHash(leaf)) { index in
                    asked.withLock { $0.append(index) }
                    return Array(try! TiledProofs.tilesForInclusion(index: index, treeSize: 5000))
                }
                #expect(asked.withLock { $0 } == [leaf])
                let ids = Array(try TiledProofs.tilesForInclusion(index: leaf, treeSize: 5000))
                #expect(found?.index == leaf)
                #expect(found?.tiles == (try await store.proofTiles(ids)), "leaf \(leaf)")
                #expect(found?.tiles.innerNodes[leaf / 256] != nil || leaf >= 4864, "leaf \(leaf)")
            }
            let none = try await store.leafIndexAndProofTiles(forLeafHash: SyntheticLog.leafHash(9)) { _ in [] }
            #expect(none?.index == 9 && none?.tiles == ProofTiles(tiles: [:]))
            let unknown = Mutex(false)
            #expect(try await store.leafIndexAndProofTiles(forLeafHash: SyntheticLog.leafHash(5000)) { _ in
                unknown.withLock { $0 = true }
                return []
            } == nil)
            #expect(!unknown.withLock { $0 }, "no tiles are named for a hash not logged")
            await store.close()
        }
    }

    @Test func reopenSeesTheSameState() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try await openStore(dir)
                for (old, new) in [(UInt64(0), UInt64(5)), (5, 256), (256, 1000)] {
                    try await store.commit(SyntheticLog.batch(from: old, to: new))
                }
                try await store.setMetadata("key", [9])
                await store.close()
            }
            let store = try await openStore(dir)
            #expect(try await SyntheticLog.verify(store) == 1000)
            #expect(try await store.metadata("key") == [9])
            try await store.commit(SyntheticLog.batch(from: 1000, to: 1001))  // continues from the stored head
            #expect(try await SyntheticLog.verify(store) == 1001)
        }
    }

    /// A batch that cannot follow a log of size 10: the synthetic batch from `old` to
    /// `new` (with a ledger part from `ledger.from` to `ledger.to` when given), then
    /// broken by `breakIt`.
    struct BadBatch: CustomTestStringConvertible, Sendable {
        let name: String
        let old: UInt64
        let new: UInt64
        var ledger: (from: UInt64, to: UInt64)? = nil
        let breakIt: @Sendable (inout SequencedBatch) -> Void
        var testDescription: String { name }

        func make() -> SequencedBatch {
            var batch = SyntheticLog.batch(from: old, to: new, ledger: ledger)
            breakIt(&batch)
            return batch
        }
    }

    static let badBatches: [BadBatch] = [
        BadBatch(name: "first index past the stored size", old: 11, new: 12) { $0.treeHead = SyntheticLog.head(size: 11) },
        BadBatch(name: "first index before the stored size", old: 9, new: 12) { $0.treeHead = SyntheticLog.head(size: 13) },
        BadBatch(name: "indices with a gap", old: 10, new: 13) { $0.entries[2] = SyntheticLog.entry(13) },
        BadBatch(name: "head size beyond the entries", old: 10, new: 13) { $0.treeHead = SyntheticLog.head(size: 14) },
        BadBatch(name: "head size going backwards", old: 10, new: 10) { $0.treeHead = SyntheticLog.head(size: 9) },
        BadBatch(name: "head timestamp going backwards", old: 10, new: 11) {
            $0.treeHead.timestamp = SyntheticLog.head(size: 10).timestamp - 1
        },
        BadBatch(name: "new root at the same size", old: 10, new: 10) { $0.treeHead.rootHash = SyntheticLog.leafHash(0) },
        BadBatch(name: "partial tile of the wrong width", old: 10, new: 11) {
            $0.tiles[TileID(level: 0, index: 0)]?.removeLast()
        },
        BadBatch(name: "tile beyond the tree", old: 10, new: 11) {
            $0.tiles[TileID(level: 0, index: 1)] = [SyntheticLog.leafHash(0)]
        },
        BadBatch(name: "short dedup key", old: 10, new: 11) { $0.entries[0].dedupKey.removeLast() },
        BadBatch(name: "long issuer fingerprint", old: 10, new: 11) {
            $0.issuers = [[UInt8](repeating: 1, count: 33): [0x30]]
        },
    ]

    @Test(arguments: LevelDBStorageTests.badBatches)
    func refusedBatchesLeaveTheStoreUnchanged(_ bad: BadBatch) async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            try await store.commit(SyntheticLog.batch(from: 0, to: 10))
            await store.close()
            let before = try rawContents(dir)

            let reopened = try await openStore(dir)
            let error = await #expect(throws: StorageError.self) { try await reopened.commit(bad.make()) }
            #expect(error?.code == .invalidBatch)
            #expect(try await SyntheticLog.verify(reopened) == 10)
            try await reopened.commit(SyntheticLog.batch(from: 10, to: 11))  // the store still takes good batches
            await reopened.close()

            let after = try rawContents(dir)
            let grownBy11 = after.filter { pair in !before.contains(pair) }
            #expect(grownBy11.allSatisfy { [0x01, 0x10, 0x11, 0x12, 0x13].contains($0.key[0]) })
            #expect(after.count == before.count + 3, "entry 10, its leaf hash and dedup key; tile and head overwritten")
        }
    }

    @Test func issuersAreStoredOnce() async throws {
        try await withTemporaryDirectory { dir in
            let first = [UInt8](repeating: 0xf1, count: 32)
            let second = [UInt8](repeating: 0xf2, count: 32)
            let store = try await openStore(dir)
            try await store.commit(SyntheticLog.batch(from: 0, to: 1, issuers: [first: [0xa1]]))
            try await store.commit(SyntheticLog.batch(from: 1, to: 2, issuers: [first: [0xa2], second: [0xb1]]))
            try await store.commit(SyntheticLog.batch(from: 2, to: 3, issuers: [first: [0xa3], second: [0xb2]]))
            #expect(try await store.issuers([first, second]) == [first: [0xa1], second: [0xb1]], "a known issuer is not rewritten")
            await store.close()
            let issuerKeys = try rawContents(dir).filter { $0.key.first == 0x14 }
            #expect(issuerKeys.map(\.key) == [[0x14] + first, [0x14] + second])
        }
    }

    @Test func indexesKeepTheFirstEntry() async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            try await store.commit(SyntheticLog.batch(from: 0, to: 3))
            var batch = SyntheticLog.batch(from: 3, to: 6)
            batch.entries[0].dedupKey = SyntheticLog.dedupKey(1)  // logged again in a later batch
            batch.entries[2].dedupKey = batch.entries[1].dedupKey  // twice in one batch
            batch.entries[2].leafHash = batch.entries[1].leafHash
            try await store.commit(batch)
            #expect(try await store.dedupRecord(forKey: SyntheticLog.dedupKey(1)) == DedupRecord(index: 1, timestamp: SyntheticLog.entryTimestamp(1)))
            #expect(try await store.dedupRecord(forKey: SyntheticLog.dedupKey(4)) == DedupRecord(index: 4, timestamp: SyntheticLog.entryTimestamp(4)))
            #expect(try await store.leafIndex(forLeafHash: SyntheticLog.leafHash(4)) == 4)
            #expect(try await store.leafIndex(forLeafHash: SyntheticLog.leafHash(5)) == nil)
        }
    }

    /// A batch that vouches its index keys are new is stored exactly as one that has them
    /// looked up.
    @Test func aVouchedBatchIsStoredAsAnUnvouchedOne() async throws {
        try await withTemporaryDirectory { dir in
            var contents: [[KeyValue]] = []
            for vouched in [false, true] {
                let path = dir + (vouched ? "/vouched" : "/plain")
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                let store = try await openStore(path)
                for (from, to) in [(UInt64(0), UInt64(3)), (3, 300), (300, 301)] {
                    var batch = SyntheticLog.batch(from: from, to: to)
                    batch.indexKeysAreNew = vouched
                    try await store.commit(batch)
                }
                #expect(try await SyntheticLog.verify(store) == 301)
                #expect(try await store.leafIndex(forLeafHash: SyntheticLog.leafHash(299)) == 299)
                #expect(try await store.dedupRecord(forKey: SyntheticLog.dedupKey(7))?.index == 7)
                await store.close()
                contents.append(try rawContents(path))
            }
            #expect(contents[0].count > 301 * 3)
            #expect(contents[0] == contents[1])
        }
    }

    #if DEBUG
    /// Ways a batch can vouch falsely that its index keys are new.
    enum BrokenVouch: String, CaseIterable, Sendable {
        case dedupKeyLoggedBefore, dedupKeyTwice, leafHashIndexedBefore, leafHashTwice

        func apply(to batch: inout SequencedBatch) {
            switch self {
            case .dedupKeyLoggedBefore: batch.entries[0].dedupKey = SyntheticLog.dedupKey(1)
            case .dedupKeyTwice: batch.entries[2].dedupKey = batch.entries[1].dedupKey
            case .leafHashIndexedBefore: batch.entries[1].leafHash = SyntheticLog.leafHash(0)
            case .leafHashTwice: batch.entries[2].leafHash = batch.entries[0].leafHash
            }
        }
    }

    /// Debug builds look the vouched keys up anyway, and both stores refuse a batch whose vouch
    /// is false.
    @Test(arguments: BrokenVouch.allCases)
    func aBrokenVouchIsRefusedInDebugBuilds(_ broken: BrokenVouch) async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            try await store.commit(SyntheticLog.batch(from: 0, to: 3))
            var batch = SyntheticLog.batch(from: 3, to: 6)
            batch.indexKeysAreNew = true
            broken.apply(to: &batch)
            let error = await #expect(throws: StorageError.self, "\(broken)") { try await store.commit(batch) }
            #expect(error?.code == .invalidBatch)
            #expect(error?.message.contains("vouched new but is already indexed") == true, "\(broken): \(String(describing: error))")
            #expect(try await SyntheticLog.verify(store) == 3)
            batch.indexKeysAreNew = false
            try await store.commit(batch)  // looked up, the first index entries stay
            #expect(try await store.treeHead()?.treeSize == 6)
            await store.close()

            let memory = MemoryStorage()
            try await memory.commit(SyntheticLog.batch(from: 0, to: 3))
            batch.indexKeysAreNew = true
            await #expect(throws: LogError.self, "\(broken), in memory") { try await memory.commit(batch) }
            #expect(try await memory.treeHead()?.treeSize == 3)
        }
    }
    #endif

    @Test func entryRangesAcrossManyBatches() async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            var generator = SystemRandomNumberGenerator()
            var size: UInt64 = 0
            for _ in 0..<60 {
                let next = size + UInt64.random(in: 1...40, using: &generator)
                try await store.commit(SyntheticLog.batch(from: size, to: next))
                size = next
            }
            for _ in 0..<100 {
                let start = UInt64.random(in: 0...size + 2, using: &generator)
                let count = Int.random(in: 0...300, using: &generator)
                let end = min(start + UInt64(count), max(start, size))
                let read = try await store.entries(from: start, count: count)
                #expect(read == (start..<end).map(SyntheticLog.tileLeaf), "entries \(start)+\(count) of \(size)")
            }
            #expect(try await store.entries(from: 0, count: 0).isEmpty)
            #expect(try await store.entries(from: UInt64.max, count: 5).isEmpty)
        }
    }

    @Test func readersDuringCommitsSeeWholeBatches() async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            let sizes = (1...120).map { UInt64($0 * 37) }
            try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    var old: UInt64 = 0
                    for size in sizes {
                        try await store.commit(SyntheticLog.batch(from: old, to: size))
                        old = size
                    }
                    return 0
                }
                for _ in 0..<4 {
                    group.addTask {
                        var lastSize: UInt64 = 0
                        var reads = 0
                        while lastSize < sizes.last! {
                            guard let head = try await store.treeHead() else { continue }
                            #expect(head.treeSize >= lastSize, "the head never goes backwards")
                            #expect(head == SyntheticLog.head(size: head.treeSize) && sizes.contains(head.treeSize))
                            lastSize = head.treeSize
                            let edge = try await store.entries(from: head.treeSize - 5, count: 5)
                            let edgeIsWhole = edge == (head.treeSize - 5..<head.treeSize).map(SyntheticLog.tileLeaf)
                            #expect(edgeIsWhole, "the last 5 entries below head \(head.treeSize): \(edge.count) readable")
                            let rightEdge = TileID(level: 0, index: (head.treeSize - 1) / 256)
                            let tile = try await store.tiles([rightEdge])[rightEdge]
                            #expect((tile?.count ?? 0) >= rightEdge.width(inTreeOfSize: head.treeSize))
                            #expect(try await store.leafIndex(forLeafHash: SyntheticLog.leafHash(head.treeSize - 1)) == head.treeSize - 1)
                            reads += 1
                        }
                        return reads
                    }
                }
                var total = 0
                for try await reads in group { total += reads }
                #expect(total > 0)
            }
            #expect(try await SyntheticLog.verify(store) == sizes.last!)
        }
    }

    @Test func formatVersionIsChecked() async throws {
        try await withTemporaryDirectory { dir in
            try await openStore(dir).close()
            #expect(try rawContents(dir) == [KeyValue(key: [0x00], value: [0, 0, 0, 1])])
            let database = try Database(path: dir + "/store")
            try database.put([0x00], [0, 0, 0, 2], sync: true)
            database.close()
            let newer = await #expect(throws: StorageError.self) { try await openStore(dir) }
            #expect(newer?.code == .unsupportedFormat)
            #expect(newer?.message.contains("format version 2") == true)

            try FileManager.default.createDirectory(atPath: dir + "/foreign", withIntermediateDirectories: false)
            let foreign = try Database(path: dir + "/foreign/store")
            try foreign.put([0x61], [0x62], sync: true)
            foreign.close()
            let notAStore = await #expect(throws: StorageError.self) { try await openStore(dir + "/foreign") }
            #expect(notAStore?.code == .unsupportedFormat)
        }
    }

    @Test func closedStoreRefusesCalls() async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            let second = await #expect(throws: LevelDBError.self) { try await openStore(dir) }
            #expect(second?.code == .open)
            await store.close()
            await store.close()
            await #expect(throws: LevelDBError(.closed, "")) { try await store.treeHead() }
            await #expect(throws: LevelDBError(.closed, "")) { try await store.entries(from: 0, count: 1) }
            await #expect(throws: LevelDBError(.closed, "")) { try await store.commit(SyntheticLog.batch(from: 0, to: 1)) }
            _ = try await openStore(dir)  // close released the LOCK
        }
    }

    @Test func storeOnAStoppedPoolStillCloses() async throws {
        try await withTemporaryDirectory { dir in
            let pool = NIOThreadPool(numberOfThreads: 1)
            pool.start()
            let store = try await LevelDBStorage.open(path: dir + "/store", threadPool: pool)
            try await store.commit(SyntheticLog.batch(from: 0, to: 3))
            try await pool.shutdownGracefully()
            await #expect(throws: (any Error).self) { try await store.entries(from: 0, count: 3) }
            await store.close()
            #expect(try await SyntheticLog.verify(openStore(dir)) == 3)
        }
    }
}
