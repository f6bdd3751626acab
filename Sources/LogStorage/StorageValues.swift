import LogCore
import Merkle

/// Encodings of the stored values (Specs/storage.md, "Key layout"). Decoders throw
/// `.corrupted` for bytes this build could not have written.
enum StorageValues {
    /// `format version u32`.
    static func encode(version: UInt32) -> [UInt8] {
        Array(bigEndian(UInt64(version)).suffix(4))
    }

    static func version(_ bytes: [UInt8]) throws -> UInt32 {
        guard bytes.count == 4 else { throw corrupted("format version of \(bytes.count) bytes, want 4") }
        return UInt32(uint64(bytes[...]))
    }

    /// `tree size u64 | timestamp u64 | root hash (32) | signature (the rest)`.
    static func encode(_ head: StoredTreeHead) -> [UInt8] {
        bigEndian(head.treeSize) + bigEndian(head.timestamp) + head.rootHash.bytes + head.signature
    }

    /// Decodes the head of the tree `name` names in messages ("tree" or "ledger").
    static func treeHead(_ bytes: [UInt8], of name: String) throws -> StoredTreeHead {
        guard bytes.count >= 48 else { throw corrupted("\(name) head of \(bytes.count) bytes, want at least 48") }
        return StoredTreeHead(
            treeSize: uint64(bytes[0..<8]), timestamp: uint64(bytes[8..<16]),
            rootHash: Hash(Array(bytes[16..<48])), signature: Array(bytes[48...]))
    }

    /// `hash 0 | hash 1 | ...`: a tile's hashes, 32 bytes each.
    static func encode(tile: [Hash]) -> [UInt8] {
        Hash.concatenation(of: tile)
    }

    /// Decodes tile `id` of the tree `name` names in messages.
    static func tile(_ bytes: UnsafeRawBufferPointer, _ id: TileID, of name: String) throws -> [Hash] {
        guard !bytes.isEmpty, bytes.count % 32 == 0, bytes.count <= 32 * TileID.width else {
            throw corrupted("\(name) \(id) of \(bytes.count) bytes, want a positive multiple of 32 up to \(32 * TileID.width)")
        }
        return Hash.split(bytes)
    }

    /// Decodes the inner nodes of level-0 tile `index`: exactly `TiledProofs.innerNodeCount` hashes.
    static func tileInnerNodes(_ bytes: UnsafeRawBufferPointer, _ index: UInt64) throws -> [Hash] {
        guard bytes.count == 32 * TiledProofs.innerNodeCount else {
            throw corrupted("inner nodes of tile 0/\(index) of \(bytes.count) bytes, want \(32 * TiledProofs.innerNodeCount)")
        }
        return Hash.split(bytes)
    }

    /// `index u64`: a leaf hash's entry, in either tree.
    static func encode(index: UInt64) -> [UInt8] {
        bigEndian(index)
    }

    static func index(_ bytes: [UInt8]) throws -> UInt64 {
        guard bytes.count == 8 else { throw corrupted("leaf index of \(bytes.count) bytes, want 8") }
        return uint64(bytes[...])
    }

    /// `index u64 | timestamp u64`.
    static func encode(_ record: DedupRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        appendBigEndian(record.index, to: &bytes)
        appendBigEndian(record.timestamp, to: &bytes)
        return bytes
    }

    static func dedupRecord(_ bytes: [UInt8]) throws -> DedupRecord {
        guard bytes.count == 16 else { throw corrupted("dedup record of \(bytes.count) bytes, want 16") }
        return DedupRecord(index: uint64(bytes[0..<8]), timestamp: uint64(bytes[8..<16]))
    }

    /// The 8 big-endian bytes of `value`.
    static func bigEndian(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8)
        appendBigEndian(value, to: &bytes)
        return bytes
    }

    /// Appends `value`'s 8 bytes, most significant first.
    static func appendBigEndian(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// The big-endian number in `bytes` (at most 8 of them).
    static func uint64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        precondition(bytes.count <= 8, "\(bytes.count) bytes do not fit a UInt64")
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func corrupted(_ message: String) -> StorageError {
        StorageError(.corrupted, "stored \(message)")
    }
}
