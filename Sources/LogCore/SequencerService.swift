import ServiceLifecycle

/// Drives a log's sequencer every `sequenceInterval` as a swift-service-lifecycle service.
/// A log with nothing to sequence waits for its next submission instead, or until its tree
/// head is due to be signed again (`treeHeadRefresh`), so an idle log does not wake every
/// interval; a submission still waits one interval, for others to join its batch.
///
/// On graceful shutdown (SIGTERM) it stops taking new submissions, sequences what is already
/// waiting (the batch in flight finishes first: the sequencer runs one step at a time), and returns.
public struct SequencerService: Service {
    private let log: Log
    private let clock: LogClock

    public init(log: Log, clock: LogClock = .system) {
        self.log = log
        self.clock = clock
    }

    public func run() async throws {
        let interval = log.configuration.sequenceInterval
        let sequencer = log.sequencer
        let pool = log.pool
        let clock = self.clock
        try? await cancelWhenGracefulShutdown {
            try await withTaskExecutorPreference(sequencer.executor) {
                while !Task.isCancelled {
                    try await clock.sleep(interval)
                    await sequencer.step()
                    if let idle = await sequencer.idleWait(), idle > interval {
                        await pool.waitForArrival(atMost: idle - interval, clock: clock)
                    }
                }
            }
        }
        log.stopAccepting()
        await sequencer.step()
    }
}
