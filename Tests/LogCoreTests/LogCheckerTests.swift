import LogCore
import LogFormat
import Merkle
import PKI
import Testing
import TestSupport

/// The checker must find what is wrong: each case serves a log whose storage lies in one place.
@Suite struct LogCheckerTests {
    enum Tampering: String, CaseIterable, Sendable {
        case entryByte, tileHash, innerNodes, missingIssuer, wrongLeafIndex, wrongDedup, strayEntryPastHead, badHeadSignature
        case ledgerEntryByte, ledgerTileHash, ledgerHeadRoot, ledgerWrongIndex, ledgerMissingIndex, ledgerStrayEntryPastHead

        var isLedger: Bool { rawValue.hasPrefix("ledger") }
    }

    /// Reads through to a real store, changing exactly one kind of answer.
    struct TamperedStorage: LogStorage {
        let base: MemoryStorage
        let tampering: Tampering

        func treeHead() async throws -> StoredTreeHead? {
            guard var head = try await base.treeHead() else { return nil }
            if tampering == .badHeadSignature { head.signature[head.signature.count - 1] ^= 1 }
            return head
        }
        func commit(_ batch: SequencedBatch) async throws { try await base.commit(batch) }
        func tiles(_ ids: [TileID]) async throws -> [TileID: [Hash]] {
            var tiles = try await base.tiles(ids)
            if tampering == .tileHash, var level0 = tiles[TileID(level: 0, index: 0)] {
                level0[1] = Hash.leaf([0xff])
                tiles[TileID(level: 0, index: 0)] = level0
            }
            return tiles
        }
        func proofTiles(_ ids: [TileID]) async throws -> ProofTiles {
            var result = try await base.proofTiles(ids)
            result.tiles = try await tiles(ids)
            if tampering == .innerNodes, var inner = result.innerNodes[0] {
                inner[3] = Hash.leaf([0xff])
                result.innerNodes[0] = inner
            }
            return result
        }
        func entries(from start: UInt64, count: Int) async throws -> [[UInt8]] {
            if tampering == .strayEntryPastHead, start == (try await base.treeHead())?.treeSize {
                return [[0x00]]
            }
            var entries = try await base.entries(from: start, count: count)
            if tampering == .entryByte, start == 0, entries.count > 2 { entries[2][12] ^= 1 }
            return entries
        }
        func leafIndex(forLeafHash leafHash: Hash) async throws -> UInt64? {
            let index = try await base.leafIndex(forLeafHash: leafHash)
            return tampering == .wrongLeafIndex && index == 1 ? 0 : index
        }
        func dedupRecord(forKey key: [UInt8]) async throws -> DedupRecord? {
            let record = try await base.dedupRecord(forKey: key)
            return tampering == .wrongDedup && record?.index == 3 ? DedupRecord(index: 4, timestamp: record!.timestamp) : record
        }
        func issuers(_ fingerprints: [[UInt8]]) async throws -> [[UInt8]: [UInt8]] {
            var issuers = try await base.issuers(fingerprints)
            if tampering == .missingIssuer, let first = fingerprints.first { issuers[first] = nil }
            return issuers
        }
        func metadata(_ name: String) async throws -> [UInt8]? { try await base.metadata(name) }
        func setMetadata(_ name: String, _ value: [UInt8]) async throws { try await base.setMetadata(name, value) }
        func ledgerHead() async throws -> StoredTreeHead? {
            guard var head = try await base.ledgerHead() else { return nil }
            if tampering == .ledgerHeadRoot { head.rootHash = Hash.leaf([0xff]) }
            return head
        }
        func ledgerTiles(_ ids: [TileID]) async throws -> [TileID: [Hash]] {
            var tiles = try await base.ledgerTiles(ids)
            if tampering == .ledgerTileHash, var level0 = tiles[TileID(level: 0, index: 1)] {
                level0[1] = Hash.leaf([0xff])
                tiles[TileID(level: 0, index: 1)] = level0
            }
            return tiles
        }
        func ledgerEntries(from start: UInt64, count: Int) async throws -> [[UInt8]] {
            if tampering == .ledgerStrayEntryPastHead, start == (try await base.ledgerHead())?.treeSize {
                return [[0x00]]
            }
            var entries = try await base.ledgerEntries(from: start, count: count)
            if tampering == .ledgerEntryByte, start == 256, entries.count > 2 { entries[2][0] ^= 1 }
            return entries
        }
        func ledgerIndex(forLeafHash leafHash: Hash) async throws -> UInt64? {
            let index = try await base.ledgerIndex(forLeafHash: leafHash)
            switch tampering {
            case .ledgerWrongIndex where index == 7: return 3
            case .ledgerMissingIndex where index == 280: return nil
            default: return index
            }
        }
    }

    static let ledgerSize: UInt64 = 300

    /// 260 certificates (one full level-0 tile, with its inner nodes), and a ledger of `ledgerSize`
    /// entries committed in two batches under the same tree head.
    static let grown = Task { () throws -> Harness in
        let harness = try await Harness.make(poolSize: 300)
        let chains: [([[UInt8]], SubmissionKind)] = try (0..<260).map { _ in (try harness.ca.chain(), .certificate) }
        for result in try await harness.submitInOneBatch(chains) { _ = try result.get() }
        guard let head = try await harness.storage.treeHead() else { throw LogError.internalError("no tree head after a batch") }
        var ledger = TestLedger()
        for range in [0..<3, 3..<ledgerSize] {
            let part = ledger.append(TestLedger.entries(range), at: head.timestamp)
            try await harness.storage.commit(SequencedBatch(entries: [], issuers: [:], tiles: [:], treeHead: head, ledger: part))
        }
        return harness
    }

    @Test(arguments: Tampering.allCases)
    func everyKindOfDamageIsReported(_ tampering: Tampering) async throws {
        let harness = try await Self.grown.value
        try await harness.expectConsistent()
        #expect(try await harness.storage.proofTiles([TileID(level: 0, index: 0)]).innerNodes[0]?.count == TiledProofs.innerNodeCount)
        let report = try await LogChecker(storage: TamperedStorage(base: harness.storage, tampering: tampering),
                                          publicKey: harness.key.publicKey).run()
        #expect(!report.isConsistent, "\(tampering) went unnoticed")
        #expect(report.problems.allSatisfy { $0.contains("ledger") } == tampering.isLedger, "\(report.problems.joined(separator: "; "))")
    }

    @Test func cleanLedgerPasses() async throws {
        let harness = try await Self.grown.value
        let report = try await LogChecker(storage: harness.storage, publicKey: harness.key.publicKey).run()
        #expect(report.problems == [])
        #expect(report.ledgerSize == Self.ledgerSize)
        #expect(report.ledgerEntriesChecked == Self.ledgerSize)
        #expect(report.ledgerTilesChecked == 3, "tile/0/0, tile/0/1 and tile/1/0")
    }

    @Test func ledgerHeadCheckIsReported() async throws {
        let harness = try await Self.grown.value
        let report = try await LogChecker(storage: harness.storage, publicKey: harness.key.publicKey) { head in
            head.signature == [0x1e] ? "signature refused" : nil
        }.run()
        #expect(report.problems == ["the ledger head of size \(Self.ledgerSize): signature refused"])
    }
}
