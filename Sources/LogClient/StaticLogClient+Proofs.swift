import LogFormat
import Merkle

/// Proofs computed from hash tiles (C2SP tlog-tiles) and verified against signed tree heads:
/// a tile that does not belong to the signed tree makes its proof fail.
extension StaticLogClient {
    /// Proves that the leaf with `leafHash` sits at `index` in the tree `head` describes, from
    /// the hash tiles of that tree; returns the verified audit path (RFC 6962 section 2.1.1).
    /// Throws `.badProof` when it does not verify or `index` is outside the tree.
    public func inclusionProof(index: UInt64, leafHash: Hash, in head: SignedTreeHead) async throws -> [Hash] {
        let size = head.head.treeSize
        let proof = try await Self.proven("inclusion of index \(index) in tree size \(size)") {
            let tiles = try await hashTiles(TiledProofs.tilesForInclusion(index: index, treeSize: size), treeSize: size)
            let proof = try TiledProofs.inclusionProof(index: index, treeSize: size, tiles: tiles)
            try ProofVerifier.verifyInclusion(leafHash: leafHash, index: index, treeSize: size, proof: proof, root: head.head.rootHash)
            return proof
        }
        return proof
    }

    /// Proves that the tree `new` describes extends the tree `old` describes, from the hash tiles
    /// of the new tree; returns the verified proof (RFC 6962 section 2.1.2), empty when the sizes
    /// are equal or the old tree is empty. Throws `.badProof` when it does not verify or the tree shrank.
    public func consistencyProof(from old: SignedTreeHead, to new: SignedTreeHead) async throws -> [Hash] {
        let (oldSize, newSize) = (old.head.treeSize, new.head.treeSize)
        guard oldSize > 0 else { return [] }
        return try await Self.proven("consistency from tree size \(oldSize) to \(newSize)") {
            let tiles = try await hashTiles(TiledProofs.tilesForConsistency(oldSize: oldSize, newSize: newSize), treeSize: newSize)
            let proof = try TiledProofs.consistencyProof(oldSize: oldSize, newSize: newSize, tiles: tiles)
            try ProofVerifier.verifyConsistency(oldSize: oldSize, newSize: newSize, proof: proof,
                                                oldRoot: old.head.rootHash, newRoot: new.head.rootHash)
            return proof
        }
    }

    /// Entry `index` of the tree `head` describes, read from its data tile and proven included.
    /// Throws `.badProof` when the entry is not the tree's.
    public func entry(at index: UInt64, in head: SignedTreeHead) async throws -> TileEntry {
        let size = head.head.treeSize
        guard index < size else {
            throw LogClientError(.badProof, "index \(index) is outside the tree of size \(size)")
        }
        let tile = index / UInt64(TileID.width)
        let leaves = try await dataTile(index: tile, width: TileID(level: 0, index: tile).width(inTreeOfSize: size))
        let entry = TileEntry(index: index, leaf: leaves[Int(index % UInt64(TileID.width))])
        _ = try await inclusionProof(index: index, leafHash: entry.leafHash, in: head)
        return entry
    }

    /// The hash tiles `ids`, each as wide as it is in the tree of `treeSize`, fetched concurrently.
    func hashTiles(_ ids: Set<TileID>, treeSize: UInt64) async throws -> [TileID: [Hash]] {
        try await withThrowingTaskGroup(of: (TileID, [Hash]).self) { group in
            for id in ids {
                group.addTask { (id, try await hashTile(id, width: id.width(inTreeOfSize: treeSize))) }
            }
            var tiles: [TileID: [Hash]] = [:]
            for try await (id, hashes) in group { tiles[id] = hashes }
            return tiles
        }
    }

    /// Runs a proof computation, reporting Merkle failures (a proof that does not verify, an
    /// index or size outside the tree) as `.badProof` about `claim`.
    private static func proven<T>(_ claim: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as MerkleError {
            throw LogClientError(.badProof, "\(claim): \(error)")
        }
    }
}
