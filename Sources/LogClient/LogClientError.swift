/// Why a log client call failed: a code to branch on and a message to read.
public struct LogClientError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The log could not be reached or the connection broke.
        case transport
        /// The log answered with an HTTP error status; `status` holds it.
        case httpStatus
        /// The log's answer is not what RFC 6962 says it is.
        case malformedResponse
        /// A signature (SCT, tree head) does not verify with the log's key, or names another log.
        case badSignature
        /// An inclusion or consistency proof does not verify.
        case badProof
    }

    public let code: Code
    public let message: String
    /// The HTTP status, for `.httpStatus`.
    public let status: Int?

    public init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: LogClientError, rhs: LogClientError) -> Bool { lhs.code == rhs.code }
}
