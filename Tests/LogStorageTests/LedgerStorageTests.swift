import LevelDB
import LogCore
import LogStorage
import Merkle
import Testing

/// The endorsement ledger in the LevelDB store: written with the certificate tree in one
/// batch, checked by the same rules, read back after reopening (Specs/storage.md).
@Suite struct LedgerStorageTests {
    @Test func ledgerRoundTripsThroughCommitAndReopen() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try await openStore(dir)
                #expect(try await store.ledgerHead() == nil, "a new store has an empty ledger")
                #expect(try await store.ledgerEntries(from: 0, count: 5).isEmpty)
                try await store.commit(SyntheticLog.batch(from: 0, to: 10, ledger: (0, 3)))
                #expect(try await SyntheticLog.verifyLedger(store) == 3)
                try await store.commit(SyntheticLog.batch(from: 10, to: 300, ledger: (3, 700)))
                #expect(try await SyntheticLog.verify(store) == 300)
                #expect(try await SyntheticLog.verifyLedger(store) == 700)
                await store.close()
            }
            let store = try await openStore(dir)
            #expect(try await SyntheticLog.verify(store) == 300)
            #expect(try await SyntheticLog.verifyLedger(store) == 700, "the ledger head is read back on open")
            try await store.commit(SyntheticLog.batch(from: 300, to: 301, ledger: (700, 701)))  // continues from the stored ledger head
            #expect(try await SyntheticLog.verifyLedger(store) == 701)
        }
    }

    @Test func batchWithoutLedgerLeavesItUnchanged() async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            try await store.commit(SyntheticLog.batch(from: 0, to: 4))
            #expect(try await store.ledgerHead() == nil, "a store written without a ledger reads as an empty ledger")
            try await store.commit(SyntheticLog.batch(from: 4, to: 8, ledger: (0, 5)))
            await store.close()
            let ledgerBefore = try rawContents(dir).filter { (0x30...0x33).contains($0.key[0]) }

            let reopened = try await openStore(dir)
            try await reopened.commit(SyntheticLog.batch(from: 8, to: 20))
            #expect(try await SyntheticLog.verify(reopened) == 20)
            #expect(try await SyntheticLog.verifyLedger(reopened) == 5)
            await reopened.close()
            #expect(try rawContents(dir).filter { (0x30...0x33).contains($0.key[0]) } == ledgerBefore)
        }
    }

    /// Batches whose certificate tree part can follow a log of size 10 but whose ledger
    /// part cannot follow a ledger of size 5.
    static let badLedgers: [LevelDBStorageTests.BadBatch] = [
        bad("indices with a gap", 5, 8) { $0.entries[2] = SyntheticLog.ledgerEntry(8) },
        bad("first index past the stored size", 6, 7) { $0.head = SyntheticLog.ledgerHead(size: 6) },
        bad("head size beyond the entries", 5, 7) { $0.head = SyntheticLog.ledgerHead(size: 8) },
        bad("head size below the entries", 5, 7) { $0.head = SyntheticLog.ledgerHead(size: 6) },
        bad("head size going backwards", 5, 5) { $0.head = SyntheticLog.ledgerHead(size: 4) },
        bad("head timestamp going backwards", 5, 6) { $0.head.timestamp = SyntheticLog.ledgerHead(size: 5).timestamp - 1 },
        bad("new root at the same size", 5, 5) { $0.head.rootHash = SyntheticLog.ledgerLeafHash(0) },
        bad("partial tile of the wrong width", 5, 6) { $0.tiles[TileID(level: 0, index: 0)]?.removeLast() },
    ]

    /// Tree 10 to 11 with the ledger from `old` to `new`, its ledger part broken by `breakIt`.
    private static func bad(_ name: String, _ old: UInt64, _ new: UInt64,
                            _ breakIt: @escaping @Sendable (inout LedgerBatch) -> Void) -> LevelDBStorageTests.BadBatch {
        LevelDBStorageTests.BadBatch(name: name, old: 10, new: 11, ledger: (old, new)) { batch in
            guard var ledger = batch.ledger else { return }
            breakIt(&ledger)
            batch.ledger = ledger
        }
    }

    @Test(arguments: LedgerStorageTests.badLedgers)
    func refusedLedgerLeavesTheStoreUnchanged(_ bad: LevelDBStorageTests.BadBatch) async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            try await store.commit(SyntheticLog.batch(from: 0, to: 10, ledger: (0, 5)))
            await store.close()
            let before = try rawContents(dir)

            let reopened = try await openStore(dir)
            let error = await #expect(throws: StorageError.self) { try await reopened.commit(bad.make()) }
            #expect(error?.code == .invalidBatch)
            #expect(error?.message.contains("ledger") == true, "\(error?.message ?? "")")
            #expect(try await SyntheticLog.verify(reopened) == 10, "the certificate tree part is not written either")
            #expect(try await SyntheticLog.verifyLedger(reopened) == 5)
            await reopened.close()
            #expect(try rawContents(dir) == before, "nothing of the refused batch is on disk")

            let again = try await openStore(dir)
            try await again.commit(SyntheticLog.batch(from: 10, to: 11, ledger: (5, 6)))  // good batches still go in
            #expect(try await SyntheticLog.verifyLedger(again) == 6)
        }
    }

    @Test func ledgerIndexKeepsTheFirstEntry() async throws {
        try await withTemporaryDirectory { dir in
            let store = try await openStore(dir)
            try await store.commit(SyntheticLog.batch(from: 0, to: 1, ledger: (0, 3)))
            var batch = SyntheticLog.batch(from: 1, to: 2, ledger: (3, 6))
            batch.ledger!.entries[0].leafHash = SyntheticLog.ledgerLeafHash(1)  // logged again in a later batch
            batch.ledger!.entries[2].leafHash = batch.ledger!.entries[1].leafHash  // twice in one batch
            try await store.commit(batch)
            #expect(try await store.ledgerIndex(forLeafHash: SyntheticLog.ledgerLeafHash(1)) == 1)
            #expect(try await store.ledgerIndex(forLeafHash: SyntheticLog.ledgerLeafHash(4)) == 4)
            #expect(try await store.ledgerIndex(forLeafHash: SyntheticLog.ledgerLeafHash(5)) == nil)
            #expect(try await store.leafIndex(forLeafHash: SyntheticLog.ledgerLeafHash(1)) == nil, "the trees' indexes are apart")
        }
    }
}
