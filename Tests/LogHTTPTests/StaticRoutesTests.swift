import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogCore
import LogFormat
import LogHTTP
import Merkle
import PKI
import Synchronization
import Testing
import TestSupport

/// The static-ct-api read path over a log past one tile boundary: the checkpoint verifies and
/// matches get-sth, the tiles hash to its root, the data tiles hash to the level-0 tiles.
@Suite struct StaticRoutesTests {
    static let size = 300

    /// One grown log for the whole suite: making 300 certificates with the openssl CLI is the slow part.
    static let shared = Task { try await grownLog() }

    /// A log of `size` entries (every fifth a precertificate) served by both route sets.
    static func grownLog() async throws -> (Log, SigningKey, Application<RouterResponder<BasicRequestContext>>) {
        let key = try SigningKey.generateP256()
        let log = try await GrownLog.open(origin: "vigil.test/static", key: key)
        try await GrownLog.grow(log, by: size)
        let router = Router()
        LogRoutes(log: log).register(on: router)
        StaticRoutes(log: log).register(on: router)
        return (log, key, Application(router: router))
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get)
    }

    @Test func theStaticTreeMatchesTheRFC6962Tree() async throws {
        let (log, key, app) = try await Self.shared.value
        try await app.test(.router) { client in
            // The checkpoint verifies under the log's static-ct-api key and is the get-sth head.
            let checkpointResponse = try await Self.get(client, "/checkpoint")
            #expect(checkpointResponse.headers[.contentType] == "text/plain; charset=utf-8")
            let note = try SignedNote(parsing: String(buffer: checkpointResponse.body))
            let verifier = NoteVerifierKey(rfc6962Origin: "vigil.test/static", key: key.publicKey)
            let checkpointHead = try RFC6962NoteSignature.treeHead(of: note, signature: verifier.verify(note))
            let sthResponse = try await Self.get(client, "/ct/v1/get-sth")
            let sth = try JSONDecoder().decode(GetSTHResponse.self, from: Data(sthResponse.body.readableBytesView)).signedTreeHead()
            #expect(checkpointHead == sth)
            #expect(sth.head.treeSize == UInt64(Self.size))

            // The tiles hash to the checkpoint's root.
            var tiles: [TileID: [Hash]] = [:]
            for id in TiledProofs.tilesForRoot(treeSize: sth.head.treeSize) {
                let path = try #require(TilePath.hashTile(id, treeSize: sth.head.treeSize))
                let response = try await Self.get(client, "/\(path)")
                #expect(response.status == .ok, "\(path)")
                let bytes = [UInt8](response.body.readableBytesView)
                tiles[id] = stride(from: 0, to: bytes.count, by: 32).map { Hash(Array(bytes[$0..<$0 + 32])) }
            }
            #expect(try TiledProofs.rootHash(treeSize: sth.head.treeSize, tiles: tiles) == sth.head.rootHash)

            // Every data tile entry hashes to its level-0 hash, names its own index, and its issuers are served.
            var fingerprints = Set<[UInt8]>()
            for (tile, width) in [(0, 256), (1, Self.size - 256)] {
                let suffix = width == 256 ? "" : ".p/\(width)"
                let data = try await Self.get(client, "/tile/data/00\(tile)\(suffix)")
                let level0 = try await Self.get(client, "/tile/0/00\(tile)\(suffix)")
                #expect(data.headers[.cacheControl] == (width == 256 ? "public, max-age=31536000, immutable" : "public, max-age=5"))
                let leaves = try TileLeaf.parseAll([UInt8](data.body.readableBytesView))
                let hashes = [UInt8](level0.body.readableBytesView)
                #expect(leaves.count == width)
                for (position, leaf) in leaves.enumerated() {
                    #expect(leaf.merkleTreeLeaf.leafHash.bytes == Array(hashes[position * 32..<position * 32 + 32]))
                    #expect(try CTExtensions(parsing: leaf.entry.extensions).leafIndex == UInt64(tile * 256 + position))
                    fingerprints.formUnion(leaf.chainFingerprints)
                }
            }
            #expect(fingerprints.count == 2)
            for fingerprint in fingerprints {
                let response = try await Self.get(client, "/issuer/\(Hex.encode(fingerprint))")
                #expect(response.headers[.contentType] == "application/pkix-cert")
                #expect(SHA256.hash([UInt8](response.body.readableBytesView)) == fingerprint)
            }
        }
        _ = log
    }

    @Test func tilesBeyondTheTreeAndMalformedPathsAreRefused() async throws {
        let (_, _, app) = try await Self.shared.value
        let cases: [(String, HTTPResponse.Status)] = [
            ("/tile/0/001", .notFound),            // still partial (44 wide)
            ("/tile/0/001.p/45", .notFound),       // wider than the tree
            ("/tile/data/002.p/1", .notFound),
            ("/tile/1/000", .notFound),            // level 1 holds 1 hash
            ("/tile/0/1", .badRequest),            // not 3 digits
            ("/tile/0/x000/001", .badRequest),     // not canonical: a leading zero element
            ("/tile/6/000", .badRequest),
            ("/tile/0/000.p/0", .badRequest),
            ("/tile/0/000.p/256", .badRequest),
            ("/issuer/zz", .badRequest),
            ("/issuer/\(String(repeating: "ab", count: 32))", .notFound),
        ]
        try await app.test(.router) { client in
            for (uri, status) in cases {
                let response = try await Self.get(client, uri)
                #expect(response.status == status, "\(uri)")
            }
            #expect(try await Self.get(client, "/tile/1/000.p/1").status == .ok)
            #expect(try await Self.get(client, "/tile/0/001.p/44").status == .ok)
            #expect(try await Self.get(client, "/tile/0/000.p/100").status == .ok)  // a prefix of a full tile
        }
    }

    @Test(arguments: [(UInt64(0), "tile/0/000"), (5, "tile/0/005"), (1000, "tile/0/x001/000"), (1_234_067, "tile/0/x001/x234/067")])
    func tilePathsUseThreeDigitElements(_ index: UInt64, _ path: String) throws {
        let tile = TilePath(kind: .hashes(level: 0), index: index, partialWidth: nil)
        #expect(tile.description == path)
        #expect(try TilePath(elements: path.split(separator: "/").dropFirst().map { $0 }) == tile)
    }
}
