import Endorsement
import LogFormat
import Logging
import Merkle
import PKI

/// One Certificate Transparency log: validates submissions, hands them to the sequencer,
/// and signs SCTs once their entries are durable; serves the read side from storage.
///
/// The write path (Specs/storage.md, "life of a leaf"): validate, wait in the pool, have the
/// sequencer answer duplicates from the dedup index and sequence the rest in one synced batch,
/// then sign the SCT.
public final class Log: Sendable {
    public let name: String
    public let configuration: LogConfiguration
    /// SHA-256 of the log key's SubjectPublicKeyInfo (RFC 6962 section 3.2).
    public let logID: [UInt8]
    public let publicKey: VerifyingKey
    /// The single owner of the write side; `SequencerService` drives it.
    public let sequencer: Sequencer

    let storage: any LogStorage
    let validator: SubmissionValidator
    let pool: Pool
    let published: PublishedTreeHead
    /// The endorsement ledger's head, durably committed.
    let publishedLedger: PublishedTreeHead
    /// Flow B requests waiting for endorsers.
    let requests: EndorsementRequests
    let issuerCache: IssuerCache
    /// Upper subtree hashes of the certificate tree, kept for later proofs (never the ledger's).
    let subtrees = SubtreeCache()
    /// The upper and right-edge tiles proofs read, kept in memory.
    let proofTiles = ProofTileCache()
    let metrics: LogMetrics
    /// The clock that stamps SCTs and tree heads and decides when the log turns read-only.
    public let clock: LogClock
    let logger: Logger

    /// The metadata key holding the log's public key: a data directory serves one log only.
    static let publicKeyMetadata = "public-key"
    /// The metadata key holding the checkpoint origin the log last opened with.
    static let originMetadata = "origin"

