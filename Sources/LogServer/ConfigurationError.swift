/// A server configuration that cannot be used: a stable code and a message naming the file,
/// the log and the field at fault (Specs/config.md).
public struct ConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The file cannot be read or is not YAML of the expected shape.
        case unreadable
        /// A key the configuration does not define (often a typo).
        case unknownField
        /// A required field is absent.
        case missingField
        /// A field's value is malformed or out of range.
        case invalidValue
        /// Two logs collide: the same name, prefix, data folder or key.
        case conflict
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: ConfigurationError, rhs: ConfigurationError) -> Bool { lhs.code == rhs.code }
}
