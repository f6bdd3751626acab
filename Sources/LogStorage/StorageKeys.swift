import Merkle

/// The LevelDB key layout of a log (Specs/storage.md, "Key layout"). Every key starts
/// with a one-byte table tag so tables never interleave and a range scan stays inside
/// one; integers are big-endian so byte order is numeric order.
enum StorageKeys {
    /// The first byte of every key.
    enum Table: UInt8 {
        case format = 0x00
        case treeHead = 0x01
        case tile = 0x10
        case entry = 0x11
        case leafHash = 0x12
        case dedup = 0x13
        case issuer = 0x14
        case tileInnerNodes = 0x15
        case metadata = 0x20
        case ledgerHead = 0x30
        case ledgerTile = 0x31
        case ledgerEntry = 0x32
        case ledgerLeafHash = 0x33
    }

    /// The tables of one Merkle tree. The certificate tree and the endorsement ledger are
    /// laid out alike, each under its own tags.
    struct Tree {
        let headTable: Table
        let tileTable: Table
        let entryTable: Table
        let leafHashTable: Table
        /// Names the tree in messages.
        let name: String

        /// `01`, `10`, `11`, `12`.
        static let certificates = Tree(
            headTable: .treeHead, tileTable: .tile, entryTable: .entry, leafHashTable: .leafHash, name: "tree")
        /// `30`, `31`, `32`, `33`.
        static let ledger = Tree(
            headTable: .ledgerHead, tileTable: .ledgerTile, entryTable: .ledgerEntry, leafHashTable: .ledgerLeafHash,
            name: "ledger")

        /// `head tag`: the latest committed head.
        var head: [UInt8] { [headTable.rawValue] }

        /// `tile tag | level u8 | index u64`.
        func tile(_ id: TileID) -> [UInt8] {
            StorageKeys.key(tileTable, 9) { key in
                key.append(UInt8(id.level))
                StorageValues.appendBigEndian(id.index, to: &key)
            }
        }

        /// `entry tag | index u64`.
        func entry(_ index: UInt64) -> [UInt8] {
            StorageKeys.key(entryTable, 8) { StorageValues.appendBigEndian(index, to: &$0) }
        }

        /// The index in an entry key of this tree, or nil when `key` is not one.
        func entryIndex(_ key: [UInt8]) -> UInt64? {
            guard key.count == 9, key[0] == entryTable.rawValue else { return nil }
            return StorageValues.uint64(key[1...])
        }

        /// `leaf-hash tag | leaf hash (32)`.
        func leafHash(_ hash: Hash) -> [UInt8] {
            StorageKeys.key(leafHashTable, 32) { key in hash.withUnsafeBytes { key.append(contentsOf: $0) } }
        }
    }

    /// The format version this build reads and writes.
    static let formatVersion: UInt32 = 1

    /// `00`: the store's format version.
    static let format: [UInt8] = [Table.format.rawValue]

    /// `13 | dedup key (32)`.
    static func dedup(_ key: [UInt8]) -> [UInt8] {
        StorageKeys.key(.dedup, key.count) { $0.append(contentsOf: key) }
    }

    /// `15 | level-0 tile index u64`: the inner nodes of a full level-0 tile of the certificate tree.
    static func tileInnerNodes(_ index: UInt64) -> [UInt8] {
        key(.tileInnerNodes, 8) { StorageValues.appendBigEndian(index, to: &$0) }
    }

    /// `14 | SHA-256 fingerprint (32)`.
    static func issuer(_ fingerprint: [UInt8]) -> [UInt8] {
        key(.issuer, fingerprint.count) { $0.append(contentsOf: fingerprint) }
    }

    /// `table`'s tag followed by what `write` appends (`count` bytes), in one allocation: keys
    /// are made for every read and for several writes of every entry, and `[tag] + bytes`
    /// allocated the literal, the bytes and the sum.
    private static func key(_ table: Table, _ count: Int, _ write: (inout [UInt8]) -> Void) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(1 + count)
        key.append(table.rawValue)
        write(&key)
        return key
    }

    /// `20 | UTF-8 name`.
    static func metadata(_ name: String) -> [UInt8] {
        key(.metadata, name.utf8.count) { $0.append(contentsOf: name.utf8) }
    }
}
