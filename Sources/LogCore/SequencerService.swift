import ServiceLifecycle

/// Drives a log's sequencer every `sequenceInterval` as a swift-service-lifecycle service.
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
        let clock = self.clock
        try? await cancelWhenGracefulShutdown {
            try await withTaskExecutorPreference(sequencer.executor) {
                while !Task.isCancelled {
                    try await clock.sleep(interval)
                    await sequencer.step()
                }
            }
        }
        log.stopAccepting()
        await sequencer.step()
    }
}
