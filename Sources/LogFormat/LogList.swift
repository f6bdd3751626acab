/// Chrome's CT log list, version 3 (`log_list.json`): operators and the logs they run, RFC 6962
/// logs under `logs` and static-ct-api logs under `tiled_logs`. Each Vigil log serves a list
/// holding only itself at `/log.v3.json`; `vigil loglist` merges several (Specs/log-api.md).
public struct LogList: Codable, Sendable, Hashable {
    public var version: String
    /// RFC 3339 instant the list was made.
    public var logListTimestamp: String
    public var operators: [Operator]

    enum CodingKeys: String, CodingKey {
        case version
        case logListTimestamp = "log_list_timestamp"
        case operators
    }

    public init(version: String, logListTimestamp: String, operators: [Operator]) {
        self.version = version
        self.logListTimestamp = logListTimestamp
        self.operators = operators
    }

    public struct Operator: Codable, Sendable, Hashable {
        public var name: String
        public var email: [String]
        public var logs: [Log]
        public var tiledLogs: [Log]

        enum CodingKeys: String, CodingKey {
            case name, email, logs
            case tiledLogs = "tiled_logs"
        }

        public init(name: String, email: [String], logs: [Log] = [], tiledLogs: [Log] = []) {
            self.name = name
            self.email = email
            self.logs = logs
            self.tiledLogs = tiledLogs
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            email = try container.decodeIfPresent([String].self, forKey: .email) ?? []
            logs = try container.decodeIfPresent([Log].self, forKey: .logs) ?? []
            tiledLogs = try container.decodeIfPresent([Log].self, forKey: .tiledLogs) ?? []
        }
    }

    /// One log. RFC 6962 logs have `url`; static-ct-api logs have `submissionURL` and `monitoringURL`.
    public struct Log: Codable, Sendable, Hashable {
        public var description: String
        /// Base64 SHA-256 of the key's SubjectPublicKeyInfo.
        public var logID: String
        /// Base64 DER SubjectPublicKeyInfo.
        public var key: String
        public var url: String?
        public var submissionURL: String?
        public var monitoringURL: String?
        /// Maximum merge delay, seconds.
        public var mmd: Int
        public var temporalInterval: TemporalInterval?

        enum CodingKeys: String, CodingKey {
            case description
            case logID = "log_id"
            case key, url
            case submissionURL = "submission_url"
            case monitoringURL = "monitoring_url"
            case mmd
            case temporalInterval = "temporal_interval"
        }

        public init(description: String, logID: String, key: String, url: String? = nil, submissionURL: String? = nil,
                    monitoringURL: String? = nil, mmd: Int, temporalInterval: TemporalInterval? = nil) {
            self.description = description
            self.logID = logID
            self.key = key
            self.url = url
            self.submissionURL = submissionURL
            self.monitoringURL = monitoringURL
            self.mmd = mmd
            self.temporalInterval = temporalInterval
        }
    }

    /// The notAfter window of a temporal shard, as RFC 3339 instants.
    public struct TemporalInterval: Codable, Sendable, Hashable {
        public var startInclusive: String
        public var endExclusive: String

        enum CodingKeys: String, CodingKey {
            case startInclusive = "start_inclusive"
            case endExclusive = "end_exclusive"
        }

        public init(startInclusive: String, endExclusive: String) {
            self.startInclusive = startInclusive
            self.endExclusive = endExclusive
        }
    }

    /// The logs of several lists in one, operators merged by name (their emails united, in first-seen
    /// order). Throws if two logs share a log ID, which would make the list ambiguous.
    public static func merged(_ lists: [LogList], version: String, timestamp: String) throws -> LogList {
        var operators: [Operator] = []
        var seenIDs: [String: String] = [:]
        for list in lists {
            for listed in list.operators {
                for log in listed.logs + listed.tiledLogs {
                    if let other = seenIDs[log.logID] {
                        throw FormatError(.invalidLogList, "log ID \(log.logID) is listed twice: \"\(other)\" and \"\(log.description)\"")
                    }
                    seenIDs[log.logID] = log.description
                }
                if let position = operators.firstIndex(where: { $0.name == listed.name }) {
                    operators[position].email += listed.email.filter { !operators[position].email.contains($0) }
                    operators[position].logs += listed.logs
                    operators[position].tiledLogs += listed.tiledLogs
                } else {
                    operators.append(listed)
                }
            }
        }
        return LogList(version: version, logListTimestamp: timestamp, operators: operators)
    }
}
