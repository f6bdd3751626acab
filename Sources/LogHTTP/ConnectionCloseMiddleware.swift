import Hummingbird

/// Says `Connection: close` on the router's answer to a request that asked for it (RFC 9112
/// section 9.6), as `HotRouteHandler` does on its own answers: the server closes the connection
/// after that answer, and the client learns so from the answer itself.
public struct ConnectionCloseMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if request.headers[.connection]?.lowercased() == "close" {
            response.headers[.connection] = "close"
        }
        return response
    }
}
