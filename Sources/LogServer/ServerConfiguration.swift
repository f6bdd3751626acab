import Foundation
import Yams

/// The server configuration file (`vigil-log serve --config FILE`) as written: one listener and
/// the logs it serves, each a temporal shard with its own key, roots, window, prefix and knobs.
/// Every field is written down in Specs/config.md; `resolve` turns it into what the server runs.
public struct ServerConfiguration: Decodable, Sendable, Equatable {
    /// HOST:PORT to listen on.
    public var listen: String?
    /// trace, debug, info, notice, warning, error or critical.
    public var logLevel: String?
    /// Who runs the logs, as the log list names them.
    public var logOperator: Operator?
    public var logs: [LogSection]

    public struct Operator: Decodable, Sendable, Equatable {
        public var name: String
        public var email: [String]?

        public init(name: String, email: [String]? = nil) {
            self.name = name
            self.email = email
        }
    }

    /// One log. Paths are relative to the configuration file's folder.
    public struct LogSection: Decodable, Sendable, Equatable {
        public var name: String
        public var data: String
        public var key: String
        public var roots: String
        public var prefix: String?
        public var submissionURL: String?
        public var monitoringURL: String?
        public var origin: String?
        public var notAfterStart: String?
        public var notAfterLimit: String?
        public var readOnlyGrace: String?
        public var poolSize: Int?
        public var sequenceInterval: String?
        public var maxGetEntries: Int?
        public var description: String?
        public var mmd: Int?
        public var logListAPI: String?
        public var mirror: String?
        /// An endorser contract file (Specs/endorsement.md) for OV, IV and EV certificates.
        public var contract: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, data, key, roots, prefix
            case submissionURL = "submission_url"
            case monitoringURL = "monitoring_url"
            case origin
            case notAfterStart = "not_after_start"
            case notAfterLimit = "not_after_limit"
            case readOnlyGrace = "read_only_grace"
            case poolSize = "pool_size"
            case sequenceInterval = "sequence_interval"
            case maxGetEntries = "max_get_entries"
            case description, mmd
            case logListAPI = "log_list_api"
            case mirror, contract
        }

        public init(name: String, data: String, key: String, roots: String) {
            self.name = name
            self.data = data
            self.key = key
            self.roots = roots
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case listen
        case logLevel = "log_level"
        case logOperator = "operator"
        case logs
    }

    public init(listen: String? = nil, logLevel: String? = nil, logOperator: Operator? = nil, logs: [LogSection]) {
        self.listen = listen
        self.logLevel = logLevel
        self.logOperator = logOperator
        self.logs = logs
    }

    /// Parses YAML (JSON is YAML too). Unknown keys are refused, so a misspelt field never
    /// silently falls back to its default.
    public static func parse(yaml: String, source: String = "configuration") throws -> ServerConfiguration {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError(.unreadable, "\(source): not valid YAML: \(error)")
        }
        guard let root = node?.mapping else {
            throw ConfigurationError(.unreadable, "\(source): want a mapping with a \"logs\" list at the top")
        }
        try checkKeys(root, allowed: CodingKeys.allCases.map(\.rawValue), at: source)
        if let logsNode = root["logs"]?.sequence {
            for (position, log) in logsNode.enumerated() {
                guard let mapping = log.mapping else {
                    throw ConfigurationError(.unreadable, "\(source): logs[\(position)] is not a mapping")
                }
                try checkKeys(mapping, allowed: LogSection.CodingKeys.allCases.map(\.rawValue), at: "\(source): logs[\(position)]")
            }
        }
        if let operatorNode = root["operator"]?.mapping {
            try checkKeys(operatorNode, allowed: ["name", "email"], at: "\(source): operator")
        }
        do {
            return try YAMLDecoder().decode(ServerConfiguration.self, from: yaml)
        } catch let error as DecodingError {
            if case .keyNotFound = error {
                throw ConfigurationError(.missingField, "\(source): \(describe(error))")
            }
            throw ConfigurationError(.invalidValue, "\(source): \(describe(error))")
        } catch {
            throw ConfigurationError(.unreadable, "\(source): \(error)")
        }
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws -> ServerConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(.unreadable, "cannot read \(path): \(error.localizedDescription)")
        }
        return try parse(yaml: text, source: path)
    }

    private static func checkKeys(_ mapping: Node.Mapping, allowed: [String], at location: String) throws {
        for key in mapping.keys {
            guard let name = key.string, allowed.contains(name) else {
                throw ConfigurationError(.unknownField,
                                         "\(location): unknown field \"\(key.string ?? "?")\"; known fields: \(allowed.joined(separator: ", "))")
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let location = path(context)
            return "missing field \"\(key.stringValue)\"" + (location.isEmpty ? "" : " in \(location)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
