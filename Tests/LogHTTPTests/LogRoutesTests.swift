import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogCore
import LogFormat
import LogHTTP
import Merkle
import PKI
import Testing
import TestSupport

/// The routes in process: statuses, error bodies and headers for what the end-to-end suites
/// cannot force deterministically over a socket (a held pool, exact limits).
@Suite struct LogRoutesTests {
    struct Fixture {
        let ca: TestCA
        let key: SigningKey
        let log: Log
        let app: Application<RouterResponder<BasicRequestContext>>

        init(poolSize: Int = 100) async throws {
            ca = try TestCA.shared()
            key = try SigningKey.generateP256()
            log = try await GrownLog.open(key: key, poolSize: poolSize)
            let router = Router()
            LogRoutes(log: log).register(on: router)
            app = Application(router: router)
        }

        func addChainBody(_ chain: [[UInt8]]) throws -> ByteBuffer {
            ByteBuffer(bytes: try JSONEncoder().encode(AddChainRequest(certificates: chain)))
        }
    }

    static func error(_ response: TestResponse) throws -> ErrorResponse {
        #expect(response.headers[.contentType] == "application/json")
        return try JSONDecoder().decode(ErrorResponse.self, from: Data(response.body.readableBytesView))
    }

    @Test func getSTHServesAVerifiableHead() async throws {
        let fixture = try await Fixture()
        try await fixture.app.test(.router) { client in
            try await client.execute(uri: "/ct/v1/get-sth", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode(GetSTHResponse.self, from: Data(response.body.readableBytesView))
                let sth = try body.signedTreeHead()
                #expect(sth.head.treeSize == 0)
                #expect(sth.head.rootHash == Hash.emptyTree)
                #expect(sth.verify(key: fixture.key.publicKey))
            }
        }
    }

    /// The answer is encoded once a head, and follows the head as the tree grows.
    @Test func getSTHFollowsEachNewHead() async throws {
        let fixture = try await Fixture()
        try await fixture.app.test(.router) { client in
            func sth() async throws -> SignedTreeHead {
                try await client.execute(uri: "/ct/v1/get-sth", method: .get) { response in
                    let sth = try JSONDecoder().decode(GetSTHResponse.self, from: Data(response.body.readableBytesView)).signedTreeHead()
                    #expect(sth.verify(key: fixture.key.publicKey))
                    return sth
                }
            }
            let empty = try await sth()
            #expect(try await sth() == empty)
            let chain = try fixture.ca.chain()
            async let answer = client.execute(uri: "/ct/v1/add-chain", method: .post, body: try fixture.addChainBody(chain))
            try await waitForPool(fixture.log, depth: 1)
            await fixture.log.sequencer.step()
            #expect(try await answer.status == .ok)
            let grown = try await sth()
            #expect(grown.head.treeSize == 1 && grown.head.rootHash == fixture.log.treeHead.rootHash)
            #expect(grown != empty)
        }
    }

    @Test func aSubmissionIsAnsweredOnlyAfterSequencing() async throws {
        let fixture = try await Fixture()
        let chain = try fixture.ca.chain()
        try await fixture.app.test(.router) { client in
            async let answer = client.execute(uri: "/ct/v1/add-chain", method: .post, body: try fixture.addChainBody(chain))
            try await waitForPool(fixture.log, depth: 1)
            #expect(fixture.log.treeHead.treeSize == 0)
            await fixture.log.sequencer.step()
            let response = try await answer
            #expect(response.status == .ok)
            let sct = try JSONDecoder().decode(AddChainResponse.self, from: Data(response.body.readableBytesView)).sct()
            #expect(sct.verify(entry: .x509(certificate: chain[0]), key: fixture.key.publicKey))
            #expect(fixture.log.treeHead.treeSize == 1)
        }
    }

