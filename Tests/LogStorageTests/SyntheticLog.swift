import LogCore
import LogStorage
import Merkle
import Testing

/// A made-up log whose every stored value is a function of indices and sizes, so a
/// store can be checked whole against it at any size. Hashes are patterned bytes, not
/// SHA-256: the store treats them as opaque. Its endorsement ledger is made up the same
/// way, with its own hashes, and grows independently of the certificate tree.
enum SyntheticLog {
    /// Tells the two trees' hashes apart.
    enum Tree: UInt8 {
        case certificates = 0xa5
        case ledger = 0x1e
    }

    /// The hash at `position` of tree level 8 * `tileLevel` (tile level 0: leaf hashes).
    static func hash(tileLevel: Int, position: UInt64, of tree: Tree = .certificates) -> Hash {
        Hash([UInt8(tileLevel), tree.rawValue] + bigEndian(position) + [UInt8](repeating: UInt8(tileLevel) ^ 0x5a, count: 22))
    }

    static func leafHash(_ index: UInt64) -> Hash { hash(tileLevel: 0, position: index) }

    static func dedupKey(_ index: UInt64) -> [UInt8] { [0xdd] + bigEndian(index) + [UInt8](repeating: 0xdd, count: 23) }

    /// TileLeaf stand-in of varying length.
    static func tileLeaf(_ index: UInt64) -> [UInt8] {
        bigEndian(index) + [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: Int(index % 50))
    }

    static func entryTimestamp(_ index: UInt64) -> UInt64 { 1_700_000_000_000 + index }

    static func entry(_ index: UInt64) -> SequencedEntry {
        SequencedEntry(
            index: index, leafHash: leafHash(index), dedupKey: dedupKey(index),
            timestamp: entryTimestamp(index), tileLeaf: tileLeaf(index))
    }

    static func head(size: UInt64) -> StoredTreeHead {
        StoredTreeHead(
            treeSize: size, timestamp: entryTimestamp(size),
            rootHash: hash(tileLevel: 7, position: size), signature: [0x04, 0x03] + bigEndian(size))
    }

    /// The contents of `id` in a tree of `size` leaves.
    static func tile(_ id: TileID, size: UInt64, of tree: Tree = .certificates) -> [Hash] {
        let first = id.index * UInt64(TileID.width)
        return (0..<UInt64(id.width(inTreeOfSize: size))).map { hash(tileLevel: id.level, position: first + $0, of: tree) }
    }

    /// The changed tiles of `tree` grown from `oldSize` to `newSize`, with their contents.
    static func tiles(from oldSize: UInt64, to newSize: UInt64, of tree: Tree = .certificates) -> [TileID: [Hash]] {
        Dictionary(uniqueKeysWithValues: changedTiles(from: oldSize, to: newSize).map { ($0, tile($0, size: newSize, of: tree)) })
    }

    /// The tiles that differ between trees of `oldSize` and `newSize` leaves.
    static func changedTiles(from oldSize: UInt64, to newSize: UInt64) -> [TileID] {
        var ids: [TileID] = []
        for level in 0..<8 {
            let oldCount = oldSize >> UInt64(TileID.height * level)
            let newCount = newSize >> UInt64(TileID.height * level)
            guard newCount > oldCount else { continue }
            let width = UInt64(TileID.width)
            ids += (oldCount / width...(newCount - 1) / width).map { TileID(level: level, index: $0) }
        }
        return ids
    }

    /// Every tile of a tree of `size` leaves.
    static func allTiles(size: UInt64) -> [TileID] { changedTiles(from: 0, to: size) }

    /// The batch a sequencer would commit to grow the log from `oldSize` to `newSize`, and
    /// its ledger from `ledger.from` to `ledger.to` when given.
    static func batch(from oldSize: UInt64, to newSize: UInt64, issuers: [[UInt8]: [UInt8]] = [:],
                      ledger: (from: UInt64, to: UInt64)? = nil) -> SequencedBatch {
        SequencedBatch(
            entries: (oldSize..<newSize).map(entry), issuers: issuers, tiles: tiles(from: oldSize, to: newSize),
            treeHead: head(size: newSize), ledger: ledger.map { ledgerBatch(from: $0.from, to: $0.to) })
    }

    static func ledgerLeafHash(_ index: UInt64) -> Hash { hash(tileLevel: 0, position: index, of: .ledger) }

    /// Ledger entry stand-in of varying length.
    static func ledgerBytes(_ index: UInt64) -> [UInt8] {
        [0x1e] + bigEndian(index) + [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: Int(index % 30))
    }

