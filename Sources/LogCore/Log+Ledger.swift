import Endorsement
import LogFormat
import Merkle
import PKI

/// The endorsement ledger's read side (Specs/endorsement.md, "Ledger API"): signed checkpoints,
/// entries, inclusion and consistency proofs, like the certificate tree's.
extension Log {
    /// The ledger head the log serves now: durably committed (or, for an empty ledger, signed at open).
    public var ledgerHead: StoredTreeHead { publishedLedger.current }

    /// The ledger's checkpoint origin.
    public var ledgerOrigin: String { LedgerCheckpoint.origin(logOrigin: configuration.origin) }

    /// The signed checkpoint of the ledger head.
    public func ledgerCheckpoint() -> String {
        let head = ledgerHead
        return LedgerCheckpoint.note(origin: ledgerOrigin, treeSize: head.treeSize, timestamp: head.timestamp,
                                     rootHash: head.rootHash, signature: head.signature, logID: logID)
    }

    /// Ledger entries `start...end` (encoded `LedgerRecord`s), clamped to the ledger and to `maxGetEntries`.
    public func ledgerEntries(start: UInt64, end: UInt64) async throws -> [[UInt8]] {
        let size = ledgerHead.treeSize
        guard start <= end else { throw LogError.badRequest("start \(start) is larger than end \(end)") }
        guard start < size else { throw LogError.badRequest("start \(start) is not below the ledger size \(size)") }
        let count = Int(min(end, size - 1, start + UInt64(configuration.maxGetEntries) - 1) - start + 1)
        let stored: [[UInt8]]
        do {
            stored = try await storage.ledgerEntries(from: start, count: count)
        } catch {
            throw LogError.internalError("cannot read ledger entries: \(error)")
        }
        guard stored.count == count else {
            throw LogError.internalError("storage returned \(stored.count) ledger entries from \(start), want \(count)")
        }
        return stored
    }

    /// The audit path of ledger entry `index` in the ledger of size `treeSize`.
    public func ledgerInclusionProof(index: UInt64, treeSize: UInt64) async throws -> [Hash] {
        try await Self.inclusionProof(index: index, treeSize: treeSize, size: ledgerHead.treeSize) { ProofTiles(tiles: try await storage.ledgerTiles($0)) }
    }

    /// The consistency proof between ledger sizes `first` and `second`.
    public func ledgerConsistencyProof(first: UInt64, second: UInt64) async throws -> [Hash] {
        try await Self.consistencyProof(first: first, second: second, size: ledgerHead.treeSize) { ProofTiles(tiles: try await storage.ledgerTiles($0)) }
    }

    /// A `LogChecker` ledger head check: the head's signature must verify with `key` over the
    /// ledger's signature input (Specs/endorsement.md, "Ledger checkpoints").
    public static func ledgerSignatureCheck(key: VerifyingKey) -> @Sendable (StoredTreeHead) async throws -> String? {
        { head in
            let input = LedgerCheckpoint.signatureInput(treeSize: head.treeSize, timestamp: head.timestamp, rootHash: head.rootHash)
            return key.verify(signature: head.signature, message: input) ? nil : "the signature does not verify with the log's key"
        }
    }

    /// The contract in force, as logged (canonical JSON); nil when the log has none.
    public var contractInForce: ValidatedContract? { configuration.contract }
}
