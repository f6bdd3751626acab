import LogFormat
import Merkle
import PKI

/// The static-ct-api read side (Specs/log-api.md, "Static monitoring API"): the same stored
/// tree head and tiles as the RFC 6962 API, in the tlog-tiles encoding.
extension Log {
    /// The signed checkpoint of the tree head the log serves now: the same size, root,
    /// timestamp and signature as get-sth.
    public func checkpoint() throws -> String {
        let head = treeHead
        let signature: DigitallySigned
        do {
            signature = try DigitallySigned(parsing: head.signature)
        } catch {
            throw LogError.internalError("the stored tree head signature does not parse: \(error)")
        }
        let sth = SignedTreeHead(head: TreeHead(treeSize: head.treeSize, timestamp: head.timestamp, rootHash: head.rootHash),
                                 signature: signature)
        return RFC6962NoteSignature.checkpoint(origin: configuration.origin, sth: sth, logID: logID)
    }

    /// The hashes of tile `id`, `width` wide (256 for a full tile). `.notFound` unless the tree the
    /// log serves holds at least that many hashes in the tile.
    public func hashTile(_ id: TileID, width: Int) async throws -> [Hash] {
        try checkTileWidth(id, width: width)
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

    /// Data tile `index`, `width` entries wide: their TileLeaf encodings, concatenated.
    public func dataTile(index: UInt64, width: Int) async throws -> [UInt8] {
        try checkTileWidth(TileID(level: 0, index: index), width: width)
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

    /// The issuer certificate (DER) with this SHA-256 fingerprint, if any entry's chain holds it.
    public func issuer(fingerprint: [UInt8]) async throws -> [UInt8] {
        let found: [[UInt8]: [UInt8]]
        do {
            found = try await issuerCache.issuers([fingerprint]) { try await storage.issuers($0) }
        } catch {
            throw LogError.internalError("cannot read issuers: \(error)")
        }
        guard let der = found[fingerprint] else {
            throw LogError.notFound("no issuer with fingerprint \(Hex.encode(fingerprint))")
        }
        return der
    }

    private func checkTileWidth(_ id: TileID, width: Int) throws {
        let available = id.width(inTreeOfSize: treeHead.treeSize)
        guard width <= available else {
            throw LogError.notFound("\(id) holds \(available) hashes in the tree of size \(treeHead.treeSize), not \(width)")
        }
    }
}
