import Merkle

/// The tree head as stored: the signed values of RFC 6962 section 3.5.
public struct StoredTreeHead: Sendable, Equatable {
    public var treeSize: UInt64
    /// Milliseconds since the Unix epoch.
    public var timestamp: UInt64
    public var rootHash: Hash
    /// The TLS-encoded `DigitallySigned` tree head signature.
    public var signature: [UInt8]

    public init(treeSize: UInt64, timestamp: UInt64, rootHash: Hash, signature: [UInt8]) {
        self.treeSize = treeSize
        self.timestamp = timestamp
        self.rootHash = rootHash
        self.signature = signature
    }
}

/// One new entry of a sequenced batch.
public struct SequencedEntry: Sendable, Equatable {
    public var index: UInt64
    /// RFC 6962 leaf hash of the entry's MerkleTreeLeaf.
    public var leafHash: Hash
    /// Identifies the submission for deduplication: SHA-256 over the entry type and the submitted leaf DER.
    public var dedupKey: [UInt8]
    /// The batch timestamp the entry's SCT carries (milliseconds).
    public var timestamp: UInt64
    /// The entry in static-ct-api `TileLeaf` encoding: timestamped entry, the precertificate
    /// (for precert entries) and the SHA-256 fingerprints of its chain.
    public var tileLeaf: [UInt8]

    public init(index: UInt64, leafHash: Hash, dedupKey: [UInt8], timestamp: UInt64, tileLeaf: [UInt8]) {
        self.index = index
        self.leafHash = leafHash
        self.dedupKey = dedupKey
        self.timestamp = timestamp
        self.tileLeaf = tileLeaf
    }
}

/// Where an already logged submission sits.
public struct DedupRecord: Sendable, Equatable {
    public var index: UInt64
    public var timestamp: UInt64

    public init(index: UInt64, timestamp: UInt64) {
        self.index = index
        self.timestamp = timestamp
    }
}

/// One entry of the endorsement ledger: its index in the ledger tree, its RFC 6962 leaf hash
/// (SHA-256(0x00 || bytes)) and its encoding, opaque to the store.
public struct LedgerEntry: Sendable, Equatable {
    public var index: UInt64
    public var leafHash: Hash
    public var bytes: [UInt8]

    public init(index: UInt64, leafHash: Hash, bytes: [UInt8]) {
        self.index = index
        self.leafHash = leafHash
        self.bytes = bytes
    }
}

/// What one sequencing step adds to the endorsement ledger, the log's second Merkle tree
/// (contract versions and the endorsements that admitted each OV/EV entry). It is
/// committed in the same atomic write as the certificate tree's batch.
public struct LedgerBatch: Sendable, Equatable {
    /// New ledger entries with contiguous indices starting at the previous ledger size.
    public var entries: [LedgerEntry]
    /// Every ledger tile whose contents changed, with all of its hashes at the new ledger size.
    public var tiles: [TileID: [Hash]]
    /// The new ledger head. Its `signature` is opaque bytes to the store.
    public var head: StoredTreeHead

    public init(entries: [LedgerEntry], tiles: [TileID: [Hash]], head: StoredTreeHead) {
        self.entries = entries
        self.tiles = tiles
        self.head = head
    }
}

/// Everything one sequencing step makes durable, in one atomic write.
public struct SequencedBatch: Sendable {
    /// New entries with contiguous indices starting at the previous tree size.
    public var entries: [SequencedEntry]
    /// Issuer certificates (DER) by SHA-256 fingerprint. Each is stored once; the store
    /// may skip the ones it already has.
    public var issuers: [[UInt8]: [UInt8]]
    /// Every tile whose contents changed, with all of its hashes at the new tree size.
    public var tiles: [TileID: [Hash]]
    /// The new signed tree head: the one the log serves once this commit returns.
    public var treeHead: StoredTreeHead
    /// What the batch adds to the endorsement ledger; nil leaves the ledger as it is.
    public var ledger: LedgerBatch?
    /// The writer vouches that no entry's leaf hash or dedup key is stored already or repeated
    /// in the batch, so the store writes both index entries without looking them up first.
    /// False: the store keeps the first index entry of each, as it reads them. Debug builds
    /// check the vouch and refuse a batch that breaks it.
    public var indexKeysAreNew: Bool

    public init(entries: [SequencedEntry], issuers: [[UInt8]: [UInt8]], tiles: [TileID: [Hash]], treeHead: StoredTreeHead,
                ledger: LedgerBatch? = nil, indexKeysAreNew: Bool = false) {
        self.entries = entries
        self.issuers = issuers
        self.tiles = tiles
        self.treeHead = treeHead
        self.ledger = ledger
        self.indexKeysAreNew = indexKeysAreNew
    }
}

/// Tiles of the certificate tree with the inner nodes stored for the full level-0 tiles among
/// them (`TiledProofs.innerNodes(ofFullTile:)`), by level-0 tile index, for proofs.
public struct ProofTiles: Sendable, Equatable {
    public var tiles: [TileID: [Hash]]
    public var innerNodes: [UInt64: [Hash]]

    public init(tiles: [TileID: [Hash]], innerNodes: [UInt64: [Hash]] = [:]) {
        self.tiles = tiles
        self.innerNodes = innerNodes
    }
}

