import LogClient
import LogFormat
import Merkle
import PKI
import Testing

/// Each test reads through a server that lies in exactly one place; the client must refuse
/// with the error code of that kind of lie, naming where it found it.
@Suite struct TamperingTests {
    static func client(_ baseURL: String, _ tampering: Tampering, _ log: TestLog) -> StaticLogClient {
        StaticLogClient(monitoringURL: "\(baseURL)/tampered/\(tampering.rawValue)", publicKey: log.key.publicKey)
    }

    @Test(arguments: [
        (Tampering.levelZeroTile, LogClientError.Code.badTile, "tile/0/000 hashes to"),
        (.dataTile, .badTile, "entry 0 in data tile 0 has leaf hash"),
        (.edgeDataTile, .badTile, "entry 512 in data tile 2 has leaf hash"),
        (.levelOneTile, .badTile, "the right-edge tiles (tile/0/002.p/93, tile/1/000.p/2) hash to root"),
        (.issuer, .badIssuer, "serves a certificate whose SHA-256 is"),
        (.checkpointSignature, .badCheckpoint, "does not verify with the log's key"),
    ])
    func verifyAllRefusesATamperedLog(_ tampering: Tampering, _ code: LogClientError.Code, _ message: String) async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            // The untampered view of the same log verifies.
            let honest = StaticLogClient(monitoringURL: baseURL, publicKey: log.key.publicKey)
            _ = try await honest.verifyAll(try await honest.checkpoint(), checkIssuers: true)

            let client = Self.client(baseURL, tampering, log)
            let error = await #expect(throws: LogClientError(code, "")) {
                _ = try await client.verifyAll(try await client.checkpoint(), checkIssuers: true)
            }
            #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
        }
    }

    /// A proof computed from a tampered tile does not verify.
    @Test(arguments: [(Tampering.levelZeroTile, UInt64(2)), (.levelOneTile, 600), (.levelOneTile, 3)])
    func aTamperedTileBreaksTheProofsThatReadIt(_ tampering: Tampering, _ index: UInt64) async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            let client = Self.client(baseURL, tampering, log)
            let head = try log.head(size: log.size)
            await #expect(throws: LogClientError(.badProof, "")) {
                _ = try await client.inclusionProof(index: index, leafHash: log.leafHashes[Int(index)], in: head)
            }
            await #expect(throws: LogClientError(.badProof, "")) {
                _ = try await client.consistencyProof(from: try log.head(size: index + 1), to: head)
            }
        }
    }

    /// Not a lie in transit but a log that signed a broken entry: static-ct-api requires every
    /// entry's leaf_index extension to name its own index.
    @Test func anEntryNamingAnotherIndexIsRefused() async throws {
        let log = try await TestLog.make(synthetic: 300, submitted: 0, misnumbered: 260)
        try await TestServer.serving(log) { baseURL in
            let client = StaticLogClient(monitoringURL: baseURL, publicKey: log.key.publicKey)
            var delivered = 0
            let error = await #expect(throws: LogClientError(.badTile, "")) {
                _ = try await client.verifyAll(try await client.checkpoint()) { delivered += $0.count }
            }
            #expect(error?.message == "entry 260 in data tile 1 carries leaf_index 261")
            #expect(delivered == 256)
        }
    }

    @Test func aCheckpointOfAnotherOriginIsRefused() async throws {
        let log = try await TestLog.standard.value
        try await TestServer.serving(log) { baseURL in
            let client = StaticLogClient(monitoringURL: baseURL, publicKey: log.key.publicKey, origin: "vigil.test/other")
            let error = await #expect(throws: LogClientError(.badCheckpoint, "")) { try await client.checkpoint() }
            #expect(error?.message == "the checkpoint's origin is \"\(TestLog.origin)\", want \"vigil.test/other\"")
        }
    }

    @Test func aCheckpointSignedByAnotherKeyIsRefused() async throws {
        let log = try await TestLog.standard.value
        let otherKey = try SigningKey.generateP256().publicKey
        try await TestServer.serving(log) { baseURL in
            let client = StaticLogClient(monitoringURL: baseURL, publicKey: otherKey)
            let error = await #expect(throws: LogClientError(.badCheckpoint, "")) { try await client.checkpoint() }
            let keyID = NoteVerifierKey(rfc6962Origin: TestLog.origin, key: otherKey).keyID
            #expect(error?.message.contains("no signature of \(TestLog.origin) with the log key's ID \(Hex.encode(keyID))") == true)
        }
    }
}
