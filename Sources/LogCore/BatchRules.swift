import Merkle

/// The rules every store applies before committing a batch (Specs/storage.md, "Commit"). Both
/// stores call them, so the in-memory and the LevelDB store accept and refuse the same batches.
public enum BatchRules {
    /// Why `batch` cannot follow the stored certificate tree head `treeHead` and ledger head
    /// `ledgerHead` (nil for a tree that never had one), or nil when it can.
    ///
    /// Each tree must grow by exactly its entries, numbered from its stored size without gaps,
    /// never go back in size or time, keep its root when its size stays, and carry tiles exactly
    /// as wide as its new size makes them. A batch without a ledger part leaves the ledger alone.
    public static func refusal(of batch: SequencedBatch, treeHead: StoredTreeHead?, ledgerHead: StoredTreeHead?) -> String? {
        if let refusal = refusal(
            of: "tree", head: batch.treeHead, following: treeHead, indices: batch.entries.map(\.index), tiles: batch.tiles) {
            return refusal
        }
        for entry in batch.entries where entry.dedupKey.count != 32 {
            return "entry \(entry.index) has a dedup key of \(entry.dedupKey.count) bytes, want 32"
        }
        for fingerprint in batch.issuers.keys where fingerprint.count != 32 {
            return "issuer fingerprint of \(fingerprint.count) bytes, want 32"
        }
        guard let ledger = batch.ledger else { return nil }
        return refusal(of: "ledger", head: ledger.head, following: ledgerHead, indices: ledger.entries.map(\.index), tiles: ledger.tiles)
    }

    /// The rules one tree's part of a batch must meet; `tree` names the tree in the message.
    private static func refusal(of tree: String, head: StoredTreeHead, following stored: StoredTreeHead?,
                                indices: [UInt64], tiles: [TileID: [Hash]]) -> String? {
        let oldSize = stored?.treeSize ?? 0
        let newSize = head.treeSize
        guard newSize >= oldSize else {
            return "\(tree) head size \(newSize) is below the stored size \(oldSize)"
        }
        guard UInt64(indices.count) == newSize - oldSize else {
            return "\(indices.count) entries cannot take the \(tree) from size \(oldSize) to \(newSize)"
        }
        for (offset, index) in indices.enumerated() where index != oldSize + UInt64(offset) {
            return "entry \(offset) of the \(tree) batch has index \(index), want \(oldSize + UInt64(offset))"
        }
        if let stored {
            guard head.timestamp >= stored.timestamp else {
                return "\(tree) head timestamp \(head.timestamp) is before the stored \(stored.timestamp)"
            }
            guard newSize > oldSize || head.rootHash == stored.rootHash else {
                return "\(tree) root hash \(head.rootHash) differs from the stored \(stored.rootHash) at size \(newSize)"
            }
        }
        for (id, hashes) in tiles {
            let width = id.width(inTreeOfSize: newSize)
            guard width > 0, hashes.count == width else {
                return "\(tree) \(id) has \(hashes.count) hashes, want \(width) at size \(newSize)"
            }
        }
        return nil
    }

    /// How `batch` breaks its vouch that its index keys are new (`SequencedBatch.indexKeysAreNew`),
    /// given what the store holds, or nil when it keeps it (or makes none). The stores ask in debug
    /// builds only: the check costs a read of each key, the very cost the vouch saves.
    public static func brokenVouch(of batch: SequencedBatch, leafHashIsStored: (Hash) throws -> Bool,
                                   dedupKeyIsStored: ([UInt8]) throws -> Bool) rethrows -> String? {
        guard batch.indexKeysAreNew else { return nil }
        var leafHashes = Set<Hash>(), dedupKeys = Set<[UInt8]>()
        for entry in batch.entries {
            guard leafHashes.insert(entry.leafHash).inserted, try !leafHashIsStored(entry.leafHash) else {
                return "entry \(entry.index)'s leaf hash \(entry.leafHash) is vouched new but is already indexed"
            }
            guard dedupKeys.insert(entry.dedupKey).inserted, try !dedupKeyIsStored(entry.dedupKey) else {
                return "entry \(entry.index)'s dedup key is vouched new but is already indexed"
            }
        }
        return nil
    }
}