    static func ledgerEntry(_ index: UInt64) -> LedgerEntry {
        LedgerEntry(index: index, leafHash: ledgerLeafHash(index), bytes: ledgerBytes(index))
    }

    /// The ledger head at `size`; its timestamp grows with the size, never with the tree's.
    static func ledgerHead(size: UInt64) -> StoredTreeHead {
        StoredTreeHead(
            treeSize: size, timestamp: entryTimestamp(size),
            rootHash: hash(tileLevel: 7, position: size, of: .ledger), signature: [0x1e] + bigEndian(size))
    }

    /// What a batch adds to grow the ledger from `oldSize` to `newSize` entries.
    static func ledgerBatch(from oldSize: UInt64, to newSize: UInt64) -> LedgerBatch {
        LedgerBatch(
            entries: (oldSize..<newSize).map(ledgerEntry), tiles: tiles(from: oldSize, to: newSize, of: .ledger),
            head: ledgerHead(size: newSize))
    }

    /// Every index of a small log; of a large one the first and last 1024 and every 97th.
    static func indicesToCheck(size: UInt64) -> [UInt64] {
        guard size > 4096 else { return Array(0..<size) }
        return Array(0..<1024) + Array(stride(from: 1024, to: size - 1024, by: 97)) + Array(size - 1024..<size)
    }

    /// Checks everything `store` serves against the synthetic log at the store's size
    /// and returns that size. Nothing may be readable past the head. Index lookups of a
    /// large log are sampled.
    @discardableResult
    static func verify(_ store: LevelDBStorage, sourceLocation: SourceLocation = #_sourceLocation) async throws -> UInt64 {
        let head = try await store.treeHead()
        let size = head?.treeSize ?? 0
        if let head { #expect(head == self.head(size: size), sourceLocation: sourceLocation) }
        let entries = try await store.entries(from: 0, count: Int(size) + 10)
        #expect(entries.count == Int(size), "\(entries.count) entries readable at tree size \(size)", sourceLocation: sourceLocation)
        if let wrong = entries.indices.first(where: { entries[$0] != tileLeaf(UInt64($0)) }) {
            Issue.record("entry \(wrong) is not the one committed", sourceLocation: sourceLocation)
        }
        for index in indicesToCheck(size: size) {
            let leafIndex = try await store.leafIndex(forLeafHash: leafHash(index))
            let dedup = try await store.dedupRecord(forKey: dedupKey(index))
            #expect(leafIndex == index, sourceLocation: sourceLocation)
            #expect(dedup == DedupRecord(index: index, timestamp: entryTimestamp(index)), sourceLocation: sourceLocation)
        }
        #expect(try await store.leafIndex(forLeafHash: leafHash(size)) == nil, sourceLocation: sourceLocation)
        #expect(try await store.dedupRecord(forKey: dedupKey(size)) == nil, sourceLocation: sourceLocation)
        let ids = allTiles(size: size)
        let tiles = try await store.tiles(ids + [TileID(level: 0, index: (size + 255) / 256)])
        #expect(tiles.count == ids.count, "tiles at size \(size)", sourceLocation: sourceLocation)
        for id in ids {
            #expect(tiles[id] == tile(id, size: size), "\(id) at size \(size)", sourceLocation: sourceLocation)
        }
        try await verifyLedger(store, sourceLocation: sourceLocation)
        return size
    }

    /// Checks the ledger `store` serves against the synthetic ledger at the store's ledger
    /// size and returns that size (0 without a ledger head). Nothing may be readable past it.
    @discardableResult
    static func verifyLedger(_ store: LevelDBStorage, sourceLocation: SourceLocation = #_sourceLocation) async throws -> UInt64 {
        let head = try await store.ledgerHead()
        let size = head?.treeSize ?? 0
        if let head { #expect(head == ledgerHead(size: size), sourceLocation: sourceLocation) }
        let entries = try await store.ledgerEntries(from: 0, count: Int(size) + 10)
        #expect(entries == (0..<size).map(ledgerBytes), "ledger entries at ledger size \(size)", sourceLocation: sourceLocation)
        for index in indicesToCheck(size: size) + [size] {
            let want = index < size ? index : nil
            #expect(try await store.ledgerIndex(forLeafHash: ledgerLeafHash(index)) == want, sourceLocation: sourceLocation)
        }
        let ids = allTiles(size: size)
        let tiles = try await store.ledgerTiles(ids + [TileID(level: 0, index: (size + 255) / 256)])
        #expect(tiles == Dictionary(uniqueKeysWithValues: ids.map { ($0, tile($0, size: size, of: .ledger)) }),
                "ledger tiles at ledger size \(size)", sourceLocation: sourceLocation)
        return size
    }
}
