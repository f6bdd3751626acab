/// Why a log client call failed: a code to branch on and a message to read.
public struct LogClientError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The log could not be reached or the connection broke.
        case transport
        /// The log answered with an HTTP error status; `status` holds it.
        case httpStatus
        /// The log's answer is not what RFC 6962 or static-ct-api says it is.
        case malformedResponse
        /// A signature (SCT, tree head) does not verify with the log's key, or names another log.
        case badSignature
        /// An inclusion or consistency proof does not verify.
        case badProof
        /// A checkpoint is not a signed note of the expected origin whose RFC 6962 note signature
        /// verifies with the log's key (static-ct-api).
        case badCheckpoint
        /// A tile has the wrong length or does not parse, or its hashes disagree with the entries
        /// below it or with the tree above it (C2SP tlog-tiles, static-ct-api).
        case badTile
        /// An issuer certificate does not hash to the fingerprint it was fetched by.
        case badIssuer
        /// Entries read through get-entries do not hash into the tree the signed tree head describes.
        case badEntries
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
