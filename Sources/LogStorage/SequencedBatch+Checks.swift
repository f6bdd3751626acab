import LogCore
import Merkle

extension SequencedBatch {
    /// Throws `.invalidBatch` unless this batch can follow `head`, the stored tree head
    /// (nil for a log that never committed one): entries contiguous from the stored
    /// size, a head that grows by exactly the entries and never goes back in size or
    /// time, keys of the right width, and tiles exactly as wide as the new tree makes them.
    func check(following head: StoredTreeHead?) throws {
        let oldSize = head?.treeSize ?? 0
        let newSize = treeHead.treeSize
        guard newSize >= oldSize else {
            throw invalid("tree head size \(newSize) is below the stored size \(oldSize)")
        }
        guard UInt64(entries.count) == newSize - oldSize else {
            throw invalid("\(entries.count) entries cannot take the tree from size \(oldSize) to \(newSize)")
        }
        for (offset, entry) in entries.enumerated() where entry.index != oldSize + UInt64(offset) {
            throw invalid("entry \(offset) of the batch has index \(entry.index), want \(oldSize + UInt64(offset))")
        }
        if let head {
            guard treeHead.timestamp >= head.timestamp else {
                throw invalid("tree head timestamp \(treeHead.timestamp) is before the stored \(head.timestamp)")
            }
            guard newSize > oldSize || treeHead.rootHash == head.rootHash else {
                throw invalid("root hash \(treeHead.rootHash) differs from the stored \(head.rootHash) at size \(newSize)")
            }
        }
        for entry in entries where entry.dedupKey.count != 32 {
            throw invalid("entry \(entry.index) has a dedup key of \(entry.dedupKey.count) bytes, want 32")
        }
        for fingerprint in issuers.keys where fingerprint.count != 32 {
            throw invalid("issuer fingerprint of \(fingerprint.count) bytes, want 32")
        }
        for (id, hashes) in tiles {
            let width = id.width(inTreeOfSize: newSize)
            guard width > 0, hashes.count == width else {
                throw invalid("\(id) has \(hashes.count) hashes, want \(width) at tree size \(newSize)")
            }
        }
    }

    private func invalid(_ message: String) -> StorageError {
        StorageError(.invalidBatch, "refused batch: \(message)")
    }
}
