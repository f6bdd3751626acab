import AsyncHTTPClient
import Foundation
import LogFormat
import PKI

/// Reads the log list entries logs publish about themselves at `<prefix>/log.v3.json` and merges
/// them into one Chrome log list v3 (`vigil loglist`).
public struct LogListFetcher: Sendable {
    let http: HTTPClient
    /// The largest response body accepted.
    public var maxResponseBytes = 1024 * 1024

    public init(httpClient: HTTPClient = .shared) {
        self.http = httpClient
    }

    /// The list a log serves about itself. Every listed log's ID must be the SHA-256 of its key.
    public func fetch(logURL: String) async throws -> LogList {
        var base = logURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/ct/v1") { base.removeLast("/ct/v1".count) }
        let url = base + "/log.v3.json"
        let data = Data(try await HTTPFetcher(http: http, maxResponseBytes: maxResponseBytes).fetch(url, name: url))
        let list: LogList
        do {
            list = try JSONDecoder().decode(LogList.self, from: data)
        } catch {
            throw LogClientError(.malformedResponse, "\(url) is not a log list v3: \(error)")
        }
        for log in list.operators.flatMap({ $0.logs + $0.tiledLogs }) {
            guard let key = Data(base64Encoded: log.key), let logID = Data(base64Encoded: log.logID) else {
                throw LogClientError(.malformedResponse, "\(url): \"\(log.description)\" has a key or log ID that is not base64")
            }
            guard SHA256.hash(Array(key)) == Array(logID) else {
                throw LogClientError(.badSignature, "\(url): \"\(log.description)\" has log ID \(log.logID), which is not the SHA-256 of its key")
            }
        }
        return list
    }
}
