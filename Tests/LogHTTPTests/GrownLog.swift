import LogCore
import PKI
import TestSupport

/// Logs over `MemoryStorage` grown with real certificates from the test CA.
enum GrownLog {
    /// A fresh log of the shared test CA with static-ct-api origin `origin`.
    static func open(origin: String = "log.example", key: SigningKey? = nil, poolSize: Int = 1000) async throws -> Log {
        let ca = try TestCA.shared()
        return try await Log.open(
            configuration: LogConfiguration(signingKey: try key ?? SigningKey.generateP256(), roots: try Certificate.fromPEM(ca.rootPEM),
                                            poolSize: poolSize, origin: origin),
            storage: MemoryStorage())
    }

    /// Submits `count` new chains (every fifth a precertificate) and sequences them. The steps go
    /// on until every submission has returned, even if one throws: a submission left in the pool
    /// would never return.
    static func grow(_ log: Log, by count: Int) async throws {
        let ca = try TestCA.shared()
        let chains = try (0..<count).map { n in
            n % 5 == 4 ? (try ca.chain(precertificate: true), SubmissionKind.precertificate) : (try ca.chain(), .certificate)
        }
        try await repeating({ await log.sequencer.step() }, every: .milliseconds(5)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (chain, kind) in chains {
                    group.addTask { _ = try await log.submit(chain: chain, as: kind) }
                }
                try await group.waitForAll()
            }
        }
    }
}
