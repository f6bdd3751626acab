import Foundation
import LogCore
import LogHTTP
import LogServer
import PKI
import Testing
import TestSupport

/// The config file: every field parsed, defaults applied, and each kind of mistake refused with
/// the code and a message naming the field.
@Suite struct ServerConfigurationTests {
    /// A folder with two log keys and the test CA's root, which configs refer to by relative path.
    static let folder = Task { try makeFolder() }

    static func makeFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for name in ["a.pem", "b.pem"] {
            try SigningKey.generateP256().pkcs8PEM().write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try TestCA.shared().rootPEM.write(to: url.appendingPathComponent("roots.pem"), atomically: true, encoding: .utf8)
        return url.path
    }

    static let twoShards = """
        listen: 127.0.0.1:9000
        log_level: debug
        operator:
          name: Example CT
          email: [ct@example.com, ops@example.com]
        logs:
          - name: 2026h1
            data: data/2026h1
            key: a.pem
            roots: roots.pem
            not_after_start: 2026-01-01T00:00:00Z
            not_after_limit: 2026-07-01T00:00:00Z
            read_only_grace: 24h
            pool_size: 500
            sequence_interval: 250ms
            max_get_entries: 256
            mirror: static/2026h1
          - name: 2026h2
            data: /srv/vigil/2026h2
            key: b.pem
            roots: roots.pem
            prefix: /shards/h2/
            submission_url: https://ct.example.com/2026h2
            monitoring_url: https://mon.example.com/2026h2/
            not_after_start: 2026-07-01T00:00:00Z
            not_after_limit: 2027-01-01T00:00:00Z
            description: Example 2026h2
            mmd: 3600
            log_list_api: static-ct
        """

    func resolve(_ yaml: String) async throws -> ServerSetup {
        let folder = try await Self.folder.value
        return try ServerConfiguration.parse(yaml: yaml, source: "vigil.yaml").resolve(baseDirectory: folder, naming: .file("vigil.yaml"))
    }

