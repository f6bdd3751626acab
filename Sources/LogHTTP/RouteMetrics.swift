import Dispatch
import HTTPTypes
import Metrics
import Synchronization

/// The HTTP server's request metrics for one route that `HotRouteHandler` answers, under the
/// labels and dimensions Hummingbird's `MetricsMiddleware` gives the routes it sees, so that
/// `/metrics` counts a request the same whichever path answered it.
///
/// Owner: `byStatus`'s mutex, held only to find or add a status's pair.
final class RouteMetrics: Sendable {
    let route: String
    let method: HTTPRequest.Method
    private let factory: any MetricsFactory
    private let active: Meter
    private let byStatus = Mutex<[Int: (counter: Counter, timer: Timer)]>([:])

    init(route: String, method: HTTPRequest.Method, factory: any MetricsFactory) {
        self.route = route
        self.method = method
        self.factory = factory
        active = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)], factory: factory)
    }

    /// Marks a request begun; returns its start for `finished`.
    func started() -> UInt64 {
        active.increment()
        return DispatchTime.now().uptimeNanoseconds
    }

    func finished(status: HTTPResponse.Status, startedAt start: UInt64) {
        let pair = byStatus.withLock { pairs in
            if let pair = pairs[status.code] { return pair }
            let dimensions = [("http.route", route), ("http.request.method", method.rawValue),
                              ("http.response.status_code", String(status.code))]
            let pair = (Counter(label: "hb.requests", dimensions: dimensions, factory: factory),
                        Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds,
                              factory: factory))
            // The middleware makes this series with the others; these routes never throw, so it stays 0.
            _ = Counter(label: "hb.request.errors", dimensions: [("http.route", route), ("http.request.method", method.rawValue),
                                                                ("error.type", String(status.code))], factory: factory)
            pairs[status.code] = pair
            return pair
        }
        pair.counter.increment()
        pair.timer.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
        active.decrement()
    }

    /// Marks a request begun and never answered (its connection closed while it was read).
    func abandoned() {
        active.decrement()
    }
}
