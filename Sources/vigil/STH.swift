import ArgumentParser
import Foundation
import LogClient
import LogFormat
import PKI

/// `vigil sth`: fetches and verifies a log's signed tree head.
struct STH: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sth", abstract: "Fetch a log's signed tree head and verify its signature.")

    @Option(help: "The log's URL, e.g. http://127.0.0.1:8080.")
    var log: String

    @Option(help: "The log's public key (PEM).")
    var key: String

    func run() async throws {
        let client = LogClient(url: log, publicKey: try VerifyingKey(pem: CLIFiles.text(key)))
        let sth = try await client.signedTreeHead()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(GetSTHResponse(sth: sth)), as: UTF8.self))
        FileHandle.standardError.write(Data("verified: tree head signature of size \(sth.head.treeSize)\n".utf8))
    }
}

enum CLIFiles {
    static func text(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
    }
}
