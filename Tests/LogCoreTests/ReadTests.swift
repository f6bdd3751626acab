import LogCore
import LogFormat
import Merkle
import PKI
import Testing
import TestSupport

@Suite struct ReadTests {
    /// A log of `batches` batches; returns it with the head after each batch.
    static func grownLog(batches: [Int], maxGetEntries: Int = 1000) async throws -> (Harness, [StoredTreeHead]) {
        let harness = try await Harness.make(maxGetEntries: maxGetEntries)
        var heads: [StoredTreeHead] = []
        for size in batches {
            let chains: [([[UInt8]], SubmissionKind)] = try (0..<size).map { n in
                n % 3 == 2 ? (try harness.ca.chain(precertificate: true), .precertificate) : (try harness.ca.chain(), .certificate)
            }
            for result in try await harness.submitInOneBatch(chains) { _ = try result.get() }
            heads.append(harness.log.treeHead)
        }
        return (harness, heads)
    }

    @Test func consistencyProofsBetweenEverySizeSeenVerify() async throws {
        let (harness, heads) = try await Self.grownLog(batches: [1, 2, 4, 3, 7])
        for old in heads {
            for new in heads where new.treeSize >= old.treeSize {
                let proof = try await harness.log.consistencyProof(first: old.treeSize, second: new.treeSize)
                try ProofVerifier.verifyConsistency(oldSize: old.treeSize, newSize: new.treeSize, proof: proof,
                                                    oldRoot: old.rootHash, newRoot: new.rootHash)
            }
        }
        await #expect(throws: LogError(.badRequest, "")) { try await harness.log.consistencyProof(first: 0, second: 3) }
        await #expect(throws: LogError(.badRequest, "")) { try await harness.log.consistencyProof(first: 4, second: 3) }
        await #expect(throws: LogError(.badRequest, "")) { try await harness.log.consistencyProof(first: 1, second: 18) }
    }

    @Test func everyEntryIsProvablyInEveryLaterTree() async throws {
        let (harness, heads) = try await Self.grownLog(batches: [3, 5, 9])
        let entries = try await harness.log.entries(start: 0, end: 16)
        #expect(entries.count == 17)
        for head in heads {
            for (index, entry) in entries.enumerated() where UInt64(index) < head.treeSize {
                let leafHash = Hash.leaf(entry.leafInput)
                let (found, path) = try await harness.log.proof(forLeafHash: leafHash, treeSize: head.treeSize)
                #expect(found == UInt64(index))
                try ProofVerifier.verifyInclusion(leafHash: leafHash, index: found, treeSize: head.treeSize,
                                                  proof: path, root: head.rootHash)
                let (same, samePath) = try await harness.log.entryAndProof(index: UInt64(index), treeSize: head.treeSize)
                #expect(same == entry)
                #expect(samePath == path)
            }
        }
        let unknown = Hash.leaf([1, 2, 3])
        await #expect(throws: LogError(.notFound, "")) { try await harness.log.proof(forLeafHash: unknown, treeSize: 17) }
        let late = Hash.leaf(entries[16].leafInput)
        await #expect(throws: LogError(.notFound, "")) { try await harness.log.proof(forLeafHash: late, treeSize: 16) }
    }

    @Test func entriesCarryTheirLeafAndTheChainToTheRoot() async throws {
        let (harness, _) = try await Self.grownLog(batches: [6])
        let entries = try await harness.log.entries(start: 0, end: 5)
        for (index, entry) in entries.enumerated() {
            let leaf = try MerkleTreeLeaf(parsing: entry.leafInput)
            #expect(try CTExtensions(parsing: leaf.entry.extensions).leafIndex == UInt64(index))
            let chain: [[UInt8]]
            switch leaf.entry.entry {
            case .x509: chain = try ExtraData.parseX509(entry.extraData)
            case .precert: chain = try ExtraData.parsePrecert(entry.extraData).chain
            }
            #expect(chain == [harness.ca.intermediateDER, harness.ca.rootDER])
        }
        // One copy of each issuer, whatever the number of entries.
        #expect(harness.storage.issuerCount == 2)
    }

    @Test func getEntriesClampsAndNeverReturnsMoreThanAsked() async throws {
        let (harness, _) = try await Self.grownLog(batches: [5], maxGetEntries: 3)
        #expect(try await harness.log.entries(start: 0, end: 100).count == 3)
        #expect(try await harness.log.entries(start: 3, end: 100).count == 2)
        #expect(try await harness.log.entries(start: 4, end: 4).count == 1)
        #expect(try await harness.log.entries(start: 1, end: 2).count == 2)
        await #expect(throws: LogError(.badRequest, "")) { try await harness.log.entries(start: 5, end: 9) }
        await #expect(throws: LogError(.badRequest, "")) { try await harness.log.entries(start: 3, end: 2) }
    }
}
