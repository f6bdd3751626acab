import Foundation
import HTTPTypes
import Hummingbird
import LogCore
import LogFormat

/// The one place a `LogError` becomes an HTTP status (Specs/log-api.md, "Errors").
/// Every error response has a JSON body `{"error": "<code>", "message": "<text>"}`.
enum HTTPStatusMapping {
    static func status(for code: LogError.Code) -> HTTPResponse.Status {
        switch code {
        case .badRequest, .invalidChain, .rejected: .badRequest
        case .notFound: .notFound
        case .readOnly: .forbidden
        case .endorsementRefused: .badRequest
        case .equivocation: .conflict
        case .requestExpired: .gone
        case .overloaded, .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    /// The answer for any error a handler threw. Errors that are not `LogError` are internal.
    static func answer(for error: any Error, retryAfterSeconds: Int) -> Answer {
        if let error = error as? LogError {
            var answer = errorAnswer(status: status(for: error.code), code: error.detail ?? error.code.rawValue, message: error.message)
            if error.code == .overloaded || error.code == .unavailable {
                answer.headers[.retryAfter] = String(retryAfterSeconds)
            }
            return answer
        }
        if let error = error as? HTTPRequestError {
            return errorAnswer(status: error.status, code: error.code, message: error.message)
        }
        return errorAnswer(status: .internalServerError, code: LogError.Code.internalError.rawValue, message: "\(error)")
    }

    static func response(for error: any Error, retryAfterSeconds: Int) -> Response {
        answer(for: error, retryAfterSeconds: retryAfterSeconds).response
    }

    /// Runs a handler; whatever it throws becomes the error response.
    static func respond(retryAfterSeconds: Int, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            return response(for: error, retryAfterSeconds: retryAfterSeconds)
        }
    }

    /// Runs a handler; whatever it throws becomes the error answer.
    static func answer(retryAfterSeconds: Int, _ body: () async throws -> Answer) async -> Answer {
        do {
            return try await body()
        } catch {
            return answer(for: error, retryAfterSeconds: retryAfterSeconds)
        }
    }

    static func errorAnswer(status: HTTPResponse.Status, code: String, message: String) -> Answer {
        JSONBody.answer(ErrorResponse(error: code, message: message), status: status)
    }
}

/// A refusal that is about HTTP itself rather than the log: body too large, wrong method.
struct HTTPRequestError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    static func bodyTooLarge(limit: Int) -> HTTPRequestError {
        HTTPRequestError(status: .contentTooLarge, code: "bodyTooLarge", message: "request body exceeds \(limit) bytes")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: HTTPRequest.Method) -> HTTPRequestError {
        HTTPRequestError(status: .methodNotAllowed, code: "methodNotAllowed",
                         message: "\(method.rawValue) is not allowed here; use \(allowed.rawValue)")
    }
}

/// JSON responses (RFC 6962 bodies are JSON objects).
enum JSONBody {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as JSON: written by `JSONWriter` when it can write itself, else by JSONEncoder.
    static func answer(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Answer {
        if let writable = value as? any JSONWritable {
            return answer(writing: writable, status: status)
        }
        return answer(bytes: ByteBuffer(bytes: (try? encoder.encode(value)) ?? Data("{}".utf8)), status: status)
    }

    /// `body` written by `JSONWriter`; `capacity` is the expected length in bytes.
    static func answer(writing body: some JSONWritable, capacity: Int = 256, status: HTTPResponse.Status = .ok) -> Answer {
        answer(bytes: ByteBuffer(bytes: body.jsonBytes(capacity: capacity)), status: status)
    }

    /// `bytes`, already JSON, as the answer.
    static func answer(bytes: ByteBuffer, status: HTTPResponse.Status = .ok) -> Answer {
        Answer(status: status, headers: [.contentType: "application/json"], body: bytes)
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        answer(value, status: status).response
    }
}
