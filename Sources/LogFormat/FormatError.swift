/// An error decoding or encoding a Certificate Transparency wire structure:
/// a stable code to branch on and a message to read.
public struct FormatError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The input ends before a field is complete.
        case truncated
        /// Bytes remain after a structure with a fixed end.
        case trailingData
        /// A vector or fixed-size field has a length its definition forbids.
        case invalidLength
        /// A version field holds a version this implementation does not know.
        case unsupportedVersion
        /// An enumerated field (entry type, leaf type) holds an unknown value.
        case unknownType
        /// The CtExtensions are malformed (static-ct-api: duplicates, bad leaf_index).
        case invalidExtensions
        /// A JSON field that carries bytes is not valid base64.
        case invalidBase64
        /// A signed note or checkpoint is malformed (C2SP signed-note, tlog-checkpoint).
        case invalidNote
        /// No signature of the note verifies with the key asked for.
        case unverifiedNote
        /// A log list is inconsistent (two logs with one log ID).
        case invalidLogList
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// Errors compare by code: callers branch on it, people read the message.
    public static func == (lhs: FormatError, rhs: FormatError) -> Bool { lhs.code == rhs.code }
}
