import NIOCore

/// A task executor that runs every job on one event loop.
///
/// `HotRouteHandler` starts the task that answers a plain add-chain or a proof with this executor
/// as its preference, so the answer is made on the loop that read the request and will write it:
/// the task leaves the loop only to wait (for a storage read on the thread pool, for the
/// sequencer's commit) and comes back to it, instead of running on the global concurrency pool
/// and hopping back to the loop to write. Structured child tasks inherit the preference; actors
/// still run their own code on their own executors.
///
/// A job enqueued after the loop has shut down is dropped by the loop (SwiftNIO warns), so its
/// task never finishes; the server closes its connections before its loops, and a connection
/// waits for the answer it is making.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
