import ArgumentParser
import Foundation
import LogClient
import LogFormat

/// `vigil loglist`: one Chrome log list v3 file from the entries several logs serve about themselves.
struct LogListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loglist",
        abstract: "Combine the /log.v3.json entries of several logs into one Chrome log list v3 file.")

    @Option(name: .customLong("log"), help: "A log's base URL (repeat for each log).")
    var logs: [String] = []

    @Option(help: "Write the list here instead of standard output.")
    var out: String?

    @Option(help: "The list's version string.")
    var listVersion: String = "1.0"

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("give at least one --log URL") }
    }

    func run() async throws {
        let fetcher = LogListFetcher()
        var lists: [LogList] = []
        for url in logs { lists.append(try await fetcher.fetch(logURL: url)) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let merged = try LogList.merged(lists, version: listVersion, timestamp: formatter.string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(merged) + Data("\n".utf8)
        if let out {
            try data.write(to: URL(fileURLWithPath: out), options: .atomic)
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
