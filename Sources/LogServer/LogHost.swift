import Foundation
import Hummingbird
import LogCore
import LogHTTP
import LogStorage
import Logging
import NIOPosix
import ServiceLifecycle

/// The logs one server process runs: each opened on its own LevelDB store, mounted at its prefix
/// on one router, with its own sequencer (and mirror) service.
public struct LogHost: Sendable {
    public struct Member: Sendable {
        public let setup: LogSetup
        public let log: Log
        public let storage: LevelDBStorage
        public let mirror: DirectorySink?
    }

    public let members: [Member]

    /// Opens every log of `setup`, creating data folders as needed. If one fails to open, those
    /// already open are closed before the error is thrown.
    public static func open(_ setup: ServerSetup, threadPool: NIOThreadPool, clock: LogClock = .system,
                            logger: Logger) async throws -> LogHost {
        var members: [Member] = []
        do {
            for log in setup.logs {
                members.append(try await openMember(log, threadPool: threadPool, clock: clock, logger: logger))
            }
        } catch {
            for member in members { await member.storage.close() }
            throw error
        }
        return LogHost(members: members)
    }

    private static func openMember(_ setup: LogSetup, threadPool: NIOThreadPool, clock: LogClock,
                                   logger: Logger) async throws -> Member {
        do {
            try FileManager.default.createDirectory(
                atPath: setup.dataPath, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigurationError(.invalidValue, "log \"\(setup.name)\": cannot create the data folder \(setup.dataPath): \(error.localizedDescription)")
        }
        let mirror = try setup.mirrorPath.map { try DirectorySink(path: $0, threadPool: threadPool) }
        let storage = try await LevelDBStorage.open(path: setup.storePath, threadPool: threadPool)
        do {
            let log = try await Log.open(name: setup.name, configuration: setup.configuration, storage: storage,
                                         clock: clock, logger: logger)
            if let mirror {
                // A mirror folder of another log, or of a longer history, is a mistake to stop at, not to retry.
                let exported = try await StaticExporter(reader: log.staticReader, sink: mirror).exportedTreeSize()
                guard exported <= log.treeHead.treeSize else {
                    throw ConfigurationError(.conflict, "log \"\(setup.name)\": the mirror folder \(mirror.root.path) holds a tree of size \(exported), larger than the log's \(log.treeHead.treeSize)")
                }
            }
            return Member(setup: setup, log: log, storage: storage, mirror: mirror)
        } catch {
            await storage.close()
            throw error
        }
    }

    /// Mounts every log's RFC 6962 API, static-ct-api assets and log list entry, and returns the
    /// hot routes of the same RFC 6962 APIs, for the server's `HotRouteHandler`s.
    @discardableResult
    public func register<Context: RequestContext>(on router: Router<Context>, serverName: String? = nil) -> HotRoutes {
        var hot = HotRoutes(serverName: serverName)
        for member in members {
            let prefix = member.setup.prefix
            let routes = LogRoutes(log: member.log, prefix: prefix + "/ct/v1", endorsementPrefix: prefix + "/endorsement/v1")
            routes.register(on: router)
            hot.add(routes)
            EndorsementRoutes(log: member.log, prefix: prefix + "/endorsement/v1").register(on: router)
            StaticRoutes(log: member.log, prefix: prefix).register(on: router)
            LogListRoute(log: member.log, listing: member.setup.listing, prefix: prefix).register(on: router)
        }
        return hot
    }

    /// The logs' services, in start order: mirrors, then sequencers. A service group stops services
    /// in reverse order, so put the HTTP server after these: it stops first, then each sequencer
    /// commits what is waiting, then each mirror exports that last batch.
    public func services(clock: LogClock = .system) -> [any Service] {
        let mirrors: [any Service] = members.compactMap { member in
            member.mirror.map { MirrorService(log: member.log, sink: $0, clock: clock) }
        }
        let sequencers: [any Service] = members.map { SequencerService(log: $0.log, clock: clock) }
        return mirrors + sequencers
    }

    /// Closes every store. Call after the services stopped.
    public func close() async {
        for member in members { await member.storage.close() }
    }
}