    private init(name: String, configuration: LogConfiguration, storage: any LogStorage, sequencer: Sequencer,
                 pool: Pool, published: PublishedTreeHead, publishedLedger: PublishedTreeHead, metrics: LogMetrics,
                 clock: LogClock, logger: Logger) {
        self.publishedLedger = publishedLedger
        self.requests = EndorsementRequests()
        self.name = name
        self.configuration = configuration
        self.publicKey = configuration.signingKey.publicKey
        self.logID = LogID.of(configuration.signingKey.publicKey)
        self.storage = storage
        self.validator = SubmissionValidator(roots: configuration.roots, notAfterStart: configuration.notAfterStart,
                                             notAfterLimit: configuration.notAfterLimit)
        self.pool = pool
        self.published = published
        self.sequencer = sequencer
        self.issuerCache = IssuerCache(capacity: 4096)
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    /// Opens the log kept in `storage`: reads its tree head and right-edge tiles (a few keys, never
    /// the whole tree). A store that never held a log gets a signed tree head of size 0, committed
    /// before this returns. Throws if the store belongs to a log with another key.
    public static func open(name: String = "vigil", configuration: LogConfiguration, storage: any LogStorage,
                            clock: LogClock = .system, logger: Logger = Logger(label: "vigil.log")) async throws -> Log {
        let spki = configuration.signingKey.publicKey.spkiDER
        if let stored = try await storage.metadata(publicKeyMetadata) {
            guard stored == spki else {
                throw LogError.internalError("this data belongs to a log with another key; refusing to open it with this one")
            }
        } else {
            try await storage.setMetadata(publicKeyMetadata, spki)
        }
        if try await storage.metadata(originMetadata) != Array(configuration.origin.utf8) {
            try await storage.setMetadata(originMetadata, Array(configuration.origin.utf8))
        }
        let metrics = LogMetrics(logName: name)
        let pool = Pool(capacity: configuration.poolSize)
        var (head, appender) = try await loadTree(from: storage)
        if head == nil {
            let timestamp = clock.now()
            let signed = try SignedTreeHead.sign(
                TreeHead(treeSize: 0, timestamp: timestamp, rootHash: Hash.emptyTree), key: configuration.signingKey)
            let empty = StoredTreeHead(treeSize: 0, timestamp: timestamp, rootHash: Hash.emptyTree,
                                       signature: signed.signature.encoded)
            try await storage.commit(SequencedBatch(entries: [], issuers: [:], tiles: [:], treeHead: empty))
            head = empty
            appender = TreeAppender()
        }
        let current = head!
        metrics.treeSize.record(Double(current.treeSize))
        let published = PublishedTreeHead(current)
        var (ledgerHead, ledgerAppender) = try await loadLedger(from: storage)
        if ledgerHead.treeSize == 0 && ledgerHead.signature.isEmpty {
            ledgerHead = try emptyLedgerHead(key: configuration.signingKey, timestamp: clock.now())
        }
        let publishedLedger = PublishedTreeHead(ledgerHead)
        let sequencer = Sequencer(storage: storage, pool: pool, signingKey: configuration.signingKey, clock: clock,
                                  published: published, appender: appender, head: current,
                                  publishedLedger: publishedLedger, ledgerAppender: ledgerAppender, ledgerHead: ledgerHead,
                                  treeHeadRefresh: configuration.treeHeadRefresh, metrics: metrics, logger: logger)
        try await logContractIfNew(configuration.contract, storage: storage, sequencer: sequencer)
        logger.info("log opened", metadata: ["log": "\(name)", "tree_size": "\(current.treeSize)",
                                             "ledger_size": "\(publishedLedger.current.treeSize)"])
        return Log(name: name, configuration: configuration, storage: storage, sequencer: sequencer, pool: pool,
                   published: published, publishedLedger: publishedLedger, metrics: metrics, clock: clock, logger: logger)
    }

    /// The metadata key holding the canonical JSON of the contract version last logged in the ledger.
    static let contractMetadata = "contract"

    /// Logs `contract` in the ledger unless it is the version already in force. A log bound to a
    /// contract refuses to open without one, with an older version, or with other terms under the
    /// same version: decisions are only ever made under the contract the ledger shows.
    static func logContractIfNew(_ contract: ValidatedContract?, storage: any LogStorage, sequencer: Sequencer) async throws {
        let stored = try await storage.metadata(contractMetadata)
        guard let contract else {
            if let stored, let bound = try? Contract.parse(String(decoding: stored, as: UTF8.self)) {
                throw LogError.internalError("this log is bound to endorser contract \(bound.id) version \(bound.version); configure it (or a newer version)")
            }
            return
        }
        let json = contract.contract.canonicalJSON
        guard stored != json else { return }
        if let stored, let previous = try? Contract.parse(String(decoding: stored, as: UTF8.self)),
           previous.id == contract.id, contract.version <= previous.version {
            throw LogError.internalError(
                "contract \(contract.id) version \(contract.version) cannot replace the logged version \(previous.version): "
                + "a changed contract needs a higher version")
        }
        // A crash between logging a contract and recording it leaves it as the ledger's last entry.
        let size = (try await storage.ledgerHead())?.treeSize ?? 0
        let last = size > 0 ? try await storage.ledgerEntries(from: size - 1, count: 1).first : nil
        let alreadyLogged: Bool
        if let last, case .contract(_, let loggedJSON)? = try? LedgerRecord(parsing: last) {
            alreadyLogged = loggedJSON == json
        } else {
            alreadyLogged = false
        }
        if !alreadyLogged {
            try await sequencer.appendToLedger([LedgerRecord.contract(loggedAt: sequencer.clockNow(), json: json).encoded])
        }
        try await storage.setMetadata(contractMetadata, json)
    }

    /// Reads the stored ledger head and rebuilds its right edge, checking the tiles hash to its root.
    /// A log whose ledger is empty gets a size-0 head without signature.
    static func loadLedger(from storage: any LogStorage) async throws -> (StoredTreeHead, TreeAppender) {
        guard let head = try await storage.ledgerHead() else {
            return (StoredTreeHead(treeSize: 0, timestamp: 0, rootHash: Hash.emptyTree, signature: []), TreeAppender())
        }
        let tiles = try await storage.ledgerTiles(Array(TreeAppender.tilesForRestore(treeSize: head.treeSize)))
        let appender = try TreeAppender(treeSize: head.treeSize, tiles: tiles)
        guard appender.rootHash() == head.rootHash else {
            throw LogError.internalError("stored ledger tiles hash to \(appender.rootHash()), not the ledger head's root \(head.rootHash)")
        }
        return (head, appender)
    }

    static func emptyLedgerHead(key: SigningKey, timestamp: UInt64) throws -> StoredTreeHead {
        let signature = try key.sign(LedgerCheckpoint.signatureInput(treeSize: 0, timestamp: timestamp, rootHash: Hash.emptyTree))
        return StoredTreeHead(treeSize: 0, timestamp: timestamp, rootHash: Hash.emptyTree, signature: signature)
    }

    /// The static-ct-api reader of a stopped log's storage, with the key and origin stored by the last
    /// `open` (`origin` overrides the stored one). Throws if the storage never held a log.
    public static func staticReader(of storage: any LogStorage, origin: String? = nil) async throws -> StaticTreeReader {
        guard let spki = try await storage.metadata(publicKeyMetadata) else {
            throw LogError.notFound("the storage holds no log: it has no public key")
        }
        let key: VerifyingKey
        do {
            key = try VerifyingKey(spkiDER: spki)
        } catch {
            throw LogError.internalError("the stored public key does not parse: \(error)")
        }
        let stored = try await storage.metadata(originMetadata).map { String(decoding: $0, as: UTF8.self) }
        guard let chosen = origin ?? stored else {
            throw LogError.notFound("the storage has no origin; give one")
        }
        return StaticTreeReader(storage: storage, origin: chosen, logID: LogID.of(key))
    }

    /// Reads the stored tree head and rebuilds the sequencer's right edge from the right-edge tiles,
    /// checking that they hash to the stored root.
    static func loadTree(from storage: any LogStorage) async throws -> (StoredTreeHead?, TreeAppender) {
        guard let head = try await storage.treeHead() else { return (nil, TreeAppender()) }
        let ids = TreeAppender.tilesForRestore(treeSize: head.treeSize)
        let tiles = try await storage.tiles(Array(ids))
        let appender = try TreeAppender(treeSize: head.treeSize, tiles: tiles)
        guard appender.rootHash() == head.rootHash else {
            throw LogError.internalError(
                "stored tiles hash to \(appender.rootHash()) but the stored tree head of size \(head.treeSize) has root \(head.rootHash)")
        }
        return (head, appender)
    }

    /// The signed tree head the log serves now: always durably committed.
    public var treeHead: StoredTreeHead { published.current }

    /// Accepted roots, in configuration order.
    public var roots: [Certificate] { configuration.roots }

    /// Whether the log refuses submissions now because its shard is past `readOnlyAt`.
    public var isReadOnly: Bool {
        configuration.readOnlyAt.map { clock.now() >= $0 } ?? false
    }

    /// How many distinct submissions wait for the next batch.
    public var poolDepth: Int { pool.depth }

    /// Refuses later submissions (with `.unavailable`); those already waiting are still sequenced.
    public func stopAccepting() {
        pool.close()
    }
}
