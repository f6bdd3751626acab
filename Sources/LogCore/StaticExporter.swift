import LogFormat
import Merkle
import PKI

/// Writes a log's static-ct-api tree as plain files a web server or object store can serve
/// without the log (Specs/log-api.md, "Static export"): every hash tile, data tile and issuer the
/// tree holds, then the checkpoint.
///
/// Export is incremental: it starts from the tree size of the checkpoint already in the sink, writes
/// the tiles that grew since, and writes the checkpoint last, so a reader never sees a checkpoint
/// whose tiles are missing. Full tiles are immutable: one already in the sink is never rewritten.
public struct StaticExporter: Sendable {
    public struct Report: Sendable, Equatable {
        public var treeSize: UInt64 = 0
        public var hashTiles = 0
        public var dataTiles = 0
        public var issuers = 0

        public init(treeSize: UInt64 = 0, hashTiles: Int = 0, dataTiles: Int = 0, issuers: Int = 0) {
            self.treeSize = treeSize
            self.hashTiles = hashTiles
            self.dataTiles = dataTiles
            self.issuers = issuers
        }
    }

    public let reader: StaticTreeReader
    public let sink: any StaticSink

    public init(reader: StaticTreeReader, sink: any StaticSink) {
        self.reader = reader
        self.sink = sink
    }

    /// The tree size of the checkpoint in the sink, or 0 when there is none. Throws if that
    /// checkpoint belongs to another origin.
    public func exportedTreeSize() async throws -> UInt64 {
        guard let bytes = try await sink.read("checkpoint") else { return 0 }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(text: SignedNote(parsing: String(decoding: bytes, as: UTF8.self)).text)
        } catch {
            throw LogError.internalError("the exported checkpoint does not parse: \(error)")
        }
        guard checkpoint.origin == reader.origin else {
            throw LogError.internalError(
                "the export folder holds the log \"\(checkpoint.origin)\", not \"\(reader.origin)\"")
        }
        return checkpoint.treeSize
    }

    /// Brings the sink up to `head`: the tiles and issuers added since its checkpoint, then the
    /// checkpoint of `head`. Throws, leaving the old checkpoint in place, if anything fails.
    @discardableResult
    public func export(head: StoredTreeHead) async throws -> Report {
        let previous = try await exportedTreeSize()
        guard previous <= head.treeSize else {
            throw LogError.internalError(
                "the export folder holds a tree of size \(previous), larger than the log's \(head.treeSize)")
        }
        var report = Report(treeSize: head.treeSize)
        var level = 0
        while Self.hashCount(level: level, treeSize: head.treeSize) > 0 {
            for id in try await changedTiles(level: level, from: previous, to: head.treeSize) {
                let width = id.width(inTreeOfSize: head.treeSize)
                let hashes = try await reader.hashTile(id, width: width, treeSize: head.treeSize)
                try await sink.write(path(.hashes(level: level), id: id, width: width), Hash.concatenation(of: hashes))
                report.hashTiles += 1
                if level == 0 {
                    report.issuers += try await exportDataTile(id, width: width, treeSize: head.treeSize)
                    report.dataTiles += 1
                }
            }
            level += 1
        }
        try await sink.write("checkpoint", Array(reader.checkpoint(of: head).utf8))
        return report
    }

    /// Writes data tile `id.index` and any issuer its entries name that the sink lacks; returns
    /// how many issuers it wrote.
    private func exportDataTile(_ id: TileID, width: Int, treeSize: UInt64) async throws -> Int {
        let tile = try await reader.dataTile(index: id.index, width: width, treeSize: treeSize)
        try await sink.write(path(.data, id: id, width: width), tile)
        let leaves: [TileLeaf]
        do {
            leaves = try TileLeaf.parseAll(tile)
        } catch {
            throw LogError.internalError("stored data tile \(id.index) does not parse: \(error)")
        }
        var missing: [[UInt8]] = []
        for fingerprint in Set(leaves.flatMap(\.chainFingerprints)) where try await !sink.exists(Self.issuerPath(fingerprint)) {
            missing.append(fingerprint)
        }
        guard !missing.isEmpty else { return 0 }
        let found = try await reader.issuers(missing)
        for fingerprint in missing {
            guard let der = found[fingerprint] else {
                throw LogError.internalError("data tile \(id.index) names issuer \(Hex.encode(fingerprint)), which is not stored")
            }
            try await sink.write(Self.issuerPath(fingerprint), der)
        }
        return missing.count
    }

    /// The tiles of `level` that differ between the trees of `old` and `new` leaves: the one that
    /// was partial (or next) at `old`, if it grew, and every later one, skipping full tiles the sink
    /// already holds.
    private func changedTiles(level: Int, from old: UInt64, to new: UInt64) async throws -> [TileID] {
        let width = UInt64(TileID.width)
        let first = Self.hashCount(level: level, treeSize: old) / width
        let end = (Self.hashCount(level: level, treeSize: new) + width - 1) / width
        var ids: [TileID] = []
        for index in first ..< max(first, end) {
            let id = TileID(level: level, index: index)
            let width = id.width(inTreeOfSize: new)
            if width == id.width(inTreeOfSize: old) { continue }  // unchanged since the last export
            if width < TileID.width { ids.append(id); continue }
            if try await !isExported(id) { ids.append(id) }
        }
        return ids
    }

    /// Whether the sink holds full tile `id` (and, at level 0, its data tile).
    private func isExported(_ id: TileID) async throws -> Bool {
        guard try await sink.exists(path(.hashes(level: id.level), id: id, width: TileID.width)) else { return false }
        if id.level > 0 { return true }
        return try await sink.exists(path(.data, id: id, width: TileID.width))
    }

    private func path(_ kind: TilePath.Kind, id: TileID, width: Int) -> String {
        TilePath(kind: kind, index: id.index, partialWidth: width == TileID.width ? nil : width).description
    }

    static func issuerPath(_ fingerprint: [UInt8]) -> String { "issuer/" + Hex.encode(fingerprint) }

    /// How many hashes tile level `level` holds in a tree of `treeSize` leaves.
    static func hashCount(level: Int, treeSize: UInt64) -> UInt64 {
        let shift = UInt64(level * TileID.height)
        return shift >= 64 ? 0 : treeSize >> shift
    }
}
