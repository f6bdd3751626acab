import Endorsement
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import LogCore
import LogFormat
import Merkle
import NIOCore
import PKI

/// The RFC 6962 section 4 API of one log, mounted under `prefix` (normally `/ct/v1`).
/// Specs/log-api.md lists every endpoint, parameter and failure status.
public struct LogRoutes: Sendable {
    public let log: Log
    public let prefix: String
    /// Request bodies larger than this are refused with 413.
    public let maxBodyBytes: Int

    /// Where the endorsement API of the same log lives (`EndorsementRoutes`), for the 202 answer.
    public let endorsementPrefix: String
    /// get-entries answers built at once; the rest wait their turn.
    let entriesLimit: ConcurrencyLimit
    /// The get-sth answer of the latest head.
    let treeHeadBody = TreeHeadBody()

    /// `maxConcurrentEntries` bounds the get-entries answers being built at once (by default
    /// two per core), which bounds the memory they take under load.
    public init(log: Log, prefix: String = "/ct/v1", endorsementPrefix: String = "/endorsement/v1", maxBodyBytes: Int = 512 * 1024,
                maxConcurrentEntries: Int = 2 * System.coreCount) {
        self.log = log
        self.prefix = prefix
        self.endorsementPrefix = endorsementPrefix
        self.maxBodyBytes = maxBodyBytes
        entriesLimit = ConcurrencyLimit(limit: max(1, maxConcurrentEntries))
    }

    /// Seconds a refused submitter should wait: one sequencing interval, at least a second.
    var retryAfterSeconds: Int {
        max(1, Int(log.configuration.sequenceInterval.components.seconds) + 1)
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        post("add-chain", on: router) { request in try await addChain(request, kind: .certificate) }
        post("add-pre-chain", on: router) { request in try await addChain(request, kind: .precertificate) }
        get("get-sth", on: router) { _ in getSTH() }
        get("get-sth-consistency", on: router) { request in try await getSTHConsistency(request) }
        get("get-proof-by-hash", on: router) { request in try await getProofByHash(request.uri) }
        get("get-entries", on: router) { request in try await getEntries(request) }
        get("get-roots", on: router) { _ in getRoots() }
        get("get-entry-and-proof", on: router) { request in try await getEntryAndProof(request) }
    }

    // MARK: Handlers

    private func addChain(_ request: Request, kind: SubmissionKind) async throws -> Answer {
        try await addChain(body: try await collectBody(request), kind: kind)
    }

    /// add-chain or add-pre-chain of a whole body, at most `maxBodyBytes` long.
    func addChain(body: ByteBuffer, kind: SubmissionKind) async throws -> Answer {
        if let plain = Self.plainChain(body) {
            return try await addChain(chain: plain, endorsements: [], kind: kind)
        }
        return try await addChain(decoding: body, kind: kind)
    }

    /// add-chain or add-pre-chain of a body known not to be of `PlainChainBody`'s shape, read
    /// with JSONDecoder.
    func addChain(decoding body: ByteBuffer, kind: SubmissionKind) async throws -> Answer {
        let (chain, endorsements) = try Self.decodeChainBody(Data(body.readableBytesView))
        return try await addChain(chain: chain, endorsements: endorsements, kind: kind)
    }

    /// The certificates of a body of `PlainChainBody`'s shape, `{"chain": [...]}` with nothing
    /// else; nil for any other body, which `addChain(body:kind:)` reads with JSONDecoder.
    static func plainChain(_ body: ByteBuffer) -> [[UInt8]]? {
        body.withUnsafeReadableBytes(PlainChainBody.chain)
    }

    /// add-chain or add-pre-chain of a chain already read from its body.
    func addChain(chain: [[UInt8]], endorsements: [SignedEndorsement], kind: SubmissionKind) async throws -> Answer {
        switch try await log.submit(chain: chain, as: kind, endorsements: endorsements) {
        case .logged(let sct):
            return JSONBody.answer(AddChainResponse(sct: sct))
        case .pending(let status):
            return JSONBody.answer(EndorsementRequestBody(status, statusURL: "\(endorsementPrefix)/requests/\(status.id)"),
                                   status: .accepted)
        }
    }

