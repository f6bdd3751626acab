import LogFormat
import Merkle
import PKI

/// Verifies a log's storage end to end, from the entries up: every entry's leaf hash, its
/// leaf_index extension, the leaf-hash and dedup indexes, the issuers, every stored tile, the
/// root and the tree head signature. Used by `vigil-log check` and by tests after every operation.
public struct LogChecker: Sendable {
    /// What a check found.
    public struct Report: Sendable {
        public var treeSize: UInt64 = 0
        public var entriesChecked: UInt64 = 0
        public var tilesChecked = 0
        /// Every inconsistency, in the order found (at most `maxProblems`).
        public var problems: [String] = []
        public var isConsistent: Bool { problems.isEmpty }
    }

    public let storage: any LogStorage
    /// The key the tree head must verify with; nil takes the public key stored with the log.
    public let publicKey: VerifyingKey?
    public let maxProblems: Int

    public init(storage: any LogStorage, publicKey: VerifyingKey? = nil, maxProblems: Int = 50) {
        self.storage = storage
        self.publicKey = publicKey
        self.maxProblems = maxProblems
    }

    /// Reads the whole log once, 256 entries at a time; memory stays O(log n) whatever the size.
    public func run() async throws -> Report {
        var report = Report()
        guard let head = try await storage.treeHead() else {
            report.problems.append("no tree head is stored")
            return report
        }
        report.treeSize = head.treeSize
        try await checkSignature(head, into: &report)
        var appender = TreeAppender()
        var index: UInt64 = 0
        while index < head.treeSize, report.problems.count < maxProblems {
            let count = Int(min(UInt64(TileID.width), head.treeSize - index))
            let stored = try await storage.entries(from: index, count: count)
            guard stored.count == count else {
                report.problems.append("entries from \(index): \(stored.count) stored, want \(count)")
                return report
            }
            var leafHashes: [Hash] = []
            var fingerprints = Set<[UInt8]>()
            for (offset, bytes) in stored.enumerated() {
                if let (hash, chain) = try await checkEntry(bytes, index: index + UInt64(offset), head: head, into: &report) {
                    leafHashes.append(hash)
                    fingerprints.formUnion(chain)
                }
            }
            try await checkIssuers(fingerprints, entriesFrom: index, into: &report)
            guard leafHashes.count == count else { return report }
            let changed = appender.append(leafHashes)
            try await checkTiles(changed, into: &report)
            index += UInt64(count)
        }
        report.entriesChecked = index
        if report.problems.isEmpty {
            if appender.rootHash() != head.rootHash {
                report.problems.append("entries hash to root \(appender.rootHash()), tree head says \(head.rootHash)")
            }
            if !(try await storage.entries(from: head.treeSize, count: 1)).isEmpty {
                report.problems.append("an entry is stored at index \(head.treeSize), past the tree head")
            }
        }
        return report
    }

    private func checkSignature(_ head: StoredTreeHead, into report: inout Report) async throws {
        var key = publicKey
        if key == nil, let spki = try await storage.metadata(Log.publicKeyMetadata) {
            key = try VerifyingKey(spkiDER: spki)
        }
        guard let key else {
            report.problems.append("no public key to check the tree head signature with")
            return
        }
        guard let signature = try? DigitallySigned(parsing: head.signature) else {
            report.problems.append("the stored tree head signature does not parse")
            return
        }
        let signed = SignedTreeHead(
            head: TreeHead(treeSize: head.treeSize, timestamp: head.timestamp, rootHash: head.rootHash), signature: signature)
        if !signed.verify(key: key) {
            report.problems.append("the tree head signature of size \(head.treeSize) does not verify")
        }
    }

    /// Checks one stored entry and returns its leaf hash and chain fingerprints, or nil after recording why it is broken.
    private func checkEntry(_ bytes: [UInt8], index: UInt64, head: StoredTreeHead,
                            into report: inout Report) async throws -> (Hash, [[UInt8]])? {
        guard let leaf = try? TileLeaf(parsing: bytes) else {
            report.problems.append("entry \(index) does not parse as a TileLeaf")
            return nil
        }
        let leafHash = leaf.merkleTreeLeaf.leafHash
        let extensionIndex = (try? CTExtensions(parsing: leaf.entry.extensions))?.leafIndex
        if extensionIndex != index {
            report.problems.append("entry \(index) carries leaf_index \(extensionIndex.map(String.init) ?? "none")")
        }
        if leaf.entry.timestamp > head.timestamp {
            report.problems.append("entry \(index) timestamp \(leaf.entry.timestamp) is after the tree head's \(head.timestamp)")
        }
        switch try await storage.leafIndex(forLeafHash: leafHash) {
        case index: break
        case nil: report.problems.append("leaf hash index lacks entry \(index)")
        case let indexed?: report.problems.append("leaf hash index maps entry \(index)'s hash to \(indexed)")
        }
        let dedupKey: [UInt8]
        switch leaf.entry.entry {
        case .x509(let certificate): dedupKey = Submission.dedupKey(type: .x509, leafDER: certificate)
        case .precert: dedupKey = Submission.dedupKey(type: .precert, leafDER: leaf.preCertificate ?? [])
        }
        let record = try await storage.dedupRecord(forKey: dedupKey)
        if record != DedupRecord(index: index, timestamp: leaf.entry.timestamp) {
            report.problems.append("dedup index for entry \(index) says \(record.map { "\($0.index)@\($0.timestamp)" } ?? "nothing")")
        }
        return (leafHash, leaf.chainFingerprints)
    }

    /// Every issuer the chunk's entries name must be stored and hash to its fingerprint.
    /// Read and hashed once per chunk: a log's entries share a handful of issuers.
    private func checkIssuers(_ fingerprints: Set<[UInt8]>, entriesFrom start: UInt64, into report: inout Report) async throws {
        let issuers = try await storage.issuers(Array(fingerprints))
        for fingerprint in fingerprints.sorted(by: { $0.lexicographicallyPrecedes($1) })
        where issuers[fingerprint].map(SHA256.hash) != fingerprint {
            report.problems.append(
                "entries from \(start) need issuer \(Hex.encode(fingerprint)), which is missing or corrupt")
        }
    }

    /// Every tile the recomputation produced must be a prefix of the stored tile.
    private func checkTiles(_ tiles: [TileID: [Hash]], into report: inout Report) async throws {
        let stored = try await storage.tiles(Array(tiles.keys))
        for (id, hashes) in tiles.sorted(by: { $0.key < $1.key }) {
            report.tilesChecked += 1
            guard let have = stored[id], have.count >= hashes.count, Array(have.prefix(hashes.count)) == hashes else {
                report.problems.append("\(id) differs from the tile recomputed from the entries")
                continue
            }
        }
    }
}