    @Test func aFullPoolAnswers503WithRetryAfterAndLogsNothing() async throws {
        let fixture = try await Fixture(poolSize: 1)
        let first = try fixture.ca.chain()
        let second = try fixture.ca.chain()
        try await fixture.app.test(.router) { client in
            async let waiting = client.execute(uri: "/ct/v1/add-chain", method: .post, body: try fixture.addChainBody(first))
            try await waitForPool(fixture.log, depth: 1)
            try await client.execute(uri: "/ct/v1/add-chain", method: .post, body: try fixture.addChainBody(second)) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                let error = try Self.error(response)
                #expect(error.error == "overloaded")
            }
            await fixture.log.sequencer.step()
            #expect(try await waiting.status == .ok)
            #expect(fixture.log.treeHead.treeSize == 1)
        }
    }

    @Test func oversizedBodiesAreRefusedWith413() async throws {
        let fixture = try await Fixture()
        try await fixture.app.test(.router) { client in
            let body = ByteBuffer(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 512 * 1024 + 1))
            try await client.execute(uri: "/ct/v1/add-chain", method: .post, body: body) { response in
                #expect(response.status == .contentTooLarge)
                let error = try Self.error(response)
                #expect(error.error == "bodyTooLarge")
            }
        }
        #expect(fixture.log.treeHead.treeSize == 0)
    }

    @Test(arguments: [
        ("/ct/v1/add-chain", HTTPRequest.Method.get), ("/ct/v1/add-pre-chain", .get),
        ("/ct/v1/get-sth", .post), ("/ct/v1/get-entries", .post),
    ])
    func wrongMethodsAre405(_ path: String, _ method: HTTPRequest.Method) async throws {
        let fixture = try await Fixture()
        try await fixture.app.test(.router) { client in
            try await client.execute(uri: path, method: method) { response in
                #expect(response.status == .methodNotAllowed)
                let error = try Self.error(response)
                #expect(error.error == "methodNotAllowed")
            }
        }
    }

    @Test(arguments: [
        ("/ct/v1/get-entries?start=0", "end"),
        ("/ct/v1/get-entries?start=-1&end=2", "start"),
        ("/ct/v1/get-entries?start=0&end=1x", "end"),
        ("/ct/v1/get-sth-consistency?first=1", "second"),
        ("/ct/v1/get-proof-by-hash?tree_size=1", "hash"),
        ("/ct/v1/get-proof-by-hash?hash=AAAA&tree_size=1", "32"),
        ("/ct/v1/get-entry-and-proof?leaf_index=0", "tree_size"),
    ])
    func malformedQueriesAre400NamingTheProblem(_ uri: String, _ named: String) async throws {
        let fixture = try await Fixture()
        try await fixture.app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                let error = try Self.error(response)
                #expect(error.error == "badRequest")
                #expect(error.message.contains(named))
            }
        }
    }

    @Test func badSubmissionsAre400WithAJSONBody() async throws {
        let fixture = try await Fixture()
        let precertificate = try fixture.ca.chain(precertificate: true)
        let cases: [(String, ByteBuffer, String)] = [
            ("/ct/v1/add-chain", ByteBuffer(string: "{"), "badRequest"),
            ("/ct/v1/add-chain", ByteBuffer(string: #"{"chain": ["!!"]}"#), "badRequest"),
            ("/ct/v1/add-chain", ByteBuffer(string: #"{"chain": "MIIB"}"#), "badRequest"),
            ("/ct/v1/add-chain", try fixture.addChainBody(precertificate), "invalidChain"),
            ("/ct/v1/add-pre-chain", try fixture.addChainBody(try fixture.ca.chain()), "invalidChain"),
            ("/ct/v1/add-chain", try fixture.addChainBody(try TestCA().chain()), "invalidChain"),
        ]
        try await fixture.app.test(.router) { client in
            for (path, body, code) in cases {
                try await client.execute(uri: path, method: .post, body: body) { response in
                    #expect(response.status == .badRequest, "\(path) \(String(buffer: body))")
                    let error = try Self.error(response)
                    #expect(error.error == code)
                }
            }
            try await client.execute(uri: "/ct/v1/get-proof-by-hash?hash=\(Data(repeating: 7, count: 32).base64EncodedString())&tree_size=1",
                                     method: .get) { response in
                #expect(response.status == .badRequest)  // tree_size 1 exceeds the empty tree
            }
        }
        #expect(fixture.log.treeHead.treeSize == 0)
    }
}

/// Waits until `depth` submissions sit in the pool. Bounded: after 120 s it sequences the pool
/// (so no waiting request is left hanging) and throws.
func waitForPool(_ log: Log, depth: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(120)
    while log.poolDepth < depth, ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(2))
    }
    if log.poolDepth < depth {
        await log.sequencer.step()
        throw TestCAError(message: "pool depth \(log.poolDepth) after 120 s, want \(depth)")
    }
}
