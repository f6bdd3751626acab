import Foundation
import LogCore
import LogHTTP
import Logging

/// What the server runs, every value parsed, checked and defaulted (Specs/config.md): one
/// listener and one or more logs.
public struct ServerSetup: Sendable {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    public var logs: [LogSetup]
}

/// One log of the server, ready to open.
public struct LogSetup: Sendable {
    /// Names the log in metrics and messages.
    public var name: String
    /// The log's data folder; the LevelDB store is its `leveldb` folder.
    public var dataPath: String
    public var configuration: LogConfiguration
    /// The URL path prefix: RFC 6962 under `<prefix>/ct/v1/`, static-ct-api under `<prefix>/`;
    /// empty for the root.
    public var prefix: String
    public var listing: LogListing
    /// A folder kept up to date with the static-ct-api export of the log, if any.
    public var mirrorPath: String?

    /// Where the LevelDB store of a log with data folder `dataPath` lives.
    public static func storePath(dataPath: String) -> String {
        URL(fileURLWithPath: dataPath).appendingPathComponent("leveldb").path
    }

    public var storePath: String { Self.storePath(dataPath: dataPath) }
}

extension ServerConfiguration {
    /// How a field is named in messages: a config-file location or a command-line flag.
    public enum Naming: Sendable {
        case file(String)
        case flags

        func field(_ name: String, log: String?) -> String {
            switch self {
            case .file(let source): "\(source): " + (log.map { "log \"\($0)\": " } ?? "") + name
            case .flags: "--" + name.replacingOccurrences(of: "_", with: "-")
            }
        }
    }

    /// Parses every value, loads keys and roots, applies defaults and checks that no two logs
    /// collide. Relative paths are taken from `baseDirectory`. Default prefixes: `/<name>` in a
    /// file, the root with `.flags`.
    public func resolve(baseDirectory: String, naming: Naming) throws -> ServerSetup {
        let listen = self.listen ?? "127.0.0.1:8080"
        let (host, port) = try ConfigValues.hostAndPort(listen, field: naming.field("listen", log: nil))
        let level = try logLevel.map { try ConfigValues.logLevel($0, field: naming.field("log_level", log: nil)) } ?? .info
        guard !logs.isEmpty else {
            throw ConfigurationError(.missingField, naming.field("logs", log: nil) + ": declare at least one log")
        }
        let base = URL(fileURLWithPath: baseDirectory, isDirectory: true)
        let resolved = try logs.map { section in
            try Self.resolve(section, listen: listen, base: base, logOperator: logOperator, naming: naming)
        }
        try Self.checkConflicts(resolved, naming: naming)
        return ServerSetup(host: host, port: port, logLevel: level, logs: resolved)
    }

    private static func resolve(_ section: LogSection, listen: String, base: URL, logOperator: Operator?,
                                naming: Naming) throws -> LogSetup {
        let name = section.name
        func field(_ key: String) -> String { naming.field(key, log: name) }
        func path(_ text: String) -> String { URL(fileURLWithPath: text, relativeTo: base).standardizedFileURL.path }

        let nameAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        guard !name.isEmpty, name.allSatisfy(nameAllowed.contains) else {
            throw ConfigurationError(.invalidValue, naming.field("name", log: nil) + " \"\(name)\": want letters, digits, - . _ ~")
        }
        let defaultPrefix: String
        switch naming {
        case .file: defaultPrefix = "/" + name
        case .flags: defaultPrefix = ""
        }
        let prefix = try ConfigValues.pathPrefix(section.prefix ?? defaultPrefix, field: field("prefix"))
        let submissionURL = try ConfigValues.prefixURL(section.submissionURL ?? "http://\(listen)\(prefix)/",
                                                       field: field("submission_url"))
        let monitoringURL = try section.monitoringURL.map { try ConfigValues.prefixURL($0, field: field("monitoring_url")) }
            ?? submissionURL
        let origin = section.origin ?? LogConfiguration.origin(fromSubmissionURL: submissionURL)
        guard !origin.isEmpty, !origin.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw ConfigurationError(.invalidValue, field("origin") + " \"\(origin)\": want a non-empty string without spaces")
        }

