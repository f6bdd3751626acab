import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Answers a connection's `HotRoutes` requests on the event loop, between Hummingbird's HTTP/1
/// codec and its router; every other request goes on to the router untouched.
///
/// Answers leave in the order requests came, as HTTP/1.1 requires of pipelined requests:
/// - a request is answered here only when the router owes no answer on this connection;
///   otherwise it goes to the router, which serves the same routes;
/// - while an answer of this handler is being made, whatever arrives next (requests, errors,
///   events, the server's quiesce on shutdown) waits in `waiting` until the answer is written;
///   once something waits, reads are held too.
///
/// Owner: the channel's event loop; every method runs on it.
public final class HotRouteHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    /// A request of `HotRoutes` being read.
    private struct Reading {
        let route: HotRoutes.Route
        let head: HTTPRequest
        let start: UInt64
        var body: ByteBuffer?
        var tooLarge = false
    }

    private enum State {
        case idle
        /// Passing one request's parts on to the router.
        case forwarding
        case reading(Reading)
        /// Making an answer; inbound traffic waits.
        case answering
    }

    /// Inbound traffic held while an answer is being made, delivered in order once it is written.
    private enum Waiting {
        case part(HTTPRequestPart)
        case event(Any)
        case error(any Error)
    }

    private let routes: HotRoutes
    private var state = State.idle
    /// Requests passed to the router whose answer has not ended yet.
    private var routerAnswersOwed = 0
    private var waiting = CircularBuffer<Waiting>()
    private var readHeld = false
    private var open = true
    /// Set while `deliverWaiting` runs, so that an answer sent from within it does not start
    /// another delivery.
    private var delivering = false

    /// The context of the connection's HTTP/1 response encoder: an answer written from it goes
    /// straight to the socket as the bytes the encoder would have made, in one buffer.
    private var encoderContext: ChannelHandlerContext?
    /// Runs the tasks that make this connection's answers on its event loop (see `answer`); set
    /// when the handler is added, before any request arrives.
    private var taskExecutor: EventLoopTaskExecutor?

    init(routes: HotRoutes) {
        self.routes = routes
    }

    /// Also places a `ConnectionPersistenceHandler` before the connection's HTTP/1 to HTTPTypes
    /// conversion, so that the requests this handler and the router see say when to close.
    public func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        encoderContext = try? pipeline.context(handlerType: HTTPResponseEncoder.self)
        taskExecutor = EventLoopTaskExecutor(context.eventLoop)
        if let conversion = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
            try? pipeline.addHandler(ConnectionPersistenceHandler(), position: .before(conversion))
        }
    }

    // MARK: Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if isAnswering {
            waiting.append(.part(part))
        } else {
            handle(part, context: context)
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if isHolding {
            waiting.append(.event(event))
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if isHolding {
            waiting.append(.error(error))
        } else {
            context.fireErrorCaught(error)
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        close()
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        encoderContext = nil
        close()
    }

    /// The connection is gone: a request still being read will never be answered.
    private func close() {
        open = false
        waiting.removeAll()
        if case .reading(let reading) = state {
            reading.route.metrics.abandoned()
            state = .idle
        }
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Only the router's answers pass here; this handler writes its own from its context.
        if case .end = unwrapOutboundIn(data) {
            routerAnswersOwed = max(0, routerAnswersOwed - 1)
        }
        context.write(data, promise: promise)
    }

    public func read(context: ChannelHandlerContext) {
        // Reads go on while an answer is made, so that the socket's read interest is not
        // switched off and on (two epoll_ctl calls) for every request; once a client has
        // pipelined a request behind it, they wait.
        if !waiting.isEmpty {
            readHeld = true
        } else {
            context.read()
        }
    }

    // MARK: Requests

    private var isHolding: Bool { isAnswering || !waiting.isEmpty }

    private func handle(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            if routerAnswersOwed == 0, let route = routes.route(for: head) {
                var reading = Reading(route: route, head: head, start: route.metrics.started())
                if case .addChain = route.endpoint,
                   let length = head.headerFields[.contentLength].flatMap(Int.init), length > route.routes.maxBodyBytes {
                    reading.tooLarge = true
                }
                state = .reading(reading)
            } else {
                routerAnswersOwed += 1
                state = .forwarding
                context.fireChannelRead(wrapInboundOut(part))
            }
        case (.reading(var reading), .body(let buffer)):
            // A GET's body means nothing to these routes, as to the router's.
            guard case .addChain = reading.route.endpoint, !reading.tooLarge else { return }
            if reading.body == nil {
                reading.body = buffer
            } else {
                reading.body!.writeImmutableBuffer(buffer)
            }
            if reading.body!.readableBytes > reading.route.routes.maxBodyBytes {
                reading.tooLarge = true
                reading.body = nil
            }
            state = .reading(reading)
        case (.reading(let reading), .end):
            state = .answering
            answer(reading, context: context)
        case (.forwarding, .end):
            state = .idle
            context.fireChannelRead(wrapInboundOut(part))
        default:
            // The rest of a forwarded request; the codec sends nothing else.
            context.fireChannelRead(wrapInboundOut(part))
        }
    }

    /// Answers at once what needs no waiting; the rest in a task, sent when it is made.
    private func answer(_ reading: Reading, context: ChannelHandlerContext) {
        let routes = reading.route.routes
        let handler: @Sendable () async throws -> Answer
        // Where the task runs: this event loop, or (nil) the global concurrency pool.
        //
        // A plain add-chain (one signature check, one wait for the sequencer, one signature)
        // and a proof run on the loop: the work is the same either way, but the hops from the
        // loop to the pool and back cost 6-12% of an add-chain's CPU on two cores (README). The
        // task leaves the loop only while it waits, for storage or the sequencer.
        //
        // Any other add-chain body (endorsements, escapes, or something to refuse) runs on the
        // pool: an endorsed submission checks two or three more signatures and waits twice, and
        // on the loops, where each loop's work waits in its own queue and the two cannot share,
        // their p99 latency under full load rose from 108-147 ms to 329-1,005 ms.
        var executor = taskExecutor
        switch reading.route.endpoint {
        case .getSTH:
            send(routes.getSTH(), for: reading, context: context)
            return
        case .addChain where reading.tooLarge:
            let refusal = HTTPStatusMapping.answer(for: HTTPRequestError.bodyTooLarge(limit: routes.maxBodyBytes),
                                                   retryAfterSeconds: routes.retryAfterSeconds)
            send(refusal, for: reading, context: context)
            return
        case .addChain(let kind):
            let body = reading.body ?? ByteBuffer()
            if let chain = LogRoutes.plainChain(body) {
                handler = { try await routes.addChain(chain: chain, endorsements: [], kind: kind) }
            } else {
                handler = { try await routes.addChain(decoding: body, kind: kind) }
                executor = nil
            }
        case .getProofByHash:
            let uri = URI(reading.head.path ?? "")
            handler = { try await routes.getProofByHash(uri) }
        }
        let promise = context.eventLoop.makePromise(of: Answer.self)
        Task(executorPreference: executor) {
            promise.succeed(await routes.answering(handler))
        }
        promise.futureResult.assumeIsolated().whenSuccess { answer in
            self.send(answer, for: reading, context: context)
        }
    }

    /// Writes `answer` with the headers the router's answers carry, then lets waiting traffic on.
    private func send(_ answer: Answer, for reading: Reading, context: ChannelHandlerContext) {
        reading.route.metrics.finished(status: answer.status, startedAt: reading.start)
        guard open else { return }
        let closing = reading.head.headerFields[.connection]?.lowercased() == "close"
        let date = HTTPDate.now
        if let encoderContext {
            // Past the codecs: one buffer and one pipeline write instead of three parts each
            // converted to NIO's HTTP/1 types and encoded (an eighth of get-sth's CPU), and the
            // added header fields written as they are, not set on a copy of the answer's.
            let bytes = answer.http1Bytes(date: date, server: routes.serverName, closing: closing,
                                          allocator: context.channel.allocator)
            encoderContext.writeAndFlush(NIOAny(IOData.byteBuffer(bytes)), promise: nil)
        } else {
            let fields = answer.fields(date: date, server: routes.serverName, closing: closing)
            context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: fields))), promise: nil)
            context.write(wrapOutboundOut(.body(answer.body)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        if closing {
            open = false
            context.close(promise: nil)
            return
        }
        state = .idle
        deliverWaiting(context: context)
    }

    private func deliverWaiting(context: ChannelHandlerContext) {
        guard !delivering else { return }
        delivering = true
        defer { delivering = false }
        var delivered = false
        while open, !isAnswering, let next = waiting.popFirst() {
            delivered = true
            switch next {
            case .part(let part): handle(part, context: context)
            case .event(let event): context.fireUserInboundEventTriggered(event)
            case .error(let error): context.fireErrorCaught(error)
            }
        }
        // The read that brought these parts has completed long ago; the handlers behind (the
        // router's async channel among them) act on what they got at a read's completion.
        if delivered { context.fireChannelReadComplete() }
        if open, waiting.isEmpty, readHeld {
            readHeld = false
            context.read()
        }
    }

    private var isAnswering: Bool {
        if case .answering = state { return true }
        return false
    }
}

@available(*, unavailable)
extension HotRouteHandler: Sendable {}
