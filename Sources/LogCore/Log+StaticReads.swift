import LogFormat
import Merkle
import PKI

/// The static-ct-api read side (Specs/log-api.md, "Static monitoring API"): the same stored
/// tree head and tiles as the RFC 6962 API, in the tlog-tiles encoding.
extension Log {
    /// Reads the static-ct-api assets of this log's storage.
    public var staticReader: StaticTreeReader {
        StaticTreeReader(storage: storage, origin: configuration.origin, logID: logID)
    }

    /// The signed checkpoint of the tree head the log serves now: the same size, root,
    /// timestamp and signature as get-sth.
    public func checkpoint() throws -> String {
        try staticReader.checkpoint(of: treeHead)
    }

    /// The hashes of tile `id`, `width` wide (256 for a full tile). `.notFound` unless the tree the
    /// log serves holds at least that many hashes in the tile.
    public func hashTile(_ id: TileID, width: Int) async throws -> [Hash] {
        try await staticReader.hashTile(id, width: width, treeSize: treeHead.treeSize)
    }

    /// Data tile `index`, `width` entries wide: their TileLeaf encodings, concatenated.
    public func dataTile(index: UInt64, width: Int) async throws -> [UInt8] {
        try await staticReader.dataTile(index: index, width: width, treeSize: treeHead.treeSize)
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
}
