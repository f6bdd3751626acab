import Foundation
import Glibc
import LogCore
import Testing

@Suite struct ThreadExecutorTests {
    @Test func anActorOnItRunsOneJobAtATimeOnOneThread() async {
        let counter = Counter(executor: ThreadExecutor(name: "test-executor"))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2_000 {
                group.addTask { await counter.increment() }
            }
        }
        let (count, threads, overlaps) = await counter.summary()
        #expect(count == 2_000)
        #expect(threads.count == 1)
        #expect(overlaps == 0)
        #expect(threads.first != ThreadID.current(), "the actor ran on the caller's thread")
    }

    @Test func workPreferringItStaysOnItsThread() async throws {
        let executor = ThreadExecutor(name: "test-executor")
        let counter = Counter(executor: executor)
        let actorThread = await counter.thread()
        let seen = try await withTaskExecutorPreference(executor) {
            var seen: Set<ThreadID> = []
            for _ in 0..<20 {
                try await Task.sleep(for: .milliseconds(1))
                seen.insert(await nonisolatedThread())
            }
            return seen
        }
        #expect(seen == [actorThread])
    }

    @Test func itsThreadCarriesItsName() async throws {
        let counter = Counter(executor: ThreadExecutor(name: "a-rather-long-thread-name"))
        let thread = await counter.thread()
        let name = try String(contentsOfFile: "/proc/self/task/\(thread.id)/comm", encoding: .utf8)
        #expect(name == "a-rather-long-t\n")
    }

    @Test func itsThreadEndsOnceReleased() async throws {
        var counter: Counter? = Counter(executor: ThreadExecutor(name: "test-executor"))
        let thread = await counter!.thread()
        #expect(FileManager.default.fileExists(atPath: thread.procPath))
        counter = nil
        let deadline = ContinuousClock.now + .seconds(10)
        while FileManager.default.fileExists(atPath: thread.procPath) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(!FileManager.default.fileExists(atPath: thread.procPath), "thread \(thread.id) still runs")
    }
}

private nonisolated func nonisolatedThread() async -> ThreadID {
    ThreadID.current()
}

/// The kernel's id of the calling thread, from /proc/thread-self.
private struct ThreadID: Hashable, Sendable {
    let id: String

    static func current() -> ThreadID {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? "?"
        return ThreadID(id: String(target.split(separator: "/").last ?? "?"))
    }

    var procPath: String { "/proc/self/task/\(id)" }
}

private actor Counter {
    private let executor: ThreadExecutor
    private var count = 0
    private var threads: Set<ThreadID> = []
    private var inside = false
    private var overlaps = 0

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(executor: ThreadExecutor) {
        self.executor = executor
    }

    func increment() {
        if inside { overlaps += 1 }
        inside = true
        threads.insert(ThreadID.current())
        count += 1
        inside = false
    }

    func thread() -> ThreadID { ThreadID.current() }

    func summary() -> (Int, Set<ThreadID>, Int) { (count, threads, overlaps) }
}
