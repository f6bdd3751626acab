import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogCore
import LogFormat
@testable import LogHTTP
import Merkle
import MetricsTestKit
import NIOCore
import NIOHTTPTypes
import NIOPosix
import PKI
import Synchronization
import Testing
import TestSupport

/// `HotRouteHandler` on a live server: the same answers as the router, without the router, in
/// request order on a pipelined connection.
@Suite struct HotRoutesTests {
    /// One log served twice: by the router alone (in process, `LogRoutesTests`' fixture), and live
    /// with the hot handler in front of a router that notes every request reaching it.
    struct Fixture {
        let base: LogRoutesTests.Fixture
        let hotApp: Application<RouterResponder<BasicRequestContext>>
        let reachedRouter: Paths
        /// The path of every request head that reached the server, hot or not, in order.
        let reachedServer: Paths
        /// Opened by a test to let `GET /slow` (a router-only route) answer.
        let gate: Gate
        /// What the hot routes record.
        let metrics = TestMetrics()

        var ca: TestCA { base.ca }
        var key: SigningKey { base.key }
        var log: Log { base.log }
        var routerApp: Application<RouterResponder<BasicRequestContext>> { base.app }

        init(poolSize: Int = 100) async throws {
            base = try await LogRoutesTests.Fixture(poolSize: poolSize)
            let reached = Paths()
            let arrived = Paths()
            let gate = Gate()
            let router = Router()
            router.add(middleware: NotingMiddleware(paths: reached))
            let routes = LogRoutes(log: base.log)
            routes.register(on: router)
            router.get("/slow") { _, _ -> String in
                await gate.wait()
                return "slow"
            }
            var hot = HotRoutes(serverName: "vigil-log", metricsFactory: metrics)
            hot.add(routes)
            let handlers = hot
            hotApp = Application(
                router: router, server: .http1(configuration: .init(additionalChannelHandlers: [HeadNoter(paths: arrived), handlers.handler()])),
                configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "vigil-log"))
            reachedRouter = reached
            reachedServer = arrived
            self.gate = gate
        }

