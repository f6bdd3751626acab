import LogFormat
import Merkle
import PKI

/// Verifies a log's storage end to end, from the entries up: every entry's leaf hash, its
/// leaf_index extension, the leaf-hash and dedup indexes, the issuers, every stored tile, the
/// root and the tree head signature; then the endorsement ledger the same way (its entries'
/// leaf hashes, its leaf-hash index, its tiles and its root). Used by `vigil-log check` and by
/// tests after every operation.
public struct LogChecker: Sendable {
    /// What a check found.
    public struct Report: Sendable {
        public var treeSize: UInt64 = 0
        public var entriesChecked: UInt64 = 0
        /// Tiles of the certificate tree checked.
        public var tilesChecked = 0
        /// The stored ledger head's size; 0 for a log without one.
        public var ledgerSize: UInt64 = 0
        public var ledgerEntriesChecked: UInt64 = 0
        public var ledgerTilesChecked = 0
        /// Every inconsistency, in the order found (at most `maxProblems`).
        public var problems: [String] = []
        public var isConsistent: Bool { problems.isEmpty }
    }

    public let storage: any LogStorage
    /// The key the tree head must verify with; nil takes the public key stored with the log.
    public let publicKey: VerifyingKey?
    public let maxProblems: Int
    /// Checks the ledger head's signature, returning why it is bad or nil when it verifies.
    /// The ledger head's signature format belongs to the endorsement ledger (Specs/endorsement.md),
    /// not to the store; nil leaves the signature unchecked and checks everything else.
    public let ledgerHeadCheck: (@Sendable (StoredTreeHead) async throws -> String?)?

    public init(storage: any LogStorage, publicKey: VerifyingKey? = nil, maxProblems: Int = 50,
                ledgerHeadCheck: (@Sendable (StoredTreeHead) async throws -> String?)? = nil) {
        self.storage = storage
        self.publicKey = publicKey
        self.maxProblems = maxProblems
        self.ledgerHeadCheck = ledgerHeadCheck
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
        let storage = self.storage
        let tree = Tree(name: "", head: head, entries: storage.entries, tiles: storage.proofTiles)
        let checked = try await walk(tree, into: &report) { stored, start, report in
            var leafHashes: [Hash] = []
            var fingerprints = Set<[UInt8]>()
            for (offset, bytes) in stored.enumerated() {
                if let (hash, chain) = try await checkEntry(bytes, index: start + UInt64(offset), head: head, into: &report) {
                    leafHashes.append(hash)
                    fingerprints.formUnion(chain)
                }
            }
            try await checkIssuers(fingerprints, entriesFrom: start, into: &report)
            return leafHashes
        }
        (report.entriesChecked, report.tilesChecked) = checked
        try await checkLedger(into: &report)
        return report
    }

    /// How to read one of the log's two trees.
    private struct Tree {
        /// Prefixes the tree's problems: empty for the certificate tree, "ledger " for the ledger.
        let name: String
        let head: StoredTreeHead
        let entries: (UInt64, Int) async throws -> [[UInt8]]
        /// The stored tiles, with the inner nodes of full level-0 tiles where the tree keeps them.
        let tiles: ([TileID]) async throws -> ProofTiles

        var headName: String { name.isEmpty ? "tree head" : "\(name)head" }
    }

    /// Reads `tree`'s entries 256 at a time, has `leafHashes` check each chunk and hash it
    /// (returning fewer hashes than entries after recording why), and checks every tile and the
    /// root recomputed from those hashes. Returns how many entries and tiles it checked.
    private func walk(
        _ tree: Tree, into report: inout Report,
        leafHashes: (_ stored: [[UInt8]], _ start: UInt64, _ report: inout Report) async throws -> [Hash]
    ) async throws -> (entries: UInt64, tiles: Int) {
        let problemsBefore = report.problems.count
        var appender = TreeAppender()
        var index: UInt64 = 0
        var tilesChecked = 0
        while index < tree.head.treeSize, report.problems.count < maxProblems {
            let count = Int(min(UInt64(TileID.width), tree.head.treeSize - index))
            let stored = try await tree.entries(index, count)
            guard stored.count == count else {
                report.problems.append("\(tree.name)entries from \(index): \(stored.count) stored, want \(count)")
                return (index, tilesChecked)
            }
            let hashes = try await leafHashes(stored, index, &report)
            guard hashes.count == count else { return (index, tilesChecked) }
            let changed = appender.append(hashes)
            tilesChecked += changed.count
            try await checkTiles(changed, of: tree, into: &report)
            index += UInt64(count)
        }
        if report.problems.count == problemsBefore {
            if appender.rootHash() != tree.head.rootHash {
                report.problems.append("\(tree.name)entries hash to root \(appender.rootHash()), \(tree.headName) says \(tree.head.rootHash)")
            }
            if !(try await tree.entries(tree.head.treeSize, 1)).isEmpty {
                report.problems.append("an entry is stored at index \(tree.head.treeSize), past the \(tree.headName)")
            }
        }
        return (index, tilesChecked)
    }

