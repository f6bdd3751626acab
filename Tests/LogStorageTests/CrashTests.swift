import Foundation
import LogCore
import LogStorage
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names the store directory in the child process that `CrashTests` starts and kills.
private let childDirectoryVariable = "VIGIL_STORAGE_CRASH_CHILD"

/// A writer process killed with SIGKILL at random moments, several times over one
/// store: after each kill the store must reopen whole, hold every batch the writer saw
/// acknowledged, and hold nothing past its head.
///
/// Every batch also grows the endorsement ledger to half the tree size, so a ledger out
/// of step with its tree after a kill would show that the two are not written atomically.
///
/// The child is this test binary run again with a filter that selects only
/// `writeUntilKilled`, so it exercises the same `LevelDBStorage` code. A process kill
/// leaves LevelDB's written-but-not-fsynced data in the operating system, so this checks
/// atomicity and recovery, not that fsync reached the disk; a power cut is not simulated.
@Suite struct CrashTests {
    @Test(.timeLimit(.minutes(3)))
    func killedWriterLosesNothingAcknowledged() async throws {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        try await withTemporaryDirectory { dir in
            var expectedIssuers: [[UInt8]: [UInt8]] = [:]
            for round in 1...3 {
                #expect(FileManager.default.createFile(atPath: dir + "/acked", contents: nil))
                let child = try ChildProcess(
                    path: executable, arguments: ["--testing-library", "swift-testing", "--filter", "writeUntilKilled"],
                    environment: ProcessInfo.processInfo.environment.merging([childDirectoryVariable: dir]) { $1 })

                let wanted = Int.random(in: 5...40)
                try await waitForAcknowledgements(dir, atLeast: wanted, from: child)
                try await Task.sleep(for: .microseconds(Int.random(in: 0...3000)))
                child.send(SIGKILL)
                let ended = await child.waitForExit()
                #expect(ended == .signalled(SIGKILL), "round \(round): the writer was killed, not finished")

                let lastAcknowledged = try acknowledgedSizes(dir).last ?? 0
                let store = try await openStore(dir)
                let size = try await SyntheticLog.verify(store)
                #expect((try await store.ledgerHead()?.treeSize ?? 0) == size / 2, "round \(round): the ledger is committed with its tree")
                #expect(size >= lastAcknowledged, "round \(round): an acknowledged commit was lost")
                #expect(size <= lastAcknowledged + 64, "round \(round): more than the batch in flight appeared")
                for (fingerprint, der) in try await store.issuers(CrashTests.issuerFingerprints) {
                    #expect(CrashTests.issuers[fingerprint] == der)
                    expectedIssuers[fingerprint] = der
                }
                await store.close()
            }
            #expect(!expectedIssuers.isEmpty, "some batches carried issuers")
        }
    }

    /// The child's body: commits random batches of the synthetic log (and its ledger) to the store named
    /// by the environment, appending each acknowledged tree size to `acked`, until the
    /// parent kills it (or two minutes pass). Skipped in an ordinary test run.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childDirectoryVariable] != nil))
    func writeUntilKilled() async throws {
        let dir = try #require(ProcessInfo.processInfo.environment[childDirectoryVariable])
        let store = try await openStore(dir)
        let acked = try #require(FileHandle(forWritingAtPath: dir + "/acked"))
        var size = try await store.treeHead()?.treeSize ?? 0
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let next = size + UInt64.random(in: 1...64)
            let issuers = CrashTests.issuers.filter { _ in Int.random(in: 0..<4) == 0 }
            try await store.commit(SyntheticLog.batch(from: size, to: next, issuers: issuers, ledger: (size / 2, next / 2)))
            size = next
            try acked.write(contentsOf: Data("\(size)\n".utf8))
        }
    }

    static let issuers: [[UInt8]: [UInt8]] = Dictionary(
        uniqueKeysWithValues: (UInt8(1)...8).map { ([UInt8](repeating: $0, count: 32), [0x30, 0x03, $0, $0, $0]) })

    static let issuerFingerprints = Array(issuers.keys)

    /// The sizes in `acked`, ignoring a line the kill cut short.
    private func acknowledgedSizes(_ dir: String) throws -> [UInt64] {
        let text = try String(contentsOfFile: dir + "/acked", encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // empty after the final newline, or an unfinished line
        return lines.compactMap { UInt64($0) }
    }

    private func waitForAcknowledgements(_ dir: String, atLeast wanted: Int, from child: ChildProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try acknowledgedSizes(dir).count < wanted {
            if let ended = child.poll() {
                Issue.record("the writer exited early: \(ended)")
                return
            }
            guard ContinuousClock.now < deadline else {
                child.send(SIGKILL)
                Issue.record("the writer acknowledged fewer than \(wanted) commits in 60 s")
                return
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
