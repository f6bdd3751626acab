import Endorsement
import PKI

/// What one log is: its key, the roots it accepts, the notAfter window of its
/// temporal shard and the knobs of its write and read paths.
public struct LogConfiguration: Sendable {
    /// The log's P-256 key: signs SCTs and tree heads; its SPKI hash is the log ID.
    public var signingKey: SigningKey
    /// Accepted roots: a chain must lead to one of these.
    public var roots: [Certificate]
    /// Certificates whose notAfter is before this instant (Unix seconds) are refused.
    public var notAfterStart: Int64?
    /// Certificates whose notAfter is at or after this instant (Unix seconds) are refused.
    public var notAfterLimit: Int64?
    /// From this instant (milliseconds since the Unix epoch) the log refuses every submission
    /// with `.readOnly` and keeps serving reads: a temporal shard past its notAfter limit plus grace.
    public var readOnlyAt: UInt64?
    /// How often the sequencer takes the pool and commits a batch.
    public var sequenceInterval: Duration
    /// How many distinct submissions may wait for the next batch; past it submissions get 503.
    public var poolSize: Int
    /// The most entries one get-entries response returns.
    public var maxGetEntries: Int
    /// How old the tree head may grow on an idle log before it is re-signed with a fresh timestamp.
    public var treeHeadRefresh: Duration
    /// The checkpoint origin line and note key name (static-ct-api: the submission prefix
    /// without its scheme and trailing slashes, e.g. `ct.example.com/2026h1`).
    public var origin: String
    /// The endorser contract OV, IV and EV certificates must satisfy (Specs/endorsement.md); nil logs
    /// every level without endorsement. It is logged in the ledger when the log opens.
    public var contract: ValidatedContract?

    public init(
        signingKey: SigningKey,
        roots: [Certificate],
        notAfterStart: Int64? = nil,
        notAfterLimit: Int64? = nil,
        readOnlyAt: UInt64? = nil,
        sequenceInterval: Duration = .milliseconds(100),
        poolSize: Int = 10_000,
        maxGetEntries: Int = 1000,
        treeHeadRefresh: Duration = .seconds(1),
        origin: String = "localhost",
        contract: ValidatedContract? = nil
    ) {
        self.contract = contract
        self.signingKey = signingKey
        self.roots = roots
        self.notAfterStart = notAfterStart
        self.notAfterLimit = notAfterLimit
        self.readOnlyAt = readOnlyAt
        self.sequenceInterval = sequenceInterval
        self.poolSize = poolSize
        self.maxGetEntries = maxGetEntries
        self.treeHeadRefresh = treeHeadRefresh
        self.origin = origin
    }

    /// The static-ct-api origin of a log whose submission prefix is `url`: the URL without
    /// its scheme and trailing slashes.
    public static func origin(fromSubmissionURL url: String) -> String {
        var origin = Substring(url)
        if let scheme = origin.range(of: "://") { origin = origin[scheme.upperBound...] }
        while origin.hasSuffix("/") { origin = origin.dropLast() }
        return String(origin)
    }
}