    /// Any add-chain body that is not of `PlainChainBody`'s shape: endorsements, escapes, or
    /// something to refuse with a message naming the problem.
    private static func decodeChainBody(_ body: Data) throws -> (chain: [[UInt8]], endorsements: [SignedEndorsement]) {
        do {
            let decoded = try JSONDecoder().decode(EndorsedChainBody.self, from: body)
            return (try AddChainRequest(chain: decoded.chain).decodedChain(), decoded.endorsements ?? [])
        } catch let error as DecodingError {
            throw LogError.badRequest("body is not an add-chain JSON object: \(describe(error))")
        } catch let error as EndorsementError {
            throw LogError(.endorsementRefused, error.message, detail: error.code.rawValue)
        } catch {
            throw LogError.badRequest("\(error)")
        }
    }

    func getSTH() -> Answer {
        JSONBody.answer(bytes: treeHeadBody.body(for: log.treeHead))
    }

    private func getSTHConsistency(_ request: Request) async throws -> Answer {
        let query = Query(request.uri)
        let first = try query.integer("first")
        let second = try query.integer("second")
        let proof = try await log.consistencyProof(first: first, second: second)
        let body = GetSTHConsistencyResponse.Body(proof: proof)
        return JSONBody.answer(writing: body, capacity: body.byteCount)
    }

    func getProofByHash(_ uri: URI) async throws -> Answer {
        let query = Query(uri)
        let hash = try query.hash("hash")
        let treeSize = try query.integer("tree_size")
        let (index, path) = try await log.proof(forLeafHash: hash, treeSize: treeSize)
        let body = GetProofByHashResponse.Body(leafIndex: index, proof: path)
        return JSONBody.answer(writing: body, capacity: body.byteCount)
    }

    private func getEntries(_ request: Request) async throws -> Answer {
        let query = Query(request.uri)
        let start = try query.integer("start")
        let end = try query.integer("end")
        return try await entriesLimit.run {
            let body = EntriesBody(entries: try await log.entries(start: start, end: end))
            return JSONBody.answer(writing: body, capacity: body.byteCount)
        }
    }

    private func getRoots() -> Answer {
        JSONBody.answer(GetRootsResponse(roots: log.roots.map(\.der)))
    }

    private func getEntryAndProof(_ request: Request) async throws -> Answer {
        let query = Query(request.uri)
        let index = try query.integer("leaf_index")
        let treeSize = try query.integer("tree_size")
        let (entry, path) = try await log.entryAndProof(index: index, treeSize: treeSize)
        return JSONBody.answer(GetEntryAndProofResponse(leafInput: entry.leafInput, extraData: entry.extraData, proof: path))
    }

    /// Runs one of the handlers above; what it throws becomes the error answer.
    func answering(_ handler: () async throws -> Answer) async -> Answer {
        await HTTPStatusMapping.answer(retryAfterSeconds: retryAfterSeconds, handler)
    }

    // MARK: Plumbing

    private func collectBody(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            throw HTTPRequestError.bodyTooLarge(limit: maxBodyBytes)
        }
        do {
            return try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPRequestError.bodyTooLarge(limit: maxBodyBytes)
        }
    }

    private func get<Context: RequestContext>(_ name: String, on router: Router<Context>,
                                              _ handler: @escaping @Sendable (Request) async throws -> Answer) {
        route(name, method: .get, refusing: .post, on: router, handler)
    }

    private func post<Context: RequestContext>(_ name: String, on router: Router<Context>,
                                               _ handler: @escaping @Sendable (Request) async throws -> Answer) {
        route(name, method: .post, refusing: .get, on: router, handler)
    }

    /// Registers `handler` for `method` and a 405 naming `method` for `refused` on the same path.
    private func route<Context: RequestContext>(_ name: String, method: HTTPRequest.Method, refusing refused: HTTPRequest.Method,
                                                on router: Router<Context>,
                                                _ handler: @escaping @Sendable (Request) async throws -> Answer) {
        let path = RouterPath("\(prefix)/\(name)")
        let retryAfter = retryAfterSeconds
        router.on(path, method: method) { request, _ in
            await HTTPStatusMapping.answer(retryAfterSeconds: retryAfter) { try await handler(request) }.response
        }
        router.on(path, method: refused) { request, _ in
            HTTPStatusMapping.response(for: HTTPRequestError.methodNotAllowed(request.method, allowed: method),
                                       retryAfterSeconds: retryAfter)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): "malformed JSON (\(context.debugDescription))"
        case .keyNotFound(let key, _): "missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }
}
