import HTTPTypes
@testable import LogHTTP
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Testing

/// `ConnectionPersistenceHandler` before the HTTP/1 to HTTPTypes conversion: the request the
/// routes see says `Connection: close` exactly when RFC 9112 section 9.3 has the connection end
/// after its answer.
@Suite struct ConnectionPersistenceTests {
    /// The Connection field the routes see for a request of `version` with `connection` fields.
    static func seen(_ version: HTTPVersion, _ connection: [String]) throws -> String? {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([ConnectionPersistenceHandler(), HTTP1ToHTTPServerCodec(secure: false)])
        var head = HTTPRequestHead(version: version, method: .GET, uri: "/ct/v1/get-sth")
        head.headers.add(name: "Host", value: "127.0.0.1")
        for value in connection { head.headers.add(name: "Connection", value: value) }
        try channel.writeInbound(HTTPServerRequestPart.head(head))
        guard case .head(let request) = try channel.readInbound(as: HTTPRequestPart.self) else {
            Issue.record("no request head came through")
            return nil
        }
        #expect(request.path == "/ct/v1/get-sth", "the rest of the request is untouched")
        _ = try channel.finish()
        return request.headerFields[.connection]
    }

    @Test(arguments: [
        (HTTPVersion.http1_0, [String](), String?("close")),
        (.http1_0, ["close"], "close"),
        (.http1_0, ["keep-alive"], "keep-alive"),
        (.http1_0, ["Keep-Alive"], "Keep-Alive"),
        (.http1_1, [], nil),
        (.http1_1, ["keep-alive"], "keep-alive"),
        (.http1_1, ["close"], "close"),
        (.http1_1, ["Close"], "close"),
        (.http1_1, ["close, TE"], "close"),
        (.http1_1, ["TE", "close"], "close"),
    ])
    func closeIsSaidExactlyWhenTheConnectionEnds(version: HTTPVersion, connection: [String], expected: String?) throws {
        #expect(try Self.seen(version, connection) == expected, "\(version), Connection: \(connection)")
    }

    @Test func bodiesAndEndsPassThrough() throws {
        let channel = EmbeddedChannel(handler: ConnectionPersistenceHandler())
        try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "{}")))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        guard case .body(let body) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("the body did not come through")
            return
        }
        #expect(String(buffer: body) == "{}")
        guard case .end = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("the end did not come through")
            return
        }
        _ = try channel.finish()
    }
}
