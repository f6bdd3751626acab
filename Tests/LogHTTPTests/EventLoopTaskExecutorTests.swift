@testable import LogHTTP
import NIOCore
import NIOPosix
import Testing

/// A task that prefers an `EventLoopTaskExecutor` runs on its loop, before and after it waits
/// for work done on other threads, and so do its child tasks.
struct EventLoopTaskExecutorTests {
    @Test func aTaskRunsOnTheLoopBeforeAndAfterWaitingElsewhere() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let loop = group.next()
        let other = try #require(group.makeIterator().first { $0 !== loop })
        let executor = EventLoopTaskExecutor(loop)
        let seen = try await Task(executorPreference: executor) { () async throws -> [Bool] in
            var seen = [loop.inEventLoop]
            let onPool = try await pool.runIfActive { loop.inEventLoop }
            seen += [onPool, loop.inEventLoop]
            // Resumed from another loop's thread.
            try await other.scheduleTask(in: .milliseconds(1)) {}.futureResult.get()
            seen.append(loop.inEventLoop)
            async let child = loop.inEventLoop
            seen.append(await child)
            return seen
        }.value
        #expect(seen == [true, false, true, true, true])
        try await pool.shutdownGracefully()
        try await group.shutdownGracefully()
    }

    /// The check above can fail: without the preference, a task runs on the concurrency pool.
    @Test func aTaskWithoutThePreferenceRunsOffTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        #expect(await Task { loop.inEventLoop }.value == false)
        try await group.shutdownGracefully()
    }
}