extension SequencedBatch {
    /// The inner nodes of every level-0 tile of the certificate tree that this batch carries
    /// full, by tile index: what a store keeps beside those tiles for `proofTiles`. A full
    /// tile never changes again, so each is computed and stored once.
    public var completedTileInnerNodes: [UInt64: [Hash]] {
        var inner: [UInt64: [Hash]] = [:]
        for (id, hashes) in tiles where id.level == 0 && hashes.count == TileID.width {
            inner[id.index] = TiledProofs.innerNodes(ofFullTile: hashes)
        }
        return inner
    }
}

/// Durable storage of one log (Specs/storage.md).
///
/// Contract: `commit` is atomic and durable. When it returns, every part of the batch
/// survives a crash (the write was synced); when it throws or the process dies during
/// it, no part of the batch is visible after restart. Readers may run concurrently with
/// a commit and see either the state before it or after it for each key; they read the
/// tree head first and never look past its size. The same holds for the endorsement
/// ledger, which a commit writes in the same atomic write as the certificate tree.
public protocol LogStorage: Sendable {
    /// The latest committed tree head, or nil for a log that never committed one.
    func treeHead() async throws -> StoredTreeHead?

    /// Atomically and durably writes the whole batch (see the protocol contract).
    func commit(_ batch: SequencedBatch) async throws

    /// The stored contents of the tiles asked for; a tile never written is absent from the result.
    /// A returned tile may be wider than at an older tree size: callers use only the prefix they need.
    func tiles(_ ids: [TileID]) async throws -> [TileID: [Hash]]

    /// Up to `count` consecutive entries (their `TileLeaf` bytes) from index `start`,
    /// stopping at the first index never written.
    func entries(from start: UInt64, count: Int) async throws -> [[UInt8]]

    /// The index of the entry whose leaf hash is `leafHash`, if logged.
    func leafIndex(forLeafHash leafHash: Hash) async throws -> UInt64?

    /// The index of the entry whose leaf hash is `leafHash`, if logged, with the proof tiles
    /// (as `proofTiles(_:)` returns them) that `tiles` names for that index: a proof by hash
    /// in one round of I/O. `tiles` runs once, when the index is known, and may name none.
    func leafIndexAndProofTiles(forLeafHash leafHash: Hash, tiles: @escaping @Sendable (UInt64) -> [TileID]) async throws
        -> (index: UInt64, tiles: ProofTiles)?

    /// The tiles asked for, as `tiles(_:)` returns them, with the stored inner nodes of the full
    /// level-0 tiles among them, in one round of I/O. A store keeps those inner nodes for every
    /// level-0 tile a commit completes; a full tile without them is proven from its hashes.
    func proofTiles(_ ids: [TileID]) async throws -> ProofTiles

    /// Where the submission with this dedup key was logged, if it was.
    func dedupRecord(forKey key: [UInt8]) async throws -> DedupRecord?

    /// Where each of these submissions was logged; keys never logged are absent from the result.
    /// The sequencer asks once per batch, so stores should answer in one round of I/O.
    func dedupRecords(forKeys keys: [[UInt8]]) async throws -> [[UInt8]: DedupRecord]

    /// Issuer certificates (DER) by fingerprint; unknown fingerprints are absent from the result.
    func issuers(_ fingerprints: [[UInt8]]) async throws -> [[UInt8]: [UInt8]]

    /// Reads a small named metadata value (for example the log's public key), if set.
    func metadata(_ name: String) async throws -> [UInt8]?

    /// Durably sets a small named metadata value.
    func setMetadata(_ name: String, _ value: [UInt8]) async throws

    /// The latest committed endorsement ledger head, or nil for a log whose ledger never had one.
    func ledgerHead() async throws -> StoredTreeHead?

    /// The stored contents of the ledger tiles asked for, as `tiles(_:)` does for the certificate tree.
    func ledgerTiles(_ ids: [TileID]) async throws -> [TileID: [Hash]]

    /// Up to `count` consecutive ledger entries (their bytes) from index `start`, stopping at
    /// the first index never written.
    func ledgerEntries(from start: UInt64, count: Int) async throws -> [[UInt8]]

    /// The index of the first ledger entry whose leaf hash is `leafHash`, if logged.
    func ledgerIndex(forLeafHash leafHash: Hash) async throws -> UInt64?
}

extension LogStorage {
    /// A store without inner nodes returns the tiles alone.
    public func proofTiles(_ ids: [TileID]) async throws -> ProofTiles {
        ProofTiles(tiles: try await tiles(ids))
    }

    /// The lookup, then the tiles: two rounds of I/O.
    public func leafIndexAndProofTiles(forLeafHash leafHash: Hash, tiles: @escaping @Sendable (UInt64) -> [TileID]) async throws
        -> (index: UInt64, tiles: ProofTiles)? {
        guard let index = try await leafIndex(forLeafHash: leafHash) else { return nil }
        let ids = tiles(index)
        return (index, ids.isEmpty ? ProofTiles(tiles: [:]) : try await proofTiles(ids))
    }

    /// A store without a batched lookup answers key by key.
    public func dedupRecords(forKeys keys: [[UInt8]]) async throws -> [[UInt8]: DedupRecord] {
        var records: [[UInt8]: DedupRecord] = [:]
        for key in keys {
            if let record = try await dedupRecord(forKey: key) { records[key] = record }
        }
        return records
    }
}
