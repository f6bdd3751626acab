import Foundation
@testable import Merkle
import Testing
import TestSupport

/// The inclusion and consistency probes of transparency-dev/merkle over the RFC 6962 8-leaf
/// tree (vectors/merkle), happy paths and corrupted proofs, through `ProofVerifier`.
///
/// Leaf and proof hashes are hashed onwards, so one that is not 32 bytes is refused while
/// decoding, as the network decoder in front of the verifier refuses it. Roots are only
/// compared, and a few probes use short placeholder roots to test size rules; such a root
/// stands in as the leaf hash of "placeholder " + its bytes: equal placeholders stay equal,
/// and no probe's tree has such a leaf, so none equals a real root.
@Suite struct ProofVectorTests {
    struct InclusionProbe: Decodable {
        let leafIdx: UInt64
        let treeSize: UInt64
        let root: String
        let leafHash: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    struct ConsistencyProbe: Decodable {
        let size1: UInt64
        let size2: UInt64
        let root1: String
        let root2: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    struct Undecodable: Error {}

    @Test func inclusionProbes() throws {
        guard let folder = Vectors.folder("merkle") else { return }
        let files = try probeFiles(folder.appendingPathComponent("inclusion"))
        #expect(files.count >= 98, "found only \(files.count) inclusion probes")
        for file in files {
            let probe = try JSONDecoder().decode(InclusionProbe.self, from: Data(contentsOf: file))
            let outcome = Result {
                try ProofVerifier.verifyInclusion(
                    leafHash: try hash(probe.leafHash), index: probe.leafIdx, treeSize: probe.treeSize,
                    proof: try (probe.proof ?? []).map(hash), root: try root(probe.root))
            }
            check(outcome, wantErr: probe.wantErr, "\(file.lastPathComponent) (\(probe.desc))")
        }
    }

    @Test func consistencyProbes() throws {
        guard let folder = Vectors.folder("merkle") else { return }
        let files = try probeFiles(folder.appendingPathComponent("consistency"))
        #expect(files.count >= 98, "found only \(files.count) consistency probes")
        for file in files {
            let probe = try JSONDecoder().decode(ConsistencyProbe.self, from: Data(contentsOf: file))
            let outcome = Result {
                try ProofVerifier.verifyConsistency(
                    oldSize: probe.size1, newSize: probe.size2, proof: try (probe.proof ?? []).map(hash),
                    oldRoot: try root(probe.root1), newRoot: try root(probe.root2))
            }
            check(outcome, wantErr: probe.wantErr, "\(file.lastPathComponent) (\(probe.desc))")
        }
    }

    /// The happy paths must also come out of the reference and the tiles: the probes' leaves
    /// are the RFC 6962 example leaves.
    @Test func happyProofsMatchTheReference() throws {
        guard let folder = Vectors.folder("merkle") else { return }
        let leaves = try RFC6962Example.leafHashes(folder)
        let tiles = TestTree.appendedTiles(leaves, layout: .standard)
        var checked = 0
        for file in try probeFiles(folder.appendingPathComponent("inclusion")) {
            let probe = try JSONDecoder().decode(InclusionProbe.self, from: Data(contentsOf: file))
            guard !probe.wantErr, probe.treeSize <= UInt64(leaves.count), try hash(probe.leafHash) == leaves[Int(probe.leafIdx)]
            else { continue }
            let want = try (probe.proof ?? []).map(hash)
            let prefix = Array(leaves.prefix(Int(probe.treeSize)))
            #expect(MerkleTree.inclusionProof(index: probe.leafIdx, leafHashes: prefix) == want, "\(file.path)")
            #expect(try TiledProofs.inclusionProof(index: probe.leafIdx, treeSize: probe.treeSize, tiles: tiles) == want)
            checked += 1
        }
        for file in try probeFiles(folder.appendingPathComponent("consistency")) {
            let probe = try JSONDecoder().decode(ConsistencyProbe.self, from: Data(contentsOf: file))
            guard !probe.wantErr, probe.size1 > 0, probe.size2 <= UInt64(leaves.count) else { continue }
            let want = try (probe.proof ?? []).map(hash)
            let prefix = Array(leaves.prefix(Int(probe.size2)))
            #expect(MerkleTree.consistencyProof(oldSize: probe.size1, leafHashes: prefix) == want, "\(file.path)")
            #expect(try TiledProofs.consistencyProof(oldSize: probe.size1, newSize: probe.size2, tiles: tiles) == want)
            checked += 1
        }
        #expect(checked >= 8, "only \(checked) happy probes over the example tree")
    }

    private func probeFiles(_ folder: URL) throws -> [URL] {
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        return files.sorted { $0.path < $1.path }
    }

    private func check(_ outcome: Result<Void, any Error>, wantErr: Bool, _ name: String) {
        switch (outcome, wantErr) {
        case (.success, true): Issue.record("\(name): verified, want an error")
        case (.failure(let error), false): Issue.record("\(name): \(error), want success")
        default: break
        }
    }

    private func hash(_ base64: String) throws -> Hash {
        guard let data = Data(base64Encoded: base64), let hash = Hash(checking: [UInt8](data)) else { throw Undecodable() }
        return hash
    }

    private func root(_ base64: String) throws -> Hash {
        guard let data = Data(base64Encoded: base64) else { throw Undecodable() }
        return Hash(checking: [UInt8](data)) ?? Hash.leaf(Array("placeholder ".utf8) + [UInt8](data))
    }
}
