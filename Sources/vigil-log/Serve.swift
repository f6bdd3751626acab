import ArgumentParser
import Foundation
import Hummingbird
import LogCore
import LogHTTP
import LogStorage
import Logging
import Metrics
import NIOPosix
import PKI
import Prometheus
import ServiceLifecycle

/// `vigil-log serve`: runs one log until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve a log over HTTP (RFC 6962 under /ct/v1/).")

    @Option(help: "Directory holding the log's LevelDB store (created if missing).")
    var data: String

    @Option(help: "PEM file with the log's P-256 private key (PKCS#8 or SEC1).")
    var key: String

    @Option(help: "PEM bundle of the accepted root certificates.")
    var roots: String

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen: String = "127.0.0.1:8080"

    @Option(help: "Refuse certificates whose notAfter is before this RFC 3339 instant.")
    var notAfterStart: String?

    @Option(help: "Refuse certificates whose notAfter is at or after this RFC 3339 instant.")
    var notAfterLimit: String?

    @Option(help: "How often pending submissions are sequenced (e.g. 100ms, 1s).")
    var sequenceInterval: String = "100ms"

    @Option(help: "How many submissions may wait for the next batch before new ones get 503.")
    var poolSize: Int = 10_000

    @Option(help: "The most entries one get-entries response returns.")
    var maxGetEntries: Int = 1000

    @Option(help: "The log's submission prefix as clients reach it (default http://<listen>/).")
    var submissionURL: String?

    @Option(help: "The checkpoint origin line (default: the submission prefix without scheme and trailing slashes).")
    var origin: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        let level = try Arguments.logLevel(logLevel)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vigil.log")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let (host, port) = try Arguments.hostAndPort(listen)
        let configuration = LogConfiguration(
            signingKey: try Arguments.signingKey(path: key),
            roots: try Arguments.roots(path: roots),
            notAfterStart: try notAfterStart.map { try Arguments.unixSeconds(rfc3339: $0, option: "--not-after-start") },
            notAfterLimit: try notAfterLimit.map { try Arguments.unixSeconds(rfc3339: $0, option: "--not-after-limit") },
            sequenceInterval: try Arguments.duration(sequenceInterval, option: "--sequence-interval"),
            poolSize: try Arguments.positive(poolSize, option: "--pool-size"),
            maxGetEntries: try Arguments.positive(maxGetEntries, option: "--max-get-entries"),
            origin: origin ?? LogConfiguration.origin(fromSubmissionURL: submissionURL ?? "http://\(listen)/"))

        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        try Arguments.createDirectory(data, option: "--data")
        let storage = try await LevelDBStorage.open(path: Arguments.storePath(data: data), threadPool: threadPool)
        let log = try await Log.open(configuration: configuration, storage: storage, logger: logger)

        let router = Router()
        router.add(middleware: MetricsMiddleware())
        LogRoutes(log: log).register(on: router)
        StaticRoutes(log: log).register(on: router)
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        let logID = Data(log.logID).base64EncodedString()
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "vigil-log"),
            onServerRunning: { channel in
                logger.info("serving", metadata: [
                    "url": "http://\(host):\(channel.localAddress?.port ?? port)/ct/v1/", "log_id": "\(logID)",
                ])
            },
            logger: logger)
        // Services shut down in reverse order: HTTP stops first, then the sequencer commits what is still waiting.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: SequencerService(log: log)),
                .init(service: app),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        await storage.close()
        try await threadPool.shutdownGracefully()
        logger.info("stopped", metadata: ["tree_size": "\(log.treeHead.treeSize)"])
    }
}
