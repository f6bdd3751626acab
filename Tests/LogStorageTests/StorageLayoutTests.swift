import LevelDB
import LogCore
import LogStorage
import Merkle
import Testing

/// Pins the on-disk layout to the example in Specs/storage.md, "Key layout": every key
/// and value of a log with one entry and one ledger entry, byte for byte.
@Suite struct StorageLayoutTests {
    @Test func oneEntryLogMatchesTheSpecExample() async throws {
        try await withTemporaryDirectory { dir in
            let leafHash = Hash([UInt8](repeating: 0x11, count: 32))
            let timestamp: UInt64 = 1_700_000_000_000
            let entry = SequencedEntry(
                index: 0, leafHash: leafHash, dedupKey: [UInt8](repeating: 0x22, count: 32),
                timestamp: timestamp, tileLeaf: [0xee, 0xff])
            let head = StoredTreeHead(treeSize: 1, timestamp: timestamp, rootHash: leafHash, signature: hex("04030002abcd"))
            let ledgerHash = Hash([UInt8](repeating: 0x44, count: 32))
            let ledger = LedgerBatch(
                entries: [LedgerEntry(index: 0, leafHash: ledgerHash, bytes: [0xc0, 0xff, 0xee])],
                tiles: [TileID(level: 0, index: 0): [ledgerHash]],
                head: StoredTreeHead(treeSize: 1, timestamp: timestamp, rootHash: ledgerHash, signature: [0xab, 0xcd]))
            let store = try await openStore(dir)
            try await store.commit(
                SequencedBatch(
                    entries: [entry], issuers: [[UInt8](repeating: 0x33, count: 32): [0x30, 0x00]],
                    tiles: [TileID(level: 0, index: 0): [leafHash]], treeHead: head, ledger: ledger))
            try await store.setMetadata("key", [0x01])
            await store.close()

            let expected: [(key: String, value: String)] = [
                ("00", "00000001"),
                ("01", "0000000000000001" + "0000018bcfe56800" + String(repeating: "11", count: 32) + "04030002abcd"),
                ("10" + "00" + "0000000000000000", String(repeating: "11", count: 32)),
                ("11" + "0000000000000000", "eeff"),
                ("12" + String(repeating: "11", count: 32), "0000000000000000"),
                ("13" + String(repeating: "22", count: 32), "0000000000000000" + "0000018bcfe56800"),
                ("14" + String(repeating: "33", count: 32), "3000"),
                ("20" + "6b6579", "01"),
                ("30", "0000000000000001" + "0000018bcfe56800" + String(repeating: "44", count: 32) + "abcd"),
                ("31" + "00" + "0000000000000000", String(repeating: "44", count: 32)),
                ("32" + "0000000000000000", "c0ffee"),
                ("33" + String(repeating: "44", count: 32), "0000000000000000"),
            ]
            #expect(try rawContents(dir) == expected.map { KeyValue(key: hex($0.key), value: hex($0.value)) })
        }
    }

    private func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        precondition(digits.count % 2 == 0, "odd hex")
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}
