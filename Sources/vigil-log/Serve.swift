import ArgumentParser
import Foundation
import Hummingbird
import LogCore
import LogHTTP
import LogServer
import Logging
import Metrics
import NIOPosix
import Prometheus
import ServiceLifecycle

/// `vigil-log serve`: runs one log (flags) or several (`--config`) until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve one log (flags) or the logs of a config file over HTTP.",
        discussion: "With --config, every log is declared in the YAML file (Specs/config.md) and only --log-level may be given besides.")

    @Option(help: "YAML file declaring the listener and the logs (temporal shards) to serve.")
    var config: String?

    @Option(help: "Directory holding the log's LevelDB store (created if missing).")
    var data: String?

    @Option(help: "PEM file with the log's P-256 private key (PKCS#8 or SEC1).")
    var key: String?

    @Option(help: "PEM bundle of the accepted root certificates.")
    var roots: String?

    @Option(help: "Address to listen on, HOST:PORT (default 127.0.0.1:8080).")
    var listen: String?

    @Option(help: "Refuse certificates whose notAfter is before this RFC 3339 instant.")
    var notAfterStart: String?

    @Option(help: "Refuse certificates whose notAfter is at or after this RFC 3339 instant.")
    var notAfterLimit: String?

    @Option(help: "After --not-after-limit plus this long (e.g. 0s, 720h) the log refuses submissions and serves reads only.")
    var readOnlyGrace: String?

    @Option(help: "How often pending submissions are sequenced (e.g. 100ms, 1s).")
    var sequenceInterval: String?

    @Option(help: "How many submissions may wait for the next batch before new ones get 503.")
    var poolSize: Int?

    @Option(help: "The most entries one get-entries response returns.")
    var maxGetEntries: Int?

    @Option(help: "The log's submission prefix as clients reach it (default http://<listen>/).")
    var submissionURL: String?

    @Option(help: "The checkpoint origin line (default: the submission prefix without scheme and trailing slashes).")
    var origin: String?

    @Option(help: "Folder kept up to date with the static-ct-api tiles, issuers and checkpoint, for a web server to serve.")
    var mirror: String?

    @Option(help: "Endorser contract file (YAML or JSON): OV, IV and EV certificates need its endorsers' approval.")
    var contract: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    func run() async throws {
        let setup = try serverSetup()
        let level = setup.logLevel
        LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, logLevel: level) }
        let logger = Logger(label: "vigil.log")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let host = try await LogHost.open(setup, threadPool: threadPool, logger: logger)

        let router = Router()
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ConnectionCloseMiddleware())
        let serverName = "vigil-log"
        let hot = host.register(on: router, serverName: serverName)
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [hot.handler()])),
            configuration: ApplicationConfiguration(address: .hostname(setup.host, port: setup.port), serverName: serverName),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? setup.port
                for member in host.members {
                    logger.info("serving", metadata: [
                        "log": "\(member.setup.name)",
                        "url": "http://\(setup.host):\(port)\(member.setup.prefix)/ct/v1/",
                        "log_id": "\(Data(member.log.logID).base64EncodedString())",
                    ])
                }
            },
            logger: logger)
        // Services stop in reverse order: HTTP first, then each sequencer commits what is still
        // waiting, then each mirror exports that last batch.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: (host.services() + [app]).map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        await host.close()
        try await threadPool.shutdownGracefully()
        for member in host.members {
            logger.info("stopped", metadata: ["log": "\(member.setup.name)", "tree_size": "\(member.log.treeHead.treeSize)"])
        }
    }

    /// The setup from `--config`, or from the flags for a single log at the root.
    private func serverSetup() throws -> ServerSetup {
        do {
            if let config {
                let flagged: [(String, Any?)] = [
                    ("--data", data), ("--key", key), ("--roots", roots), ("--listen", listen),
                    ("--not-after-start", notAfterStart), ("--not-after-limit", notAfterLimit),
                    ("--read-only-grace", readOnlyGrace), ("--sequence-interval", sequenceInterval),
                    ("--pool-size", poolSize), ("--max-get-entries", maxGetEntries), ("--submission-url", submissionURL),
                    ("--origin", origin), ("--mirror", mirror), ("--contract", contract),
                ]
                if let (flag, _) = flagged.first(where: { $0.1 != nil }) {
                    throw ValidationError("\(flag) cannot be combined with --config: set it in the file")
                }
                var file = try ServerConfiguration.load(path: config)
                if let logLevel { file.logLevel = logLevel }
                let base = URL(fileURLWithPath: config).deletingLastPathComponent().path
                return try file.resolve(baseDirectory: base, naming: .file(config))
            }
            guard let data, let key, let roots else {
                throw ValidationError("give --data, --key and --roots for one log, or --config FILE")
            }
            var section = ServerConfiguration.LogSection(name: "vigil", data: data, key: key, roots: roots)
            section.prefix = ""
            section.submissionURL = submissionURL
            section.origin = origin
            section.notAfterStart = notAfterStart
            section.notAfterLimit = notAfterLimit
            section.readOnlyGrace = readOnlyGrace
            section.sequenceInterval = sequenceInterval
            section.poolSize = poolSize
            section.maxGetEntries = maxGetEntries
            section.mirror = mirror
            section.contract = contract
            let file = ServerConfiguration(listen: listen, logLevel: logLevel, logs: [section])
            return try file.resolve(baseDirectory: FileManager.default.currentDirectoryPath, naming: .flags)
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }
}
