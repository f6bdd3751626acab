/// An error the log reports to a caller: a stable code to branch on, a message to read.
/// LogHTTP is the one place that maps codes to HTTP statuses (Specs/log-api.md).
public struct LogError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The request itself is malformed: JSON, base64, DER, parameters.
        case badRequest
        /// The chain does not lead to an accepted root, or a link does not verify.
        case invalidChain
        /// The certificate is refused by policy: notAfter window, poison rules.
        case rejected
        /// The pool is full; retry later.
        case overloaded
        /// The log is shutting down or otherwise not accepting submissions.
        case unavailable
        /// The log is a shard past its notAfter limit and grace period: it serves reads only.
        case readOnly
        /// A requested entry, hash or tree size does not exist (yet).
        case notFound
        /// Something broke inside the log: storage failed or an invariant was violated.
        case internalError
        /// Endorsements do not admit the certificate; `detail` is the `EndorsementError` code.
        case endorsementRefused
        /// An endorser signed both approve and reject for one request.
        case equivocation
        /// The endorsement request expired before the contract was satisfied.
        case requestExpired
    }

    public let code: Code
    public let message: String
    /// A finer code for clients, reported instead of `code` (e.g. `duplicateEndorser`).
    public let detail: String?

    public init(_ code: Code, _ message: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String { "\(detail ?? code.rawValue): \(message)" }

    public static func == (lhs: LogError, rhs: LogError) -> Bool { lhs.code == rhs.code }

    public static func badRequest(_ message: String) -> LogError { LogError(.badRequest, message) }
    public static func invalidChain(_ message: String) -> LogError { LogError(.invalidChain, message) }
    public static func rejected(_ message: String) -> LogError { LogError(.rejected, message) }
    public static func notFound(_ message: String) -> LogError { LogError(.notFound, message) }
    public static func internalError(_ message: String) -> LogError { LogError(.internalError, message) }
}
