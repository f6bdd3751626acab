import Hummingbird
import LogCore
import LogHTTP
import Logging
import ServiceLifecycle

/// A real HTTP server on 127.0.0.1 for the duration of one test.
enum TestServer {
    /// Serves `log` on an ephemeral loopback port while `body` runs, then shuts down: both APIs at the
    /// root, and for every `Tampering` the same routes under `/tampered/<case>`, lying at its target.
    static func serving<T: Sendable>(_ log: TestLog, _ body: @Sendable (_ baseURL: String) async throws -> T) async throws -> T {
        let router = Router()
        router.add(middleware: TamperingMiddleware(issuerFingerprint: log.issuerFingerprints[0]))
        for prefix in [""] + Tampering.allCases.map({ "/tampered/\($0.rawValue)" }) {
            LogRoutes(log: log.log, prefix: "\(prefix)/ct/v1").register(on: router)
            StaticRoutes(log: log.log, prefix: prefix).register(on: router)
        }
        let logger = TestLog.quietLogger
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port != 0 else {
                group.cancelAll()
                throw TestServerError.notStarted
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body("http://127.0.0.1:\(port)"))
            } catch {
                result = .failure(error)
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }
}

struct TestServerError: Error {
    static let notStarted = TestServerError()
}
