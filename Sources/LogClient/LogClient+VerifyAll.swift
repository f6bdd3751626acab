import LogFormat
import Merkle

extension LogClient {
    /// Reads every entry of the tree `sth` describes through get-entries, asking for `batchSize`
    /// at a time and taking however many (at least one) the log returns, and proves they are that
    /// tree's: after each response the entries read so far must hash to a root that the log's
    /// consistency proof links to `sth` (RFC 6962 section 2.1.2), and at the end to `sth`'s root.
    ///
    /// Entries are handed to `onEntries` one response at a time, in order, each batch only after it
    /// is proven. Memory stays one response plus a compact range whatever the log's size.
    /// Throws `.badEntries` when the entries are not the tree's, `.malformedResponse` for an answer
    /// that is empty, longer than asked or not RFC 6962 leaves, and the fetch errors. The caller
    /// verifies `sth`'s signature (`signedTreeHead()` does).
    ///
    /// Precondition: `batchSize > 0`.
    public func verifyAll(
        _ sth: SignedTreeHead, batchSize: Int = 1000, onEntries: ([RFC6962Entry]) async throws -> Void = { _ in }
    ) async throws -> LogVerification {
        precondition(batchSize > 0, "batch size \(batchSize) must be positive")
        let size = sth.head.treeSize
        var range = CompactRange()
        while range.size < size {
            let start = range.size
            let end = min(start + UInt64(batchSize), size) - 1
            let read = try await entries(start: start, end: end)
            guard !read.isEmpty, read.count <= Int(end - start + 1) else {
                throw LogClientError(.malformedResponse, "get-entries from \(start) to \(end) returned \(read.count) entries")
            }
            let batch = try read.enumerated().map { offset, entry in
                let index = start + UInt64(offset)
                do {
                    return RFC6962Entry(index: index, leaf: try MerkleTreeLeaf(parsing: entry.leafInput), extraData: entry.extraData)
                } catch {
                    throw LogClientError(.malformedResponse, "get-entries entry \(index): leaf_input is not a MerkleTreeLeaf: \(error)")
                }
            }
            for entry in batch { range.append(entry.leaf.leafHash) }
            try await prove(range, in: sth)
            try await onEntries(batch)
        }
        if size == 0 { try await prove(range, in: sth) }
        return LogVerification(treeSize: size, rootHash: sth.head.rootHash, entries: size)
    }

    /// Proves that the tree `range` covers is a prefix of the one `sth` describes: its root is
    /// `sth`'s at the full size, else a consistency proof from it to `sth` verifies.
    private func prove(_ range: CompactRange, in sth: SignedTreeHead) async throws {
        let (size, root) = (range.size, range.rootHash())
        if size == sth.head.treeSize {
            guard root == sth.head.rootHash else {
                throw LogClientError(.badEntries, "entries 0..<\(size) hash to root \(root), the signed tree head says \(sth.head.rootHash)")
            }
            return
        }
        let proof = try await consistencyProof(first: size, second: sth.head.treeSize)
        do {
            try ProofVerifier.verifyConsistency(oldSize: size, newSize: sth.head.treeSize, proof: proof,
                                                oldRoot: root, newRoot: sth.head.rootHash)
        } catch {
            throw LogClientError(.badEntries, "entries 0..<\(size) hash to root \(root), which the log's consistency proof "
                + "does not link to its tree head of size \(sth.head.treeSize): \(error)")
        }
    }
}
