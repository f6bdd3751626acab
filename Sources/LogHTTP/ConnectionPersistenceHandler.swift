import NIOCore
import NIOHTTP1

/// Gives every request whose connection must not outlive its answer exactly `Connection: close`
/// (RFC 9112 section 9.3): an HTTP/1.0 request that does not ask for `keep-alive`, and a request
/// whose Connection field holds `close` in any letter case or beside other options.
///
/// `HotRouteHandler` and Hummingbird's router close a connection after the answer to a request
/// carrying that exact value, but they see requests only after they were converted to HTTPTypes,
/// which drops the HTTP version. This handler sits before that conversion (`HotRouteHandler`
/// places it there), where the version is still known.
///
/// Owner: the channel's event loop; it keeps no state.
final class ConnectionPersistenceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data), !head.isKeepAlive, head.headers["connection"] != ["close"] else {
            context.fireChannelRead(data)
            return
        }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
