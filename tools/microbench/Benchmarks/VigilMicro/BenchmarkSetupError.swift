/// A benchmark's inputs could not be made; the benchmark fails with this message.
struct BenchmarkSetupError: Error, CustomStringConvertible {
    enum Code: String, Sendable {
        /// A helper program (the openssl CLI) failed.
        case toolFailed
        /// A generated file is missing or unreadable.
        case unreadableOutput
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code.rawValue): \(message)" }
}
