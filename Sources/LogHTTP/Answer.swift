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
        var bytes = statusLine(allocator: allocator)
        for field in fields {
            Self.write(field.name.rawName, field.value, to: &bytes)
        }
        bytes.writeStaticString("\r\n")
        bytes.writeImmutableBuffer(body)
        return bytes
    }

    /// This answer's headers with, set on them in this order, Content-Length (the body's),
    /// `date`, `server` when given, and `Connection: close` when `closing`: the header fields a
    /// server sends with it.
    func fields(date: String, server: String?, closing: Bool) -> HTTPFields {
        var fields = headers
        fields[.contentLength] = String(body.readableBytes)
        fields[.date] = date
        if let server { fields[.server] = server }
        if closing { fields[.connection] = "close" }
        return fields
    }

    /// `http1Bytes(fields:)` of `fields(date:server:closing:)`. The added fields are written
    /// after the answer's own without building them, unless the answer already names one of
    /// them, which setting replaces in place instead of appending.
    func http1Bytes(date: String, server: String?, closing: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
        for field in headers {
            switch field.name {
            case .contentLength, .date, .server, .connection:
                return http1Bytes(fields: fields(date: date, server: server, closing: closing), allocator: allocator)
            default:
                continue
            }
        }
        var bytes = statusLine(allocator: allocator)
        for field in headers {
            Self.write(field.name.rawName, field.value, to: &bytes)
        }
        bytes.writeStaticString("Content-Length: ")
        bytes.writeString(String(body.readableBytes))
        bytes.writeStaticString("\r\n")
        Self.write("Date", date, to: &bytes)
        if let server { Self.write("Server", server, to: &bytes) }
        if closing { bytes.writeStaticString("Connection: close\r\n") }
        bytes.writeStaticString("\r\n")
        bytes.writeImmutableBuffer(body)
        return bytes
    }

    /// A buffer for the whole answer, holding its status line.
    private func statusLine(allocator: ByteBufferAllocator) -> ByteBuffer {
        var bytes = allocator.buffer(capacity: 192 + body.readableBytes)
        // NIO's status for the code, as the codec converts it: its own reason phrase for the
        // codes it knows (413 is "Payload Too Large" there, "Content Too Large" in HTTPTypes).
        let line = HTTPResponseStatus(statusCode: status.code, reasonPhrase: status.reasonPhrase)
        bytes.writeStaticString("HTTP/1.1 ")
        bytes.writeString(String(line.code))
        bytes.writeStaticString(" ")
        bytes.writeString(line.reasonPhrase)
        bytes.writeStaticString("\r\n")
        return bytes
    }

    private static func write(_ name: String, _ value: String, to bytes: inout ByteBuffer) {
        bytes.writeString(name)
        bytes.writeStaticString(": ")
        bytes.writeString(value)
        bytes.writeStaticString("\r\n")
    }
}
