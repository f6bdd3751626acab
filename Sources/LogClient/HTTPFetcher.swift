import AsyncHTTPClient
import Foundation
import LogFormat
import NIOCore

/// Fetches response bodies for the log clients, turning every failure to get a 200 answer
/// into a `LogClientError`: `.transport` when the log cannot be reached, `.httpStatus` otherwise.
struct HTTPFetcher: Sendable {
    let http: HTTPClient
    /// The largest response body accepted.
    let maxResponseBytes: Int

    /// The body of the 200 answer to `url`, POSTing `jsonBody` when given. `name` says what was
    /// fetched in error messages (an endpoint or a tile path).
    func fetch(_ url: String, name: String, jsonBody: Data? = nil) async throws -> [UInt8] {
        try await fetch(url, name: name, jsonBody: jsonBody, accepting: [200]).body
    }

    /// The status and body of an answer to `url` whose status is one of `accepting`.
    func fetch(_ url: String, name: String, jsonBody: Data? = nil, accepting: Set<Int>) async throws -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        if let jsonBody {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: jsonBody))
        }
        let body: [UInt8]
        let status: Int
        do {
            let response = try await http.execute(request, timeout: .seconds(60))
            status = Int(response.status.code)
            body = Array(try await response.body.collect(upTo: maxResponseBytes).readableBytesView)
        } catch {
            throw LogClientError(.transport, "\(url): \(error)")
        }
        guard accepting.contains(status) else {
            let detail = (try? JSONDecoder().decode(ErrorResponse.self, from: Data(body))).map { "\($0.error): \($0.message)" }
                ?? String(decoding: body.prefix(500), as: UTF8.self)
            throw LogClientError(.httpStatus, "\(name) answered \(status): \(detail)", status: status)
        }
        return (status, body)
    }
}
