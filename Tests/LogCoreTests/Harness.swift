import Foundation
import LogCore
import LogFormat
import Merkle
import PKI
import Synchronization
import Testing
import TestSupport

/// A wall clock the test sets; sleeps are real but short.
final class ManualClock: Sendable {
    private let millis: Mutex<UInt64>

    init(_ start: UInt64 = 1_763_683_200_000) { millis = Mutex(start) }

    func set(_ value: UInt64) { millis.withLock { $0 = value } }
    func advance(_ delta: UInt64) { millis.withLock { $0 += delta } }

    var logClock: LogClock {
        LogClock(now: { self.millis.withLock { $0 } }, sleep: { try await Task.sleep(for: $0) })
    }
}

/// A log over a `MemoryStorage` with a test CA, stepped by hand.
struct Harness {
    let ca: TestCA
    let key: SigningKey
    let storage: MemoryStorage
    let clock: ManualClock
    var log: Log

    static func make(ca: TestCA? = nil, poolSize: Int = 100, maxGetEntries: Int = 1000,
                     notAfterStart: Int64? = nil, notAfterLimit: Int64? = nil) async throws -> Harness {
        let ca = try ca ?? TestCA.shared()
        let key = try SigningKey.generateP256()
        let storage = MemoryStorage()
        let clock = ManualClock()
        let configuration = LogConfiguration(
            signingKey: key, roots: try Certificate.fromPEM(ca.rootPEM), notAfterStart: notAfterStart,
            notAfterLimit: notAfterLimit, poolSize: poolSize, maxGetEntries: maxGetEntries)
        let log = try await Log.open(configuration: configuration, storage: storage, clock: clock.logClock)
        return Harness(ca: ca, key: key, storage: storage, clock: clock, log: log)
    }

    /// Opens a second `Log` over the same storage, as a restarted process would.
    func reopened() async throws -> Harness {
        var copy = self
        copy.log = try await Log.open(configuration: log.configuration, storage: storage, clock: clock.logClock)
        return copy
    }

    /// Submits every chain concurrently, waits until `waiting` distinct submissions sit in the
    /// pool, then runs one sequencing step: they all land in the same batch. A submission that
    /// reaches the pool only after that step (a duplicate of one already waiting, which adds
    /// nothing to the pool's depth) is picked up by the steps that follow until every
    /// submission has returned: one left in the pool would never return.
    func submitInOneBatch(_ chains: [([[UInt8]], SubmissionKind)], waiting: Int? = nil) async throws
        -> [Result<SignedCertificateTimestamp, LogError>] {
        let log = self.log
        return try await withThrowingTaskGroup(of: (Int, Result<SignedCertificateTimestamp, LogError>).self) { group in
            for (position, (chain, kind)) in chains.enumerated() {
                group.addTask {
                    do { return (position, .success(try await log.submit(chain: chain, as: kind))) } catch let error as LogError {
                        return (position, .failure(error))
                    }
                }
            }
            let want = waiting ?? chains.count
            let deadline = ContinuousClock.now + .seconds(120)
            while log.poolDepth < want, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(2))
            }
            if log.poolDepth < want {
                Issue.record("the pool reached \(log.poolDepth) submissions in 120 s, want \(want)")
            }
            await log.sequencer.step()
            return try await repeating({ await log.sequencer.step() }) {
                var results = [Result<SignedCertificateTimestamp, LogError>?](repeating: nil, count: chains.count)
                for try await (position, result) in group { results[position] = result }
                return results.map { $0! }
            }
        }
    }

    /// Whole-log consistency: the checker recomputes everything from the entries.
    func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let report = try await LogChecker(storage: storage, publicKey: key.publicKey).run()
        #expect(report.problems == [], sourceLocation: sourceLocation)
        #expect(report.treeSize == log.treeHead.treeSize, sourceLocation: sourceLocation)
    }

    /// The signed entry an SCT for `chain` covers, derived independently of the log's own validator path.
    func signedEntry(_ chain: [[UInt8]], as kind: SubmissionKind) throws -> SignedEntry {
        let verified = try ChainVerifier(roots: log.roots).verify(chain.map { try Certificate(der: $0) }, as: kind)
        switch kind {
        case .certificate: return .x509(certificate: chain[0])
        case .precertificate: return .precert(issuerKeyHash: verified.issuerKeyHash!, tbsCertificate: verified.precertificateTBS!)
        }
    }
}
