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
        case metadata = 0x20
    }

    /// The format version this build reads and writes.
    static let formatVersion: UInt32 = 1

    /// `00`: the store's format version.
    static let format: [UInt8] = [Table.format.rawValue]

    /// `01`: the latest committed tree head.
    static let treeHead: [UInt8] = [Table.treeHead.rawValue]

    /// `10 | level u8 | index u64`.
    static func tile(_ id: TileID) -> [UInt8] {
        [Table.tile.rawValue, UInt8(id.level)] + StorageValues.bigEndian(id.index)
    }

    /// `11 | index u64`.
    static func entry(_ index: UInt64) -> [UInt8] {
        [Table.entry.rawValue] + StorageValues.bigEndian(index)
    }

    /// The index in an entry key, or nil when `key` is not an entry key.
    static func entryIndex(_ key: [UInt8]) -> UInt64? {
        guard key.count == 9, key[0] == Table.entry.rawValue else { return nil }
        return StorageValues.uint64(key[1...])
    }

    /// `12 | leaf hash (32)`.
    static func leafHash(_ hash: Hash) -> [UInt8] {
        [Table.leafHash.rawValue] + hash.bytes
    }

    /// `13 | dedup key (32)`.
    static func dedup(_ key: [UInt8]) -> [UInt8] {
        [Table.dedup.rawValue] + key
    }

    /// `14 | SHA-256 fingerprint (32)`.
    static func issuer(_ fingerprint: [UInt8]) -> [UInt8] {
        [Table.issuer.rawValue] + fingerprint
    }

    /// `20 | UTF-8 name`.
    static func metadata(_ name: String) -> [UInt8] {
        [Table.metadata.rawValue] + Array(name.utf8)
    }
}
