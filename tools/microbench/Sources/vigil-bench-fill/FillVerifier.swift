import LogCore
import LogFormat
import LogStorage
import Merkle
import PKI

/// Re-reads a filled store the way the server will: the head's signature, the root recomputed from
/// the stored tiles with `TiledProofs.rootHash`, inclusion proofs of a few entries found through
/// the leaf-hash index, and `Log.open` accepting the store. Optionally the whole `LogChecker`
/// walk that `vigil-log check` runs.
struct FillVerifier {
    let storage: LevelDBStorage
    let key: SigningKey
    /// How many entries, spread over the tree, get an inclusion proof checked.
    var proofs = 64

    /// Returns a one-line summary; throws `FillError.verificationFailed` at the first mismatch.
    func verify(fullCheck: Bool) async throws -> String {
        guard let head = try await storage.treeHead() else {
            throw FillError(.verificationFailed, "\(storage.path) has no tree head")
        }
        try checkSignature(head)
        let tiles = try await storage.tiles(Array(TiledProofs.tilesForRoot(treeSize: head.treeSize)))
        let root = try TiledProofs.rootHash(treeSize: head.treeSize, tiles: tiles)
        guard root == head.rootHash else {
            throw FillError(.verificationFailed, "stored tiles hash to \(root), the head of size \(head.treeSize) says \(head.rootHash)")
        }
        try await checkInclusion(head)
        let openedSize = try await openAsLog()
        guard openedSize == head.treeSize else {
            throw FillError(.verificationFailed, "Log.open serves tree size \(openedSize), want \(head.treeSize)")
        }
        var summary = "tree size \(head.treeSize), root \(root) matches the tiles, signature verifies, "
            + "\(min(UInt64(proofs), head.treeSize)) inclusion proofs verify, Log.open accepts the store"
        if fullCheck {
            let report = try await LogChecker(storage: storage, publicKey: key.publicKey).run()
            guard report.isConsistent else {
                throw FillError(.verificationFailed, "LogChecker: \(report.problems.joined(separator: "; "))")
            }
            summary += ", LogChecker checked \(report.entriesChecked) entries and \(report.tilesChecked) tiles"
        }
        return summary
    }

    private func checkSignature(_ head: StoredTreeHead) throws {
        guard let signature = try? DigitallySigned(parsing: head.signature) else {
            throw FillError(.verificationFailed, "the tree head signature does not parse")
        }
        let signed = SignedTreeHead(head: TreeHead(treeSize: head.treeSize, timestamp: head.timestamp, rootHash: head.rootHash),
                                    signature: signature)
        guard signed.verify(key: key.publicKey) else {
            throw FillError(.verificationFailed, "the tree head signature of size \(head.treeSize) does not verify")
        }
    }

    /// Entry by entry, as get-proof-by-hash answers: entry bytes to leaf hash, leaf hash to index,
    /// index to an audit path from the stored tiles, verified against the head's root.
    private func checkInclusion(_ head: StoredTreeHead) async throws {
        guard head.treeSize > 0 else { return }
        let count = UInt64(min(UInt64(proofs), head.treeSize))
        for step in 0..<count {
            let index = step == count - 1 ? head.treeSize - 1 : step * (head.treeSize / count)
            guard let bytes = try await storage.entries(from: index, count: 1).first else {
                throw FillError(.verificationFailed, "entry \(index) is missing")
            }
            let leafHash = try TileLeaf(parsing: bytes).merkleTreeLeaf.leafHash
            guard try await storage.leafIndex(forLeafHash: leafHash) == index else {
                throw FillError(.verificationFailed, "the leaf-hash index does not map entry \(index)'s hash to \(index)")
            }
            let ids = try TiledProofs.tilesForInclusion(index: index, treeSize: head.treeSize)
            let proof = try TiledProofs.inclusionProof(index: index, treeSize: head.treeSize, tiles: try await storage.tiles(Array(ids)))
            try ProofVerifier.verifyInclusion(leafHash: leafHash, index: index, treeSize: head.treeSize, proof: proof,
                                              root: head.rootHash)
        }
    }

    /// Opens the store as `vigil-log serve` does (with the stored origin, so nothing changes) and
    /// returns the size of the head it would serve.
    private func openAsLog() async throws -> UInt64 {
        let origin = try await storage.metadata(FillStore.originMetadata).map { String(decoding: $0, as: UTF8.self) } ?? "localhost"
        let log = try await Log.open(configuration: LogConfiguration(signingKey: key, roots: [], origin: origin), storage: storage)
        return log.treeHead.treeSize
    }
}