        func body(_ chain: [[UInt8]]) throws -> ByteBuffer {
            try base.addChainBody(chain)
        }
    }

    @Test func answersAreTheRoutersWithoutTheRouter() async throws {
        let fixture = try await Fixture()
        try await GrownLog.grow(fixture.log, by: 4)
        let entries = try await fixture.log.entries(start: 0, end: 3)
        let leaf = Hash.leaf(entries[2].leafInput).bytes
        func hash(_ bytes: [UInt8]) -> String {
            Data(bytes).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        }
        let requests: [(String, HTTPRequest.Method, ByteBuffer?)] = [
            ("/ct/v1/get-sth", .get, nil),
            ("/ct/v1/get-proof-by-hash?hash=\(hash(leaf))&tree_size=4", .get, nil),
            ("/ct/v1/get-proof-by-hash?hash=\(hash(leaf))&tree_size=3", .get, nil),
            ("/ct/v1/get-proof-by-hash?hash=\(hash(leaf))&tree_size=2", .get, nil),
            ("/ct/v1/get-proof-by-hash?hash=\(hash(leaf))&tree_size=9", .get, nil),
            ("/ct/v1/get-proof-by-hash?hash=\(hash([UInt8](repeating: 7, count: 32)))&tree_size=4", .get, nil),
            ("/ct/v1/get-proof-by-hash?hash=AAAA&tree_size=4", .get, nil),
            ("/ct/v1/get-proof-by-hash?tree_size=4", .get, nil),
            ("/ct/v1/get-proof-by-hash?hash=\(hash(leaf))&tree_size=-4", .get, nil),
            ("/ct/v1/add-chain", .post, ByteBuffer(string: "{")),
            ("/ct/v1/add-chain", .post, ByteBuffer()),
            ("/ct/v1/add-chain", .post, ByteBuffer(string: #"{"chain": ["!!"]}"#)),
            ("/ct/v1/add-chain", .post, try fixture.body(try fixture.ca.chain(precertificate: true))),
            ("/ct/v1/add-pre-chain", .post, try fixture.body(try fixture.ca.chain())),
            ("/ct/v1/add-chain", .post, try fixture.body(try TestCA().chain())),
            ("/ct/v1/add-chain", .post, ByteBuffer(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 512 * 1024 + 1))),
        ]
        let expected = try await fixture.routerApp.test(.router) { client in
            var answers: [(HTTPResponse.Status, ByteBuffer)] = []
            for (uri, method, body) in requests {
                let response = try await client.execute(uri: uri, method: method, body: body)
                answers.append((response.status, response.body))
            }
            return answers
        }
        try await fixture.hotApp.test(.live) { client in
            for ((uri, method, body), (status, routerBody)) in zip(requests, expected) {
                let response = try await client.execute(uri: uri, method: method, body: body)
                #expect(response.status == status, "\(method) \(uri)")
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.headers[.contentLength] == String(response.body.readableBytes))
                #expect(response.headers[.server] == "vigil-log")
                #expect(response.headers[.date].map(Self.isIMFDate) == true)
                #expect(response.body == routerBody, "\(uri)")
                if status != .ok && status != .accepted {
                    #expect(String(buffer: response.body).hasPrefix(#"{"error":""#), "\(uri)")
                }
            }
            #expect(fixture.reachedRouter.all.isEmpty)
            // Another method on a hot path, and any other route, go to the router.
            #expect(try await client.execute(uri: "/ct/v1/get-sth", method: .post).status == .methodNotAllowed)
            #expect(try await client.execute(uri: "/ct/v1/get-roots", method: .get).status == .ok)
            #expect(fixture.reachedRouter.all == ["/ct/v1/get-sth", "/ct/v1/get-roots"])
        }
        #expect(fixture.log.treeHead.treeSize == 4)
    }

    /// add-chain waits for its batch; a router request and a hot one pipelined behind it wait
    /// too, and each answer reaches the request it belongs to: the client pairs answers with
    /// requests in order, so an answer out of order would not decode as its request's.
    @Test func pipelinedRequestsBehindAHotOneAreAnsweredInOrder() async throws {
        let fixture = try await Fixture()
        let chain = try fixture.ca.chain()
        let body = try fixture.body(chain)
        try await fixture.hotApp.test(.live) { client in
            let answered = Paths()
            async let submitted = client.execute(uri: "/ct/v1/add-chain", method: .post, body: body)
            try await waitForPool(fixture.log, depth: 1)
            async let roots = answered.noting("roots") { try await client.execute(uri: "/ct/v1/get-roots", method: .get) }
            async let sth = answered.noting("sth") { try await client.execute(uri: "/ct/v1/get-sth", method: .get) }
            // get-roots waits behind the submission; get-sth may not even be read yet, since
            // reads stop once a request waits.
            try await fixture.reachedServer.wait(for: "/ct/v1/get-roots")
            try await Task.sleep(for: .milliseconds(100))
            #expect(answered.all.isEmpty)
            await fixture.log.sequencer.step()

            let sct = try JSONDecoder().decode(AddChainResponse.self, from: Data(try await submitted.body.readableBytesView)).sct()
            #expect(sct.verify(entry: .x509(certificate: chain[0]), key: fixture.key.publicKey))
            let rootsBody = try JSONDecoder().decode(GetRootsResponse.self, from: Data(try await roots.body.readableBytesView))
            #expect(rootsBody.certificates.count == 1)
            let head = try JSONDecoder().decode(GetSTHResponse.self, from: Data(try await sth.body.readableBytesView)).signedTreeHead()
            #expect(head.head.treeSize == 1 && head.verify(key: fixture.key.publicKey))
        }
    }

    /// A hot request pipelined behind one the router is still answering goes to the router too,
    /// and is answered after it.
    @Test func hotRequestsBehindARouterOneWaitForIt() async throws {
        let fixture = try await Fixture()
        try await fixture.hotApp.test(.live) { client in
            let answered = Paths()
            async let slow = answered.noting("slow") { try await client.execute(uri: "/slow", method: .get) }
            try await fixture.reachedRouter.wait(for: "/slow")
            async let sth = answered.noting("sth") { try await client.execute(uri: "/ct/v1/get-sth", method: .get) }
            try await fixture.reachedServer.wait(for: "/ct/v1/get-sth")
            try await Task.sleep(for: .milliseconds(100))
            #expect(answered.all.isEmpty)
            fixture.gate.open()
            #expect(String(buffer: try await slow.body) == "slow")
            let head = try JSONDecoder().decode(GetSTHResponse.self, from: Data(try await sth.body.readableBytesView)).signedTreeHead()
            #expect(head.head.treeSize == 0 && head.verify(key: fixture.key.publicKey))
            #expect(fixture.reachedRouter.all == ["/slow", "/ct/v1/get-sth"])
        }
    }

    @Test func aFullPoolAnswers503WithRetryAfter() async throws {
        let fixture = try await Fixture(poolSize: 1)
        let first = try fixture.body(try fixture.ca.chain())
        let second = try fixture.body(try fixture.ca.chain())
        try await fixture.hotApp.test(.live) { client in
            async let waiting = client.execute(uri: "/ct/v1/add-chain", method: .post, body: first)
            try await waitForPool(fixture.log, depth: 1)
            let other = TestClient(host: "127.0.0.1", port: try #require(client.port))
            other.connect()
            let refused = try await other.execute(TestClient.Request("/ct/v1/add-chain", method: .post, authority: "localhost", body: second))
            try await other.shutdown()
            #expect(refused.head.status == .serviceUnavailable)
            #expect(refused.head.headerFields[.retryAfter] == "1")
            let error = try JSONDecoder().decode(ErrorResponse.self, from: Data(try #require(refused.body).readableBytesView))
            #expect(error.error == "overloaded")
            await fixture.log.sequencer.step()
            #expect(try await waiting.status == .ok)
            #expect(fixture.reachedRouter.all.isEmpty)
        }
        #expect(fixture.log.treeHead.treeSize == 1)
    }

    /// The router's request metrics, recorded for the answers made here; a request whose
    /// connection closes while its body is read leaves no active request behind.
    @Test func requestsAreCountedAsTheRouterCountsThem() async throws {
        let fixture = try await Fixture()
        try await fixture.hotApp.test(.live) { client in
            for _ in 0..<2 { #expect(try await client.execute(uri: "/ct/v1/get-sth", method: .get).status == .ok) }
            #expect(try await client.execute(uri: "/ct/v1/get-proof-by-hash?tree_size=0", method: .get).status == .badRequest)

            let sth = [("http.route", "/ct/v1/get-sth"), ("http.request.method", "GET"), ("http.response.status_code", "200")]
            #expect(try fixture.metrics.expectCounter("hb.requests", sth).totalValue == 2)
            #expect(try fixture.metrics.expectTimer("http.server.request.duration", sth).values.count == 2)
            let refused = [("http.route", "/ct/v1/get-proof-by-hash"), ("http.request.method", "GET"), ("http.response.status_code", "400")]
            #expect(try fixture.metrics.expectCounter("hb.requests", refused).totalValue == 1)
            #expect(try fixture.metrics.expectMeter("http.server.active_requests", [("http.request.method", "GET")]).lastValue == 0)

            // Half a submission, then the connection closes.
            let port = try #require(client.port)
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
            try await channel.writeAndFlush(ByteBuffer(string: "POST /ct/v1/add-chain HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{\"chain\"")).get()
            let posts = try fixture.metrics.expectMeter("http.server.active_requests", [("http.request.method", "POST")])
            let deadline = ContinuousClock.now + .seconds(20)
            while !posts.values.contains(1), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(posts.lastValue == 1, "the submission's head was read")
            try await channel.close()
            while posts.lastValue != 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(posts.lastValue == 0)
        }
        #expect(fixture.log.treeHead.treeSize == 0)
    }

    @Test func datesAreIMFFixdates() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var generator = SystemRandomNumberGenerator()
        let seconds = [0, 951_782_400, 4_107_542_399, 1_796_131_200] + (0..<2000).map { _ in Int.random(in: 0..<8_000_000_000, using: &generator) }
        for second in seconds {
            #expect(HTTPDate.format(unixSeconds: second) == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(second))),
                    "\(second)")
        }
        #expect(Self.isIMFDate(HTTPDate.now))
    }

    static func isIMFDate(_ text: String) -> Bool {
        text.range(of: #"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$"#,
                   options: .regularExpression) != nil
    }
}

/// Paths or names noted in order. Owner: the mutex.
final class Paths: Sendable {
    private let noted = Mutex<[String]>([])

    var all: [String] { noted.withLock { $0 } }

    func note(_ name: String) { noted.withLock { $0.append(name) } }

    /// Runs `body`, then notes `name`.
    func noting<T: Sendable>(_ name: String, _ body: () async throws -> T) async throws -> T {
        let value = try await body()
        note(name)
        return value
    }

    /// Waits (at most 20 s) until `name` was noted.
    func wait(for name: String) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !all.contains(name), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(all.contains(name))
    }
}

/// Notes the path of every request that reaches the router.
struct NotingMiddleware<Context: RequestContext>: RouterMiddleware {
    let paths: Paths

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        paths.note(request.uri.path)
        return try await next(request, context)
    }
}

/// Notes the path of every request head on its way in, before `HotRouteHandler` sees it.
final class HeadNoter: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    let paths: Paths

    init(paths: Paths) { self.paths = paths }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) { paths.note(head.path ?? "") }
        context.fireChannelRead(data)
    }
}

/// Closed until opened once; waiters wait until then. Owner: the mutex.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiting.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
