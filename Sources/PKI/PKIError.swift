/// An error from the PKI layer: a stable code to branch on and a message to read.
public struct PKIError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case invalidPEM
        case invalidDER
        case invalidKey
        case unsupportedKey
        case signingFailed
        case invalidCertificate
        case invalidChain
        case invalidPrecertificate
        case openSSL
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// Errors compare by code: callers branch on it, people read the message.
    public static func == (lhs: PKIError, rhs: PKIError) -> Bool { lhs.code == rhs.code }
}
