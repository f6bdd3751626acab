import HTTPTypes
import HummingbirdCore
import Metrics
import NIOCore
import PKI

/// The requests a `HotRouteHandler` answers on the event loop itself, without the router:
/// add-chain, add-pre-chain, get-sth and get-proof-by-hash of each log, matched by method and
/// exact path. They carry nearly all of a busy log's load, and skipping the router's
/// per-request task, logger, context and middleware saves about 25 us of CPU a request.
///
/// The answers come from the same `LogRoutes` functions the router calls, so both paths send the
/// same bytes. A request that does not match exactly (another path or method, a percent-encoded
/// name, a trailing slash) goes to the router, which keeps these routes too.
public struct HotRoutes: Sendable {
    enum Endpoint: Sendable {
        case addChain(SubmissionKind)
        case getSTH
        case getProofByHash
    }

    struct Route: Sendable {
        let routes: LogRoutes
        let endpoint: Endpoint
        let metrics: RouteMetrics
    }

    /// The `Server` header's value, as the application's `serverName` sets it on router answers.
    public let serverName: String?
    private let metricsFactory: any MetricsFactory
    private var table: [Key: Route] = [:]

    /// A route's method and path. The path is a substring of the request's target, so matching a
    /// request allocates nothing (a key spelled as one String did, for every request).
    private struct Key: Hashable {
        let post: Bool
        let path: Substring
    }

    /// `metricsFactory` records the request metrics: by default the process's metrics system,
    /// which the router's middleware records to.
    public init(serverName: String?, metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        self.serverName = serverName
        self.metricsFactory = metricsFactory
    }

    /// Adds the hot endpoints of `routes` under its prefix.
    public mutating func add(_ routes: LogRoutes) {
        let endpoints: [(String, HTTPRequest.Method, Endpoint)] = [
            ("add-chain", .post, .addChain(.certificate)),
            ("add-pre-chain", .post, .addChain(.precertificate)),
            ("get-sth", .get, .getSTH),
            ("get-proof-by-hash", .get, .getProofByHash),
        ]
        for (name, method, endpoint) in endpoints {
            let path = "\(routes.prefix)/\(name)"
            table[Key(post: method == .post, path: path[...])] = Route(routes: routes, endpoint: endpoint,
                                                     metrics: RouteMetrics(route: path, method: method, factory: metricsFactory))
        }
    }

    /// A new handler for one connection's pipeline (Hummingbird's `additionalChannelHandlers`).
    public func handler() -> HotRouteHandler {
        HotRouteHandler(routes: self)
    }

    /// The route `head` asks for, if it is one of these.
    func route(for head: HTTPRequest) -> Route? {
        guard head.method == .get || head.method == .post, let target = head.path else { return nil }
        let path = target.firstIndex(of: "?").map { target[..<$0] } ?? target[...]
        return table[Key(post: head.method == .post, path: path)]
    }
}
