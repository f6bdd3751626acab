import LogFormat
import Merkle
import PKI

/// The static-ct-api view of a stored tree (Specs/log-api.md, "Static monitoring API"):
/// checkpoints, hash tiles, data tiles and issuers read straight from `LogStorage`.
/// The serving log and the exporter share it, so both produce the same bytes.
public struct StaticTreeReader: Sendable {
    let storage: any LogStorage
    /// The checkpoint origin line and signature key name.
    public let origin: String
    /// SHA-256 of the log key's SubjectPublicKeyInfo.
    public let logID: [UInt8]

    public init(storage: any LogStorage, origin: String, logID: [UInt8]) {
        self.storage = storage
        self.origin = origin
        self.logID = logID
    }

    /// The signed checkpoint of `head`: the same size, root, timestamp and signature as get-sth.
    public func checkpoint(of head: StoredTreeHead) throws -> String {
        let signature: DigitallySigned
        do {
            signature = try DigitallySigned(parsing: head.signature)
        } catch {
            throw LogError.internalError("the stored tree head signature does not parse: \(error)")
        }
        let sth = SignedTreeHead(head: TreeHead(treeSize: head.treeSize, timestamp: head.timestamp, rootHash: head.rootHash),
                                 signature: signature)
        return RFC6962NoteSignature.checkpoint(origin: origin, sth: sth, logID: logID)
    }

    /// The first `width` hashes of tile `id` in the tree of `treeSize` leaves. `.notFound` unless
    /// that tree holds at least `width` hashes in the tile.
    public func hashTile(_ id: TileID, width: Int, treeSize: UInt64) async throws -> [Hash] {
        try Self.checkWidth(id, width: width, treeSize: treeSize)
        let stored: [TileID: [Hash]]
        do {
            stored = try await storage.tiles([id])
        } catch {
            throw LogError.internalError("cannot read \(id): \(error)")
        }
        guard let hashes = stored[id], hashes.count >= width else {
            throw LogError.internalError("\(id) is missing from storage or shorter than \(width)")
        }
        return Array(hashes.prefix(width))
    }

    /// Data tile `index`, `width` entries wide, in the tree of `treeSize` leaves: the entries'
    /// TileLeaf encodings, concatenated.
    public func dataTile(index: UInt64, width: Int, treeSize: UInt64) async throws -> [UInt8] {
        try Self.checkWidth(TileID(level: 0, index: index), width: width, treeSize: treeSize)
        let entries: [[UInt8]]
        do {
            entries = try await storage.entries(from: index * UInt64(TileID.width), count: width)
        } catch {
            throw LogError.internalError("cannot read entries: \(error)")
        }
        guard entries.count == width else {
            throw LogError.internalError("data tile \(index): \(entries.count) entries stored, want \(width)")
        }
        return Array(entries.joined())
    }

    /// The issuer certificates (DER) stored under these SHA-256 fingerprints; unknown ones are absent.
    public func issuers(_ fingerprints: [[UInt8]]) async throws -> [[UInt8]: [UInt8]] {
        do {
            return try await storage.issuers(fingerprints)
        } catch {
            throw LogError.internalError("cannot read issuers: \(error)")
        }
    }

    static func checkWidth(_ id: TileID, width: Int, treeSize: UInt64) throws {
        let available = id.width(inTreeOfSize: treeSize)
        guard width <= available else {
            throw LogError.notFound("\(id) holds \(available) hashes in the tree of size \(treeSize), not \(width)")
        }
    }
}
