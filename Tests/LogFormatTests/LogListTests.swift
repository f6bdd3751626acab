import Foundation
import LogFormat
import Testing

/// Chrome's log list v3: field names as Chrome writes them, and merging per-log lists.
@Suite struct LogListTests {
    static func single(operatorName: String, email: [String], logID: String, tiled: Bool) -> LogList {
        let log = LogList.Log(description: "log \(logID)", logID: logID, key: "a2V5", url: tiled ? nil : "https://ct.example/\(logID)/",
                              submissionURL: tiled ? "https://ct.example/\(logID)/" : nil,
                              monitoringURL: tiled ? "https://mon.example/\(logID)/" : nil, mmd: 86_400,
                              temporalInterval: .init(startInclusive: "2026-01-01T00:00:00Z", endExclusive: "2026-07-01T00:00:00Z"))
        return LogList(version: "1.0", logListTimestamp: "2026-11-21T00:00:00Z", operators: [
            .init(name: operatorName, email: email, logs: tiled ? [] : [log], tiledLogs: tiled ? [log] : []),
        ])
    }

    @Test func encodesChromeFieldNames() throws {
        let data = try JSONEncoder().encode(Self.single(operatorName: "Op", email: ["a@op"], logID: "AAA=", tiled: true))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["version", "log_list_timestamp", "operators"])
        let listed = try #require((object["operators"] as? [[String: Any]])?.first)
        #expect(Set(listed.keys) == ["name", "email", "logs", "tiled_logs"])
        let log = try #require((listed["tiled_logs"] as? [[String: Any]])?.first)
        #expect(Set(log.keys) == ["description", "log_id", "key", "submission_url", "monitoring_url", "mmd", "temporal_interval"])
        #expect(Set((log["temporal_interval"] as? [String: Any])?.keys ?? [:].keys) == ["start_inclusive", "end_exclusive"])
    }

    /// A list in Chrome's own shape (with fields Vigil does not use) decodes.
    @Test func decodesAChromeStyleList() throws {
        let json = """
            {"version": "55.3", "log_list_timestamp": "2026-11-20T12:54:30Z", "operators": [
              {"name": "Google", "email": ["google-ct-logs@googlegroups.com"], "logs": [
                {"description": "Google 'Argon2026h1'", "log_id": "DleUvPOuqT4zGyyZB7P3kN+bwj1xMiXdIaklrGHFTiE=",
                 "key": "MFkw", "url": "https://ct.googleapis.com/logs/us1/argon2026h1/", "mmd": 86400,
                 "state": {"usable": {"timestamp": "2025-02-18T18:30:00Z"}},
                 "temporal_interval": {"start_inclusive": "2026-01-01T00:00:00Z", "end_exclusive": "2026-07-01T00:00:00Z"}}]}]}
            """
        let list = try JSONDecoder().decode(LogList.self, from: Data(json.utf8))
        #expect(list.operators[0].logs[0].url == "https://ct.googleapis.com/logs/us1/argon2026h1/")
        #expect(list.operators[0].tiledLogs.isEmpty)
    }

    @Test func mergingGroupsLogsByOperator() throws {
        let merged = try LogList.merged([
            Self.single(operatorName: "Op", email: ["a@op"], logID: "AAA=", tiled: false),
            Self.single(operatorName: "Other", email: [], logID: "BBB=", tiled: false),
            Self.single(operatorName: "Op", email: ["a@op", "b@op"], logID: "CCC=", tiled: true),
        ], version: "2", timestamp: "2026-11-21T01:00:00Z")
        #expect(merged.version == "2" && merged.logListTimestamp == "2026-11-21T01:00:00Z")
        #expect(merged.operators.map(\.name) == ["Op", "Other"])
        #expect(merged.operators[0].email == ["a@op", "b@op"])
        #expect(merged.operators[0].logs.map(\.logID) == ["AAA="])
        #expect(merged.operators[0].tiledLogs.map(\.logID) == ["CCC="])
        #expect(merged.operators[1].logs.map(\.logID) == ["BBB="])
    }

    @Test func aLogListedTwiceIsRefused() {
        #expect(throws: FormatError(.invalidLogList, "")) {
            try LogList.merged([
                Self.single(operatorName: "Op", email: [], logID: "AAA=", tiled: false),
                Self.single(operatorName: "Other", email: [], logID: "AAA=", tiled: true),
            ], version: "1", timestamp: "2026-11-21T01:00:00Z")
        }
    }
}