    /// Checks the endorsement ledger like the certificate tree: each entry's leaf hash against
    /// the ledger's leaf-hash index (the first index of a hash wins), the tiles and the root
    /// recomputed from the entries, nothing past the ledger head, and the head's signature when
    /// `ledgerHeadCheck` is set.
    private func checkLedger(into report: inout Report) async throws {
        guard let head = try await storage.ledgerHead() else {
            if !(try await storage.ledgerEntries(from: 0, count: 1)).isEmpty {
                report.problems.append("a ledger entry is stored at index 0 without a ledger head")
            }
            return
        }
        report.ledgerSize = head.treeSize
        if let ledgerHeadCheck, let problem = try await ledgerHeadCheck(head) {
            report.problems.append("the ledger head of size \(head.treeSize): \(problem)")
        }
        let storage = self.storage
        let ledger = Tree(name: "ledger ", head: head, entries: storage.ledgerEntries) {
            ProofTiles(tiles: try await storage.ledgerTiles($0))
        }
        let checked = try await walk(ledger, into: &report) { stored, start, report in
            var leafHashes: [Hash] = []
            for (offset, bytes) in stored.enumerated() {
                let hash = Hash.leaf(bytes)
                try await checkLedgerIndex(hash, index: start + UInt64(offset), into: &report)
                leafHashes.append(hash)
            }
            return leafHashes
        }
        (report.ledgerEntriesChecked, report.ledgerTilesChecked) = checked
    }

    /// The ledger's leaf-hash index must map `hash` to `index`, or to an earlier entry of the same hash.
    private func checkLedgerIndex(_ hash: Hash, index: UInt64, into report: inout Report) async throws {
        switch try await storage.ledgerIndex(forLeafHash: hash) {
        case index: return
        case nil: report.problems.append("ledger leaf hash index lacks ledger entry \(index)")
        case let first? where first < index:
            let earlier = try await storage.ledgerEntries(from: first, count: 1)
            if earlier.first.map(Hash.leaf) != hash {
                report.problems.append("ledger leaf hash index maps ledger entry \(index)'s hash to \(first), which has another")
            }
        case let indexed?: report.problems.append("ledger leaf hash index maps ledger entry \(index)'s hash to \(indexed)")
        }
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

    /// Every tile the recomputation produced must be a prefix of `tree`'s stored tile, and the
    /// inner nodes stored for a full level-0 tile must be those of the recomputed tile. (A full
    /// tile without them, from a store written before they were kept, is proven from its hashes.)
    private func checkTiles(_ tiles: [TileID: [Hash]], of tree: Tree, into report: inout Report) async throws {
        let stored = try await tree.tiles(Array(tiles.keys))
        for (id, hashes) in tiles.sorted(by: { $0.key < $1.key }) {
            guard let have = stored.tiles[id], have.count >= hashes.count, Array(have.prefix(hashes.count)) == hashes else {
                report.problems.append("\(tree.name)\(id) differs from the tile recomputed from the entries")
                continue
            }
            if id.level == 0, hashes.count == TileID.width, let inner = stored.innerNodes[id.index],
               inner != TiledProofs.innerNodes(ofFullTile: hashes) {
                report.problems.append("\(tree.name)inner nodes of \(id) differ from those of the tile recomputed from the entries")
            }
        }
    }
}
