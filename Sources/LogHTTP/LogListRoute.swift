import Foundation
import Hummingbird
import LogCore
import LogFormat
import PKI

/// How a log describes itself in Chrome's log list v3: everything `/log.v3.json` says that the
/// log's key and notAfter window do not already tell.
public struct LogListing: Sendable {
    /// Which API clients are told to use: the list puts RFC 6962 logs under `logs` with a `url`,
    /// and static-ct-api logs under `tiled_logs` with submission and monitoring URLs.
    public enum API: String, Sendable {
        case rfc6962
        case staticCT = "static-ct"
    }

    public var description: String
    public var operatorName: String
    public var operatorEmail: [String]
    public var api: API
    /// The submission prefix (`add-chain` is at `<submissionURL>ct/v1/add-chain`); ends in `/`.
    public var submissionURL: String
    /// The monitoring prefix (`<monitoringURL>checkpoint`); ends in `/`.
    public var monitoringURL: String
    /// Maximum merge delay in seconds.
    public var mmd: Int

    public init(description: String, operatorName: String, operatorEmail: [String], api: API,
                submissionURL: String, monitoringURL: String, mmd: Int) {
        self.description = description
        self.operatorName = operatorName
        self.operatorEmail = operatorEmail
        self.api = api
        self.submissionURL = submissionURL
        self.monitoringURL = monitoringURL
        self.mmd = mmd
    }

    /// The log list holding only `log`, stamped `timestamp` (RFC 3339).
    public func logList(for log: Log, timestamp: String) -> LogList {
        let configuration = log.configuration
        var interval: LogList.TemporalInterval?
        if let start = configuration.notAfterStart, let limit = configuration.notAfterLimit {
            interval = LogList.TemporalInterval(
                startInclusive: LogClock.rfc3339(milliseconds: UInt64(max(0, start)) * 1000),
                endExclusive: LogClock.rfc3339(milliseconds: UInt64(max(0, limit)) * 1000))
        }
        var entry = LogList.Log(description: description, logID: Data(log.logID).base64EncodedString(),
                                key: Data(log.publicKey.spkiDER).base64EncodedString(), mmd: mmd,
                                temporalInterval: interval)
        var listed = LogList.Operator(name: operatorName, email: operatorEmail)
        switch api {
        case .rfc6962:
            entry.url = submissionURL
            listed.logs = [entry]
        case .staticCT:
            entry.submissionURL = submissionURL
            entry.monitoringURL = monitoringURL
            listed.tiledLogs = [entry]
        }
        return LogList(version: "1.0", logListTimestamp: timestamp, operators: [listed])
    }
}

/// `GET <prefix>/log.v3.json`: the log's own entry in Chrome's log list v3 (Specs/log-api.md).
public struct LogListRoute: Sendable {
    public let log: Log
    public let listing: LogListing
    public let prefix: String

    public init(log: Log, listing: LogListing, prefix: String = "") {
        self.log = log
        self.listing = listing
        self.prefix = prefix
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        let (log, listing) = (self.log, self.listing)
        router.get(RouterPath("\(prefix)/log.v3.json")) { _, _ in
            JSONBody.response(listing.logList(for: log, timestamp: LogClock.rfc3339(milliseconds: log.clock.now())))
        }
    }
}
