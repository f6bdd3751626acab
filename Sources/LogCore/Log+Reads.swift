import LogFormat
import Merkle
import PKI

/// One entry as get-entries serves it (RFC 6962 section 4.6).
public struct LogEntry: Sendable, Equatable {
    /// The TLS-encoded MerkleTreeLeaf.
    public var leafInput: [UInt8]
    /// The X509ChainEntry or PrecertChainEntry: the chain up to and including the accepted root.
    public var extraData: [UInt8]

    public init(leafInput: [UInt8], extraData: [UInt8]) {
        self.leafInput = leafInput
        self.extraData = extraData
    }
}

extension Log {
    /// The consistency proof between tree sizes `first` and `second` (RFC 6962 section 4.4).
    /// Requires 0 < first <= second <= the current tree size.
    public func consistencyProof(first: UInt64, second: UInt64) async throws -> [Hash] {
        try await Self.consistencyProof(first: first, second: second, size: treeHead.treeSize, cache: subtrees) {
            try await proofTiles.tiles($0, treeSize: second) { try await storage.proofTiles($0) }
        }
    }

    /// The consistency proof between sizes `first` and `second` of a tree of `size` leaves whose
    /// tiles `read` returns. Requires 0 < first <= second <= size. `cache` must be that tree's.
    static func consistencyProof(first: UInt64, second: UInt64, size: UInt64, cache: SubtreeCache? = nil,
                                 read: ([TileID]) async throws -> ProofTiles) async throws -> [Hash] {
        guard first > 0 else { throw LogError.badRequest("first must be at least 1, got \(first)") }
        guard first <= second else { throw LogError.badRequest("first \(first) is larger than second \(second)") }
        guard second <= size else { throw LogError.badRequest("second \(second) is larger than the tree size \(size)") }
        if first == second { return [] }
        let tiles = try await readTiles(Array(try merkle { try TiledProofs.tilesForConsistency(oldSize: first, newSize: second) }), read)
        return try merkle {
            try TiledProofs.consistencyProof(oldSize: first, newSize: second, tiles: tiles.tiles, cache: cache, innerNodes: tiles.innerNodes)
        }
    }

    /// The index and audit path of the entry with `leafHash` in the tree of size `treeSize`
    /// (RFC 6962 section 4.5). Unknown hash: `.notFound`.
    public func proof(forLeafHash leafHash: Hash, treeSize: UInt64) async throws -> (index: UInt64, auditPath: [Hash]) {
        try checkTreeSize(treeSize)
        let proofTiles = self.proofTiles
        let found: (index: UInt64, tiles: ProofTiles)?
        do {
            // The tiles the proof will not find kept are read with the lookup, in one round of I/O.
            found = try await storage.leafIndexAndProofTiles(forLeafHash: leafHash) { index in
                guard index < treeSize, let plan = try? InclusionPlan(index: index, treeSize: treeSize) else { return [] }
                return proofTiles.missing(plan.tiles, treeSize: treeSize)
            }
        } catch {
            throw LogError.internalError("cannot read the leaf hash index or its proof's tiles: \(error)")
        }
        guard let (index, read) = found, index < treeHead.treeSize else {
            throw LogError.notFound("no entry with leaf hash \(leafHash) in this log")
        }
        guard index < treeSize else {
            throw LogError.notFound("the entry with leaf hash \(leafHash) is at index \(index), not in a tree of size \(treeSize)")
        }
        return (index, try await inclusionProof(index: index, treeSize: treeSize, read: read))
    }

    /// The audit path of entry `index` in the tree of size `treeSize`. Requires index < treeSize <= tree size.
    public func inclusionProof(index: UInt64, treeSize: UInt64) async throws -> [Hash] {
        try await inclusionProof(index: index, treeSize: treeSize, read: ProofTiles(tiles: [:]))
    }

    /// As above, with the tiles in `read` already read: only tiles neither kept nor there are read
    /// from storage.
    private func inclusionProof(index: UInt64, treeSize: UInt64, read: ProofTiles) async throws -> [Hash] {
        try await Self.inclusionProof(index: index, treeSize: treeSize, size: treeHead.treeSize, cache: subtrees) {
            try await proofTiles.tiles($0, treeSize: treeSize) { missing in
                if missing.allSatisfy({ read.tiles[$0] != nil }) { return read }
                return try await storage.proofTiles(missing)
            }
        }
    }

