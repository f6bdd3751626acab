import LogFormat
import Merkle

extension StaticLogClient {
    /// Reads every data tile of the tree `checkpoint` signs, from the tile holding `startIndex`
    /// to the right edge, and proves each entry belongs to it:
    ///
    /// 1. the right-edge hash tiles of every level must hash to the checkpoint's root;
    /// 2. each full hash tile must hash to its entry in the (proven) tile one level up;
    /// 3. each entry's RFC 6962 leaf hash must equal its hash in the (proven) level-0 tile, and
    ///    its `leaf_index` extension must name its index;
    /// 4. with `checkIssuers`, every issuer an entry names is fetched once and must hash to its
    ///    fingerprint.
    ///
    /// Entries from `startIndex` on are handed to `onEntries` one tile at a time, in order, each
    /// batch only after it is proven. Memory stays a few tiles per level whatever the log's size.
    /// Throws `.badTile` or `.badIssuer` naming the first mismatch, and the fetch errors.
    public func verifyAll(
        _ checkpoint: VerifiedCheckpoint, from startIndex: UInt64 = 0, checkIssuers: Bool = false,
        onEntries: ([TileEntry]) async throws -> Void = { _ in }
    ) async throws -> LogVerification {
        let size = checkpoint.treeSize
        var tiles = try await ProvenTiles(treeSize: size, rootHash: checkpoint.rootHash) { id, width in
            try await hashTile(id, width: width)
        }
        var issuers = Set<[UInt8]>()
        let width = UInt64(TileID.width)
        for tile in min(startIndex, size) / width..<(size + width - 1) / width {
            let id = TileID(level: 0, index: tile)
            async let leaves = dataTile(index: tile, width: id.width(inTreeOfSize: size))
            let hashes = try await tiles.hashes(of: id)
            let entries = try await leaves.enumerated().map { offset, leaf in
                try Self.proven(TileEntry(index: tile * width + UInt64(offset), leaf: leaf), hash: hashes[offset])
            }
            if checkIssuers {
                for fingerprint in entries.flatMap(\.leaf.chainFingerprints) where !issuers.contains(fingerprint) {
                    _ = try await issuer(fingerprint: fingerprint)
                    issuers.insert(fingerprint)
                }
            }
            try await onEntries(entries.filter { $0.index >= startIndex })
        }
        return LogVerification(treeSize: size, rootHash: checkpoint.rootHash, entries: size - min(startIndex, size),
                               issuers: checkIssuers ? issuers.count : nil)
    }

    /// Checks an entry against its proven level-0 hash and its own leaf_index extension.
    private static func proven(_ entry: TileEntry, hash: Hash) throws -> TileEntry {
        let tile = entry.index / UInt64(TileID.width)
        guard entry.leafHash == hash else {
            throw LogClientError(.badTile, "entry \(entry.index) in data tile \(tile) has leaf hash \(entry.leafHash), "
                + "its level-0 hash tile says \(hash)")
        }
        let named = (try? CTExtensions(parsing: entry.leaf.entry.extensions))?.leafIndex
        guard named == entry.index else {
            throw LogClientError(.badTile, "entry \(entry.index) in data tile \(tile) carries leaf_index \(named.map(String.init) ?? "none")")
        }
        return entry
    }
}
