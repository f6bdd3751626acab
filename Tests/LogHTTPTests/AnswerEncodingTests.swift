import HTTPTypes
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
}
