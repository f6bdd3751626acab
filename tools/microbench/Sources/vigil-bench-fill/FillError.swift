/// Why a fill or its verification stopped. Compare by `code`; read `message`.
struct FillError: Error, Equatable, CustomStringConvertible {
    enum Code: String, Sendable {
        /// A flag's value is unusable.
        case invalidArgument
        /// The key file cannot be read or is not a signing key.
        case invalidKey
        /// The store holds another log, or something that cannot be continued.
        case incompatibleStore
        /// The store read back does not match what was written.
        case verificationFailed
        /// An output file cannot be written.
        case outputFailed
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    static func == (lhs: FillError, rhs: FillError) -> Bool { lhs.code == rhs.code }

    var description: String { "\(code.rawValue): \(message)" }
}
