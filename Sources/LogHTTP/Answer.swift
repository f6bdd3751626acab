import HTTPTypes
import Hummingbird
import NIOCore

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
