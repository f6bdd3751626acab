import HTTPTypes
import LogCore
@testable import LogHTTP
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Testing

/// `Answer.http1Bytes`, which `HotRouteHandler` writes past the HTTP/1 codecs, is byte for byte
/// what those codecs make of the same answer as response parts.
@Suite struct AnswerEncodingTests {
    static let answers: [Answer] = [
        JSONBody.answer(bytes: ByteBuffer(string: #"{"tree_size":7}"#)),
        JSONBody.answer(bytes: ByteBuffer(string: #"{"error":"badRequest","message":"no \"chain\""}"#), status: .badRequest),
        Answer(status: .serviceUnavailable, headers: [.contentType: "application/json", .retryAfter: "1"],
               body: ByteBuffer(string: #"{"error":"overloaded","message":"the pool is full"}"#)),
        Answer(status: .accepted, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: ByteBuffer()),
        // Reason phrases that HTTPTypes and NIO spell differently.
        JSONBody.answer(bytes: ByteBuffer(string: #"{"error":"bodyTooLarge"}"#), status: .contentTooLarge),
        JSONBody.answer(bytes: ByteBuffer(string: "{}"), status: .unprocessableContent),
        Answer(status: HTTPResponse.Status(code: 599, reasonPhrase: "Odd One"), headers: [:],
               body: ByteBuffer(bytes: [UInt8](repeating: 0x41, count: 70_000))),
    ]

    @Test(arguments: answers.indices)
    func theBytesAreTheCodecs(_ index: Int) throws {
        let answer = Self.answers[index]
        var fields = answer.headers
        fields[.contentLength] = String(answer.body.readableBytes)
        fields[.date] = "Tue, 01 Dec 2026 19:54:34 GMT"
        fields[.server] = "vigil-log"

        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        // The codec answers requests: one arrives first, as on a connection.
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ct/v1/get-sth")))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: answer.status, headerFields: fields)))
        try channel.writeOutbound(HTTPResponsePart.body(answer.body))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        var viaCodecs = ByteBuffer()
        while let part = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(var buffer) = part else {
                Issue.record("a file region from the encoder")
                return
            }
            viaCodecs.writeBuffer(&buffer)
        }
        _ = try channel.finish()

        let direct = answer.http1Bytes(fields: fields, allocator: ByteBufferAllocator())
        #expect(direct == viaCodecs, "\(String(buffer: direct).prefix(200)) | \(String(buffer: viaCodecs).prefix(200))")
        #expect(String(buffer: direct).hasPrefix("HTTP/1.1 \(answer.status.code) "))
    }

    /// The fields the handler adds, written without setting them on a copy of the answer's, give
    /// the bytes of the answer with them set (which `theBytesAreTheCodecs` holds to the codecs),
    /// with and without a server name and a closing connection.
    @Test(arguments: answers.indices)
    func theAddedFieldsAreWrittenAsIfSet(_ index: Int) throws {
        let answer = Self.answers[index]
        let date = "Tue, 01 Dec 2026 19:54:34 GMT"
        for server in [nil, "vigil-log"] as [String?] {
            for closing in [false, true] {
                var fields = answer.headers
                fields[.contentLength] = String(answer.body.readableBytes)
                fields[.date] = date
                if let server { fields[.server] = server }
                if closing { fields[.connection] = "close" }
                #expect(answer.fields(date: date, server: server, closing: closing) == fields)
                let set = answer.http1Bytes(fields: fields, allocator: ByteBufferAllocator())
                let written = answer.http1Bytes(date: date, server: server, closing: closing, allocator: ByteBufferAllocator())
                #expect(written == set, "server \(server ?? "none"), closing \(closing): \(String(buffer: written).prefix(300))")
            }
        }
    }

    /// An answer that already names one of the added fields gets it replaced in place, as
    /// setting it does, not a second one appended.
    @Test(arguments: [HTTPField.Name.contentLength, .date, .server, .connection])
    func anAnswerNamingAnAddedFieldHasItReplaced(_ name: HTTPField.Name) {
        let answer = Answer(status: .ok, headers: [.contentType: "application/json", name: "x"], body: ByteBuffer(string: "{}"))
        let date = "Tue, 01 Dec 2026 19:54:34 GMT"
        var fields = answer.headers
        fields[.contentLength] = "2"
        fields[.date] = date
        fields[.server] = "vigil-log"
        fields[.connection] = "close"
        let written = answer.http1Bytes(date: date, server: "vigil-log", closing: true, allocator: ByteBufferAllocator())
        #expect(written == answer.http1Bytes(fields: fields, allocator: ByteBufferAllocator()))
        let text = String(buffer: written)
        #expect(text.components(separatedBy: "\(name.rawName): ").count == 2, "\(text)")
        #expect(!text.contains(": x\r\n"), "\(text)")
    }

    /// `HotRouteHandler` behind the encoder writes the answer itself; in a pipeline without one it
    /// writes response parts, as it did before. Both reach the socket as the same bytes (but for
    /// the Date header, which may fall in another second).
    @Test func theHandlerSendsTheSameBytesWithOrWithoutTheEncoder() async throws {
        let log = try await GrownLog.open()
        var hot = HotRoutes(serverName: "vigil-log")
        hot.add(LogRoutes(log: log))
        let request: [HTTPServerRequestPart] = [
            .head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ct/v1/get-sth")), .end(nil),
            // Refused at once, before any body: answers that need no task, so the embedded loop sends them.
            .head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/ct/v1/add-chain",
                                  headers: ["Content-Length": "999999999"])), .end(nil),
        ]

        // Behind the encoder: the handler's own bytes.
        let direct = EmbeddedChannel()
        try direct.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
        try direct.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        try direct.pipeline.syncOperations.addHandler(hot.handler())
        for part in request { try direct.writeInbound(part) }
        let directBytes = try Self.outboundBytes(of: direct)

        // Without one: response parts, put through an encoder here.
        let parts = EmbeddedChannel()
        try parts.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        try parts.pipeline.syncOperations.addHandler(hot.handler())
        for part in request { try parts.writeInbound(part) }
        let encoder = EmbeddedChannel()
        try encoder.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
        var written = 0
        while let part = try parts.readOutbound(as: HTTPServerResponsePart.self) {
            try encoder.writeOutbound(part)
            written += 1
        }
        #expect(written == 6, "a head, a body and an end for each answer")
        let partBytes = try Self.outboundBytes(of: encoder)
        _ = try parts.finish()

        #expect(Self.withoutDates(directBytes) == Self.withoutDates(partBytes))
        #expect(directBytes.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(directBytes.contains("HTTP/1.1 413 Payload Too Large\r\n"))
    }

    /// Everything written out of `channel`, which it then finishes, as text.
    static func outboundBytes(of channel: EmbeddedChannel) throws -> String {
        var bytes = ByteBuffer()
        while let part = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(var buffer) = part else { throw FileRegionWritten() }
            bytes.writeBuffer(&buffer)
        }
        _ = try channel.finish()
        return String(buffer: bytes)
    }

    static func withoutDates(_ text: String) -> String {
        text.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("Date: ") ? "Date: -" : String($0) }
            .joined(separator: "\r\n")
    }

    struct FileRegionWritten: Error {}
}