    func refusal(_ yaml: String) async -> ConfigurationError? {
        do {
            _ = try await resolve(yaml)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test func everyFieldIsReadAndDefaultsFollowTheListener() async throws {
        let folder = try await Self.folder.value
        let setup = try await resolve(Self.twoShards)
        #expect(setup.host == "127.0.0.1" && setup.port == 9000)
        #expect(setup.logLevel == .debug)
        #expect(setup.logs.map(\.name) == ["2026h1", "2026h2"])

        let first = setup.logs[0]
        #expect(first.dataPath == folder + "/data/2026h1")
        #expect(first.mirrorPath == folder + "/static/2026h1")
        #expect(first.prefix == "/2026h1")
        #expect(first.listing.submissionURL == "http://127.0.0.1:9000/2026h1/")
        #expect(first.listing.monitoringURL == first.listing.submissionURL)
        #expect(first.configuration.origin == "127.0.0.1:9000/2026h1")
        #expect(first.configuration.notAfterStart == 1_767_225_600)
        #expect(first.configuration.notAfterLimit == 1_782_864_000)
        #expect(first.configuration.readOnlyAt == (1_782_864_000 + 86_400) * 1000)
        #expect(first.configuration.poolSize == 500)
        #expect(first.configuration.sequenceInterval == .milliseconds(250))
        #expect(first.configuration.maxGetEntries == 256)
        #expect(first.listing.api == .rfc6962)
        #expect(first.listing.mmd == 86_400)
        #expect(first.listing.operatorName == "Example CT")
        #expect(first.listing.operatorEmail == ["ct@example.com", "ops@example.com"])
        #expect(first.configuration.roots.count == 1)

        let second = setup.logs[1]
        #expect(second.dataPath == "/srv/vigil/2026h2")
        #expect(second.prefix == "/shards/h2")
        #expect(second.listing.submissionURL == "https://ct.example.com/2026h2/")
        #expect(second.listing.monitoringURL == "https://mon.example.com/2026h2/")
        #expect(second.configuration.origin == "ct.example.com/2026h2")
        #expect(second.configuration.readOnlyAt == 1_798_761_600 * 1000)  // no grace: read-only at the limit
        #expect(second.listing.api == .staticCT)
        #expect(second.listing.description == "Example 2026h2")
        #expect(second.listing.mmd == 3600)
        #expect(second.mirrorPath == nil)
        #expect(first.configuration.signingKey.publicKey != second.configuration.signingKey.publicKey)
    }

    @Test func flagsMakeOneLogAtTheRoot() async throws {
        let folder = try await Self.folder.value
        var section = ServerConfiguration.LogSection(name: "vigil", data: "d", key: "a.pem", roots: "roots.pem")
        section.prefix = ""
        let setup = try ServerConfiguration(logs: [section]).resolve(baseDirectory: folder, naming: .flags)
        #expect(setup.host == "127.0.0.1" && setup.port == 8080)
        #expect(setup.logs[0].prefix == "")
        #expect(setup.logs[0].configuration.origin == "127.0.0.1:8080")
        #expect(setup.logs[0].configuration.readOnlyAt == nil)

        section.sequenceInterval = "fast"
        #expect(throws: ConfigurationError(.invalidValue, "")) {
            try ServerConfiguration(logs: [section]).resolve(baseDirectory: folder, naming: .flags)
        }
        do {
            _ = try ServerConfiguration(logs: [section]).resolve(baseDirectory: folder, naming: .flags)
        } catch let error as ConfigurationError {
            #expect(error.message.hasPrefix("--sequence-interval fast: "))
        }
    }

    /// Each mistake: the text replaced in the two-shard file, the code, and what the message must name.
    static let mistakes: [(String, String, ConfigurationError.Code, String)] = [
        ("    pool_size: 500", "    pool_sise: 500", .unknownField, "logs[0]: unknown field \"pool_sise\""),
        ("listen: 127.0.0.1:9000", "listen: 127.0.0.1:9000\nlisten_to: x", .unknownField, "unknown field \"listen_to\""),
        ("    data: data/2026h1\n", "", .missingField, "missing field \"data\""),
        ("pool_size: 500", "pool_size: many", .invalidValue, "pool_size"),
        ("pool_size: 500", "pool_size: 0", .invalidValue, "log \"2026h1\": pool_size must be positive"),
        ("sequence_interval: 250ms", "sequence_interval: 250", .invalidValue, "log \"2026h1\": sequence_interval 250"),
        ("read_only_grace: 24h", "read_only_grace: soon", .invalidValue, "read_only_grace soon"),
        ("not_after_limit: 2026-07-01T00:00:00Z", "not_after_limit: July", .invalidValue, "not_after_limit July"),
        ("not_after_limit: 2026-07-01T00:00:00Z", "not_after_limit: 2025-07-01T00:00:00Z", .invalidValue,
         "not_after_limit must be after"),
        ("log_list_api: static-ct", "log_list_api: tiles", .invalidValue, "log_list_api \"tiles\""),
        ("prefix: /shards/h2/", "prefix: /ct", .invalidValue, "one of the server's own paths"),
        ("prefix: /shards/h2/", "prefix: shards", .invalidValue, "prefix shards"),
        ("prefix: /shards/h2/", "prefix: /2026h1", .conflict, "\"2026h1\" and \"2026h2\" have the same prefix"),
        ("key: b.pem", "key: a.pem", .conflict, "have the same key"),
        ("data: /srv/vigil/2026h2", "data: data/2026h1", .conflict, "have the same data folder"),
        ("name: 2026h2", "name: 2026h1", .conflict, "have the same name"),
        ("name: 2026h2", "name: h2 shard", .invalidValue, "want letters, digits"),
        ("key: b.pem", "key: missing.pem", .invalidValue, "key"),
        ("roots: roots.pem\n    prefix", "roots: b.pem\n    prefix", .invalidValue, "roots"),
        ("submission_url: https://ct.example.com/2026h2", "submission_url: ct.example.com", .invalidValue, "submission_url"),
        ("listen: 127.0.0.1:9000", "listen: 9000", .invalidValue, "listen 9000"),
        ("log_level: debug", "log_level: loud", .invalidValue, "log_level loud"),
    ]

    @Test(arguments: mistakes.indices)
    func mistakesAreRefusedNamingTheField(_ position: Int) async throws {
        let (old, new, code, named) = Self.mistakes[position]
        #expect(Self.twoShards.contains(old), "case \(position) does not apply")
        let error = await refusal(Self.twoShards.replacingOccurrences(of: old, with: new))
        #expect(error?.code == code, "\(new): \(error?.message ?? "accepted")")
        #expect(error?.message.contains(named) == true, "\(error?.message ?? "accepted") should name \(named)")
    }

    @Test func graceWithoutALimitIsRefused() async throws {
        let yaml = Self.twoShards.replacingOccurrences(of: "    not_after_limit: 2026-07-01T00:00:00Z\n", with: "")
        let error = await refusal(yaml)
        #expect(error?.code == .invalidValue)
        #expect(error?.message.contains("read_only_grace needs") == true)
    }

    @Test func notYAMLIsUnreadable() async throws {
        #expect(await refusal("logs: [")?.code == .unreadable)
        #expect(await refusal("- just a list")?.code == .unreadable)
        #expect(await refusal("logs: []")?.code == .missingField)
    }
}
