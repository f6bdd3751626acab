import LogCore
import LogFormat
import Merkle
import PKI
import Testing
import TestSupport

@Suite struct SequencingTests {
    @Test func emptyLogServesASignedHeadOfSizeZero() async throws {
        let harness = try await Harness.make()
        let head = harness.log.treeHead
        #expect(head.treeSize == 0)
        #expect(head.rootHash == Hash.emptyTree)
        let signed = SignedTreeHead(head: TreeHead(treeSize: 0, timestamp: head.timestamp, rootHash: head.rootHash),
                                    signature: try DigitallySigned(parsing: head.signature))
        #expect(signed.verify(key: harness.key.publicKey))
        try await harness.expectConsistent()
    }

    @Test func oneBatchGetsOneTimestampAndVerifiableSCTs() async throws {
        let harness = try await Harness.make()
        let ca = harness.ca
        let chains: [([[UInt8]], SubmissionKind)] = [
            (try ca.chain(), .certificate),
            (try ca.chain() + [ca.rootDER], .certificate),
            (try ca.chain(precertificate: true), .precertificate),
            (try ca.chain(precertificate: true, viaSigningCertificate: true), .precertificate),
            (try ca.chain(), .certificate),
        ]
        let results = try await harness.submitInOneBatch(chains)
        let scts = try results.map { try $0.get() }
        let head = harness.log.treeHead
        #expect(head.treeSize == 5)
        #expect(Set(scts.map(\.timestamp)) == [head.timestamp])
        let indexes = try scts.map { try #require(try CTExtensions(parsing: $0.extensions).leafIndex) }
        #expect(Set(indexes) == Set(0..<5))
        for (sct, (chain, kind)) in zip(scts, chains) {
            let entry = try harness.signedEntry(chain, as: kind)
            #expect(sct.logID == harness.log.logID)
            #expect(sct.verify(entry: entry, key: harness.key.publicKey))
            // The SCT's promise: the entry is in the tree at its index, provably.
            let leaf = MerkleTreeLeaf(entry: TimestampedEntry(timestamp: sct.timestamp, entry: entry, extensions: sct.extensions))
            let (index, path) = try await harness.log.proof(forLeafHash: leaf.leafHash, treeSize: head.treeSize)
            #expect(index == (try CTExtensions(parsing: sct.extensions).leafIndex))
            try ProofVerifier.verifyInclusion(leafHash: leaf.leafHash, index: index, treeSize: head.treeSize,
                                              proof: path, root: head.rootHash)
        }
        try await harness.expectConsistent()
    }

    @Test func aLoggedChainGetsTheSameEntryBack() async throws {
        let harness = try await Harness.make()
        let chain = try harness.ca.chain()
        let first = try await harness.submitInOneBatch([(chain, .certificate)])[0].get()
        let headBefore = harness.log.treeHead
        // The next step answers it from the dedup index: no entry, and the same index and timestamp.
        let newChain = try harness.ca.chain()
        let next = try await harness.submitInOneBatch([(chain, .certificate), (newChain, .certificate)])
        let again = try next[0].get()
        #expect(again.timestamp == first.timestamp)
        #expect(again.extensions == first.extensions)
        #expect(again.verify(entry: .x509(certificate: chain[0]), key: harness.key.publicKey))
        #expect(try CTExtensions(parsing: next[1].get().extensions).leafIndex == headBefore.treeSize)
        #expect(harness.log.treeHead.treeSize == headBefore.treeSize + 1)
        // With the root appended it is still the same leaf.
        let withRoot = try await harness.submitInOneBatch([(chain + [harness.ca.rootDER], .certificate)])[0].get()
        #expect(withRoot.extensions == first.extensions)
        #expect(harness.log.treeHead.treeSize == headBefore.treeSize + 1)
        try await harness.expectConsistent()
    }

    @Test func concurrentDuplicatesBecomeOneEntry() async throws {
        let harness = try await Harness.make()
        let chain = try harness.ca.chain()
        let results = try await harness.submitInOneBatch(Array(repeating: (chain, .certificate), count: 4), waiting: 1)
        let scts = try results.map { try $0.get() }
        #expect(Set(scts.map(\.extensions)).count == 1)
        #expect(harness.log.treeHead.treeSize == 1)
        try await harness.expectConsistent()
    }

    @Test func aFullPoolRefusesWithOverloaded() async throws {
        let harness = try await Harness.make(poolSize: 2)
        let log = harness.log
        let chains = try (0..<3).map { _ in try harness.ca.chain() }
        async let first = log.submit(chain: chains[0], as: .certificate)
        async let second = log.submit(chain: chains[1], as: .certificate)
        let deadline = ContinuousClock.now + .seconds(120)
        while log.poolDepth < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        // The pool is full: the third is refused at once, before any step, and waits for nothing.
        await #expect(throws: LogError(.overloaded, "")) { try await log.submit(chain: chains[2], as: .certificate) }
        await log.sequencer.step()
        let logged = try await [first, second]
        #expect(Set(try logged.map { try #require(try CTExtensions(parsing: $0.extensions).leafIndex) }) == [0, 1])
        #expect(log.treeHead.treeSize == 2)
        try await harness.expectConsistent()
    }

    @Test func aFailedCommitAcknowledgesNothingAndTheLogRecovers() async throws {
        let harness = try await Harness.make()
        let headBefore = harness.log.treeHead
        harness.storage.failNextCommits(1)
        let chain = try harness.ca.chain()
        let failed = try await harness.submitInOneBatch([(chain, .certificate)])
        #expect(throws: LogError.internalError("")) { try failed[0].get() }
        #expect(harness.log.treeHead == headBefore)
        let retried = try await harness.submitInOneBatch([(chain, .certificate)])
        let sct = try retried[0].get()
        #expect(try CTExtensions(parsing: sct.extensions).leafIndex == 0)
        try await harness.expectConsistent()
    }

    @Test func aReopenedLogResumesTheSameTree() async throws {
        let harness = try await Harness.make()
        let ca = harness.ca
        _ = try await harness.submitInOneBatch(try (0..<3).map { _ in (try ca.chain(), .certificate) })
        let oldHead = harness.log.treeHead
        let restarted = try await harness.reopened()
        #expect(restarted.log.treeHead == oldHead)
        _ = try await restarted.submitInOneBatch(try (0..<2).map { _ in (try ca.chain(), .certificate) })
        let newHead = restarted.log.treeHead
        #expect(newHead.treeSize == 5)
        let proof = try await restarted.log.consistencyProof(first: oldHead.treeSize, second: newHead.treeSize)
        try ProofVerifier.verifyConsistency(oldSize: oldHead.treeSize, newSize: newHead.treeSize, proof: proof,
                                            oldRoot: oldHead.rootHash, newRoot: newHead.rootHash)
        try await restarted.expectConsistent()
    }

    @Test func treeHeadTimestampsNeverGoBackwards() async throws {
        let harness = try await Harness.make()
        _ = try await harness.submitInOneBatch([(try harness.ca.chain(), .certificate)])
        let first = harness.log.treeHead
        harness.clock.set(first.timestamp - 60_000)
        let sct = try await harness.submitInOneBatch([(try harness.ca.chain(), .certificate)])[0].get()
        #expect(harness.log.treeHead.timestamp >= first.timestamp)
        #expect(sct.timestamp == harness.log.treeHead.timestamp)
        try await harness.expectConsistent()
    }

    @Test func anIdleHeadIsResignedWithAFreshTimestamp() async throws {
        let harness = try await Harness.make()
        let before = harness.log.treeHead
        await harness.log.sequencer.step()
        #expect(harness.log.treeHead == before)
        harness.clock.advance(5_000)
        await harness.log.sequencer.step()
        #expect(harness.log.treeHead.timestamp == before.timestamp + 5_000)
        #expect(harness.log.treeHead.treeSize == before.treeSize)
        try await harness.expectConsistent()
    }
}