    /// The audit path of leaf `index` in the tree of size `treeSize`, within a tree of `size`
    /// leaves whose tiles (and stored inner nodes) `read` returns. Requires index < treeSize <= size.
    /// `cache` must be that tree's.
    static func inclusionProof(index: UInt64, treeSize: UInt64, size: UInt64, cache: SubtreeCache? = nil,
                               read: ([TileID]) async throws -> ProofTiles) async throws -> [Hash] {
        try checkTreeSize(treeSize, size: size)
        guard index < treeSize else { throw LogError.badRequest("leaf_index \(index) is not below tree_size \(treeSize)") }
        let plan = try merkle { try InclusionPlan(index: index, treeSize: treeSize) }
        let tiles = try await readTiles(plan.tiles, read)
        return try merkle { try plan.proof(tiles: tiles.tiles, cache: cache, innerNodes: tiles.innerNodes) }
    }

    /// Entries `start...end`, clamped to the tree and to `maxGetEntries` (RFC 6962 section 4.6):
    /// never more than asked, at least one when `start` is inside the tree.
    public func entries(start: UInt64, end: UInt64) async throws -> [LogEntry] {
        let size = treeHead.treeSize
        guard start <= end else { throw LogError.badRequest("start \(start) is larger than end \(end)") }
        guard start < size else { throw LogError.badRequest("start \(start) is not below the tree size \(size)") }
        let last = min(end, size - 1, start + UInt64(configuration.maxGetEntries) - 1)
        let count = Int(last - start + 1)
        let stored: [[UInt8]]
        do {
            stored = try await storage.entries(from: start, count: count)
        } catch {
            throw LogError.internalError("cannot read entries: \(error)")
        }
        guard stored.count == count else {
            throw LogError.internalError("storage returned \(stored.count) entries from \(start), want \(count)")
        }
        let leaves = try stored.map { bytes in
            do { return try TileLeaf(parsing: bytes) } catch {
                throw LogError.internalError("a stored entry does not parse: \(error)")
            }
        }
        let issuers = try await loadIssuers(Array(Set(leaves.flatMap(\.chainFingerprints))))
        return try leaves.map { leaf in
            let chain = try leaf.chainFingerprints.map { fingerprint in
                guard let der = issuers[fingerprint] else {
                    throw LogError.internalError("issuer \(Hex.encode(fingerprint)) is missing from storage")
                }
                return der
            }
            let extraData: [UInt8]
            if let preCertificate = leaf.preCertificate {
                extraData = ExtraData.precert(preCertificate: preCertificate, chain: chain)
            } else {
                extraData = ExtraData.x509(chain: chain)
            }
            return LogEntry(leafInput: leaf.merkleTreeLeaf.encoded, extraData: extraData)
        }
    }

    /// Entry `index` and its audit path in the tree of size `treeSize` (RFC 6962 section 4.8).
    public func entryAndProof(index: UInt64, treeSize: UInt64) async throws -> (entry: LogEntry, auditPath: [Hash]) {
        let proof = try await inclusionProof(index: index, treeSize: treeSize)
        guard let entry = try await entries(start: index, end: index).first else {
            throw LogError.internalError("entry \(index) is missing")
        }
        return (entry, proof)
    }

    private func checkTreeSize(_ treeSize: UInt64) throws {
        try Self.checkTreeSize(treeSize, size: treeHead.treeSize)
    }

    static func checkTreeSize(_ treeSize: UInt64, size: UInt64) throws {
        guard treeSize > 0 else { throw LogError.badRequest("tree_size must be at least 1, got 0") }
        guard treeSize <= size else { throw LogError.badRequest("tree_size \(treeSize) is larger than the tree size \(size)") }
    }

    private static func readTiles(_ ids: [TileID], _ read: ([TileID]) async throws -> ProofTiles) async throws -> ProofTiles {
        do {
            return try await read(ids)
        } catch {
            throw LogError.internalError("cannot read tiles: \(error)")
        }
    }

    private func loadIssuers(_ fingerprints: [[UInt8]]) async throws -> [[UInt8]: [UInt8]] {
        do {
            return try await issuerCache.issuers(fingerprints) { try await storage.issuers($0) }
        } catch {
            throw LogError.internalError("cannot read issuers: \(error)")
        }
    }

    /// Runs tile maths on stored tiles: a failure here means storage is inconsistent.
    private static func merkle<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            throw LogError.internalError("the stored tree is inconsistent: \(error)")
        }
    }
}
