import Foundation
import TestSupport

/// Runs the `openssl` command-line tool in a scratch folder: an implementation
/// independent of the PKI module's, to check our keys and signatures against.
final class OpenSSLCLI {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pki-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: folder.appendingPathComponent(name))
    }

    func write(_ name: String, _ text: String) throws {
        try write(name, Array(text.utf8))
    }

    func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    func readText(_ name: String) throws -> String {
        String(decoding: try read(name), as: UTF8.self)
    }

    /// Runs `openssl arguments...` and returns its exit status and combined output.
    @discardableResult
    func run(_ arguments: String...) throws -> (status: Int32, output: String) {
        try run(arguments: arguments)
    }

    /// `run` with the arguments as an array.
    @discardableResult
    func run(arguments: [String]) throws -> (status: Int32, output: String) {
        try Subprocess.run(["openssl"] + arguments, in: folder)
    }

    /// Throws unless `result` (from `run`) exited 0; returns its output.
    @discardableResult
    func require(_ result: (status: Int32, output: String)) throws -> String {
        guard result.status == 0 else { throw FixtureError("openssl exited \(result.status): \(result.output)") }
        return result.output
    }
}
