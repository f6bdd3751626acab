import Metrics
import PKI

/// The log's metrics (swift-metrics; exported by the server at /metrics).
/// Every metric carries the log's name as the `log` dimension.
struct LogMetrics: Sendable {
    let poolDepth: Gauge
    let treeSize: Gauge
    let batchEntries: Recorder
    let sequencingDuration: Timer
    private let name: String
    /// The counters of submissions that got their SCT, in the order `countLogged` indexes them:
    /// made once, because making a counter looks its label up in the registry under a lock.
    private let logged: [Counter]

    init(logName: String) {
        name = logName
        let dimensions = [("log", logName)]
        poolDepth = Gauge(label: "vigil_pool_depth", dimensions: dimensions)
        treeSize = Gauge(label: "vigil_tree_size", dimensions: dimensions)
        batchEntries = Recorder(label: "vigil_batch_entries", dimensions: dimensions, aggregate: true)
        sequencingDuration = Timer(label: "vigil_sequencing_duration_seconds", dimensions: dimensions,
                                   preferredDisplayUnit: .seconds)
        logged = ["sequenced", "duplicate"].flatMap { result in
            [SubmissionKind.certificate, .precertificate].map { Self.submissions(log: logName, result: result, kind: $0) }
        }
    }

    /// Counts one submission that got its SCT: `duplicate` when its entry was already logged,
    /// else `sequenced`.
    func countLogged(wasLogged: Bool, kind: SubmissionKind) {
        logged[(wasLogged ? 2 : 0) + (kind == .certificate ? 0 : 1)].increment()
    }

    /// Counts one submission that got no SCT: `pending` endorsement, or the error code it was refused with.
    func countSubmission(result: String, kind: SubmissionKind) {
        Self.submissions(log: name, result: result, kind: kind).increment()
    }

    /// The `vigil_submissions_total` counter of one log, outcome and kind.
    private static func submissions(log: String, result: String, kind: SubmissionKind) -> Counter {
        Counter(label: "vigil_submissions_total",
                dimensions: [("log", log), ("result", result), ("kind", kind == .certificate ? "certificate" : "precertificate")])
    }

    /// Records a committed step; idle tree head refreshes (no entries) count toward neither
    /// the batch size histogram nor the sequencing duration.
    func recordBatch(entries: Int, treeSize size: UInt64, duration: Duration) {
        treeSize.record(Double(size))
        guard entries > 0 else { return }
        batchEntries.record(entries)
        sequencingDuration.record(duration: duration)
    }
}

extension Timer {
    func record(duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
