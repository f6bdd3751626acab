import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// One answer of the log's API before a server writes it: the router turns it into a
/// `Response`, `HotRouteHandler` writes it to the channel itself. Both send the same status,
/// headers and bytes.
struct Answer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    var response: Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

extension Answer {
    /// This answer as an HTTP/1.1 response with `fields` as its header fields, in the bytes
    /// NIO's HTTP/1 response encoder writes for the same status, fields and body (the tests
    /// hold the two to each other byte for byte). `fields` must give the body's length.
    func http1Bytes(fields: HTTPFields, allocator: ByteBufferAllocator) -> ByteBuffer {
        var bytes = allocator.buffer(capacity: 192 + body.readableBytes)
        // NIO's status for the code, as the codec converts it: its own reason phrase for the
        // codes it knows (413 is "Payload Too Large" there, "Content Too Large" in HTTPTypes).
        let line = HTTPResponseStatus(statusCode: status.code, reasonPhrase: status.reasonPhrase)
        bytes.writeString("HTTP/1.1 \(line.code) \(line.reasonPhrase)\r\n")
        for field in fields {
            bytes.writeString(field.name.rawName)
            bytes.writeStaticString(": ")
            bytes.writeString(field.value)
            bytes.writeStaticString("\r\n")
        }
        bytes.writeStaticString("\r\n")
        bytes.writeImmutableBuffer(body)
        return bytes
    }
}
