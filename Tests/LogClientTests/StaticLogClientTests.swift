import LogClient
import LogCore
import LogFormat
import Merkle
import PKI
import Testing

/// The static-ct-api client against a real server over loopback: what it verifies is the tree
/// the RFC 6962 API serves, entry for entry.
@Suite struct StaticLogClientTests {
    static func client(_ baseURL: String, _ log: TestLog, origin: String? = nil) -> StaticLogClient {
        StaticLogClient(monitoringURL: baseURL, publicKey: log.key.publicKey, origin: origin)
    }

    @Test func theCheckpointVerifiesAndCarriesTheGetSTHHead() async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            let sth = try await LogClient(url: baseURL, publicKey: log.key.publicKey).signedTreeHead()
            for (url, origin) in [(baseURL, nil), (baseURL + "/", TestLog.origin)] {
                let checkpoint = try await Self.client(url, log, origin: origin).checkpoint()
                #expect(checkpoint.origin == TestLog.origin)
                #expect(checkpoint.treeHead == sth)
                #expect(checkpoint.treeSize == log.size)
                #expect(checkpoint.note.hasPrefix("\(TestLog.origin)\n\(log.size)\n"))
            }
        }
    }

    @Test func verifyAllProvesEveryEntryInOrderAndEveryIssuer() async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            let client = Self.client(baseURL, log)
            let checkpoint = try await client.checkpoint()
            var delivered: [TileEntry] = []
            var batches = 0
            let verification = try await client.verifyAll(checkpoint, checkIssuers: true) { entries in
                delivered += entries
                batches += 1
            }
            #expect(verification == LogVerification(treeSize: 605, rootHash: log.log.treeHead.rootHash, entries: 605, issuers: 2))
            #expect(verification.line == "verified tree_size=605 root=\(log.log.treeHead.rootHash) entries=605 issuers=2")
            #expect(batches == 3)
            #expect(delivered.map(\.index) == Array(0..<605))
            #expect(delivered.map(\.leafHash) == log.leafHashes)
        }
    }

    @Test(arguments: [UInt64(300), 511, 512, 604, 605])
    func verifyAllFromAnIndexDeliversTheRest(_ start: UInt64) async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            let client = Self.client(baseURL, log)
            var delivered: [UInt64] = []
            let verification = try await client.verifyAll(try await client.checkpoint(), from: start) { delivered += $0.map(\.index) }
            #expect(verification.entries == 605 - start)
            #expect(verification.issuers == nil)
            #expect(delivered == Array(start..<605))
        }
    }

    /// Indices at tile edges, in the current tree and in older ones whose tiles are now wider.
    @Test(arguments: [(UInt64(0), UInt64(605)), (2, 605), (255, 605), (256, 605), (511, 605), (512, 605), (604, 605),
                      (0, 1), (100, 257), (256, 257), (299, 300), (511, 512)])
    func inclusionProofsFromTilesVerify(_ index: UInt64, _ size: UInt64) async throws {
        let log = try await TestLog.standard.value
        let head = try log.head(size: size)
        try await TestServer.serving(log) { baseURL in
            let client = Self.client(baseURL, log)
            let proof = try await client.inclusionProof(index: index, leafHash: log.leafHashes[Int(index)], in: head)
            #expect(proof == MerkleTree.inclusionProof(index: index, leafHashes: Array(log.leafHashes.prefix(Int(size)))))
            let entry = try await client.entry(at: index, in: head)
            #expect(entry.index == index)
            #expect(entry.leafHash == log.leafHashes[Int(index)])
            // The proof is of this leaf: another hash fails.
            await #expect(throws: LogClientError(.badProof, "")) {
                try await client.inclusionProof(index: index, leafHash: Hash.emptyTree, in: head)
            }
        }
    }

    @Test(arguments: [(UInt64(1), UInt64(605)), (255, 256), (256, 605), (300, 512), (512, 605), (604, 605), (605, 605),
                      (7, 300), (0, 605)])
    func consistencyProofsFromTilesVerify(_ oldSize: UInt64, _ newSize: UInt64) async throws {
        let log = try await TestLog.standard.value
        let (old, new) = (try log.head(size: oldSize), try log.head(size: newSize))
        try await TestServer.serving(log) { baseURL in
            let client = Self.client(baseURL, log)
            let proof = try await client.consistencyProof(from: old, to: new)
            let reference = oldSize == 0 ? [] : MerkleTree.consistencyProof(oldSize: oldSize, leafHashes: Array(log.leafHashes.prefix(Int(newSize))))
            #expect(proof == reference)
            if oldSize > 0 && oldSize < newSize {
                var forked = old
                forked.head.rootHash = Hash.emptyTree
                await #expect(throws: LogClientError(.badProof, "")) { try await client.consistencyProof(from: forked, to: new) }
                await #expect(throws: LogClientError(.badProof, "")) { try await client.consistencyProof(from: new, to: old) }
            }
        }
    }

    @Test func issuersAreServedByTheirFingerprints() async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            let client = Self.client(baseURL, log)
            for fingerprint in log.issuerFingerprints {
                let der = try await client.issuer(fingerprint: fingerprint)
                #expect(SHA256.hash(der) == fingerprint)
            }
            let error = await #expect(throws: LogClientError(.httpStatus, "")) {
                try await client.issuer(fingerprint: SHA256.hash([1, 2, 3]))
            }
            #expect(error?.status == 404)
        }
    }

    /// Empty trees, single leaves, exact tile boundaries.
    @Test(arguments: [0, 1, 255, 256, 257, 512])
    func verifyAllAtTileBoundaries(_ size: Int) async throws {
        let log = try await TestLog.make(synthetic: size, submitted: 0)
        try await TestServer.serving(log) { baseURL in
            let client = Self.client(baseURL, log)
            var count = 0
            let verification = try await client.verifyAll(try await client.checkpoint(), checkIssuers: true) { count += $0.count }
            #expect(verification.rootHash == MerkleTree.rootHash(leafHashes: log.leafHashes))
            #expect(verification.treeSize == UInt64(size))
            #expect(verification.entries == UInt64(size))
            #expect(verification.issuers == (size == 0 ? 0 : 2))
            #expect(count == size)
        }
    }
}