        let notAfterStart = try section.notAfterStart.map { try ConfigValues.unixSeconds(rfc3339: $0, field: field("not_after_start")) }
        let notAfterLimit = try section.notAfterLimit.map { try ConfigValues.unixSeconds(rfc3339: $0, field: field("not_after_limit")) }
        if let start = notAfterStart, let limit = notAfterLimit, start >= limit {
            throw ConfigurationError(.invalidValue, field("not_after_limit") + " must be after " + field("not_after_start"))
        }
        var readOnlyAt: UInt64?
        if let graceText = section.readOnlyGrace {
            guard let limit = notAfterLimit else {
                throw ConfigurationError(.invalidValue, field("read_only_grace") + " needs " + field("not_after_limit"))
            }
            let grace = try ConfigValues.duration(graceText, field: field("read_only_grace"), allowZero: true)
            let graceMilliseconds = UInt64(grace.components.seconds) * 1000 + UInt64(grace.components.attoseconds / 1_000_000_000_000_000)
            readOnlyAt = UInt64(max(0, limit)) * 1000 + graceMilliseconds
        } else if let limit = notAfterLimit {
            readOnlyAt = UInt64(max(0, limit)) * 1000
        }

        let configuration = LogConfiguration(
            signingKey: try ConfigValues.signingKey(path: path(section.key), field: field("key")),
            roots: try ConfigValues.roots(path: path(section.roots), field: field("roots")),
            notAfterStart: notAfterStart,
            notAfterLimit: notAfterLimit,
            readOnlyAt: readOnlyAt,
            sequenceInterval: try ConfigValues.duration(section.sequenceInterval ?? "100ms", field: field("sequence_interval")),
            poolSize: try ConfigValues.positive(section.poolSize ?? 10_000, field: field("pool_size")),
            maxGetEntries: try ConfigValues.positive(section.maxGetEntries ?? 1000, field: field("max_get_entries")),
            origin: origin,
            contract: try section.contract.map { try ConfigValues.contract(path: path($0), field: field("contract")) })

        let api: LogListing.API
        switch section.logListAPI ?? "rfc6962" {
        case "rfc6962": api = .rfc6962
        case "static-ct": api = .staticCT
        case let other:
            throw ConfigurationError(.invalidValue, field("log_list_api") + " \"\(other)\": want rfc6962 or static-ct")
        }
        let listing = LogListing(
            description: section.description ?? "Vigil log \(origin)",
            operatorName: logOperator?.name ?? "unnamed operator",
            operatorEmail: logOperator?.email ?? [],
            api: api, submissionURL: submissionURL, monitoringURL: monitoringURL,
            mmd: try ConfigValues.positive(section.mmd ?? 86_400, field: field("mmd")))
        return LogSetup(name: name, dataPath: path(section.data), configuration: configuration, prefix: prefix,
                        listing: listing, mirrorPath: section.mirror.map(path))
    }

    private static func checkConflicts(_ logs: [LogSetup], naming: Naming) throws {
        let checks: [(String, (LogSetup) -> String?)] = [
            ("name", { $0.name }),
            ("prefix", { $0.prefix }),
            ("data folder", { $0.dataPath }),
            ("mirror folder", { $0.mirrorPath }),
            ("origin", { $0.configuration.origin }),
            ("key", { $0.configuration.signingKey.publicKey.spkiDER.map { String($0, radix: 16) }.joined() }),
        ]
        for (what, value) in checks {
            var seen: [String: String] = [:]
            for log in logs {
                guard let key = value(log) else { continue }
                if let other = seen[key] {
                    throw ConfigurationError(.conflict, naming.field("logs", log: nil) + ": \"\(other)\" and \"\(log.name)\" have the same \(what)")
                }
                seen[key] = log.name
            }
        }
    }
}
