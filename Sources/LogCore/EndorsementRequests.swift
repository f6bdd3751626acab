import Endorsement
import LogFormat
import PKI
import Synchronization

/// What an asynchronous endorsement request looks like to clients (Specs/endorsement.md, "Flow B").
public struct EndorsementRequestStatus: Sendable {
    public enum State: String, Sendable {
        /// Waiting for endorsements.
        case pending
        /// The contract is satisfied; the certificate is being sequenced.
        case sequencing
        /// The certificate is in the tree; `sct` is set.
        case logged
        /// The request lived past its expiry without being satisfied.
        case expired
    }

    /// One endorser that signed both approve and reject: both signed endorsements, as evidence.
    public struct Equivocation: Sendable, Equatable {
        public let endorser: String
        public let approval: SignedEndorsement
        public let rejection: SignedEndorsement
    }

    public let id: String
    public let state: State
    public let level: CertificateLevel
    public let contractID: String
    public let contractVersion: UInt32
    /// The exact statement endorsers sign to approve; rejecters sign it with decision 2.
    public let statement: EndorsementStatement
    /// Milliseconds since the epoch.
    public let expiry: UInt64
    public let approvals: [String]
    public let rejections: [String]
    public let equivocations: [Equivocation]
    /// Set once logged.
    public let sct: SignedCertificateTimestamp?
}

/// Asynchronous endorsement requests (Flow B): OV, IV and EV submissions that arrived without
/// endorsements wait here, keyed by their dedup key, until endorsers satisfy the contract or the
/// request expires. Kept in memory: a restart forgets pending requests (a repeated add-chain opens a
/// new one); what was logged is in the trees.
///
/// Owner: `state`'s mutex; nothing waits or does I/O while it is held.
final class EndorsementRequests: Sendable {
    struct Request: Sendable {
        let id: String
        var submission: Submission
        let statement: EndorsementStatement
        var approvals: [EndorsementChecker.Checked] = []
        var rejections: [EndorsementChecker.Checked] = []
        var equivocations: [EndorsementRequestStatus.Equivocation] = []
        var state: EndorsementRequestStatus.State = .pending
        var record: DedupRecord?
    }

    private let state = Mutex([String: Request]())
    /// Requests kept at most; expired ones are dropped first when a new one needs room.
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    static func id(of submission: Submission) -> String { Hex.encode(submission.dedupKey) }

    /// The request for `submission`: the waiting one if there is one, else a new one whose approve
    /// statement expires with the request.
    func open(_ submission: Submission, subject: EndorsementSubject, contract: ValidatedContract, now: UInt64) throws -> Request {
        let id = Self.id(of: submission)
        return try state.withLock { requests in
            if let existing = requests[id], existing.state != .expired, now < existing.statement.expiry || existing.state != .pending {
                return existing
            }
            if requests.count >= capacity {
                requests = requests.filter { now < $0.value.statement.expiry || $0.value.state == .logged }
                guard requests.count < capacity else {
                    throw LogError(.overloaded, "\(capacity) endorsement requests are waiting; retry later")
                }
            }
            let statement = EndorsementStatement(subject: subject, contractID: contract.id, contractVersion: contract.version,
                                                 decision: .approve, expiry: now + contract.pendingLifetime)
            let request = Request(id: id, submission: submission, statement: statement)
            requests[id] = request
            return request
        }
    }

    /// The request `id` as of `now`, expired if its time has passed while pending.
    func request(_ id: String, now: UInt64) throws -> Request {
        try state.withLock { requests in
            guard var request = requests[id] else { throw LogError.notFound("no endorsement request \(id)") }
            if request.state == .pending, now >= request.statement.expiry {
                request.state = .expired
                requests[id] = request
            }
            return request
        }
    }

    /// Records one individually checked endorsement. Returns the submission to sequence, with its
    /// admission, when this approval completes the rule (the request is then `.sequencing`).
    func record(_ endorsement: EndorsementChecker.Checked, in id: String, checker: EndorsementChecker,
                now: UInt64) throws -> Submission? {
        try state.withLock { requests -> Submission? in
            guard var request = requests[id] else { throw LogError.notFound("no endorsement request \(id)") }
            guard request.state == .pending else {
                if request.state == .expired || now >= request.statement.expiry {
                    throw LogError(.requestExpired, "endorsement request \(id) expired at \(request.statement.expiry) ms")
                }
                return nil   // already satisfied: the extra endorsement changes nothing
            }
            guard now < request.statement.expiry else {
                request.state = .expired
                requests[id] = request
                throw LogError(.requestExpired, "endorsement request \(id) expired at \(request.statement.expiry) ms")
            }
            let sameDecision = endorsement.decision == .approve ? request.approvals : request.rejections
            let otherDecision = endorsement.decision == .approve ? request.rejections : request.approvals
            if sameDecision.contains(where: { $0.endorser == endorsement.endorser || $0.keyFingerprint == endorsement.keyFingerprint }) {
                throw LogError(.endorsementRefused, "endorser \"\(endorsement.endorser)\" (or its key) already endorsed request \(id)",
                               detail: EndorsementError.Code.duplicateEndorser.rawValue)
            }
            if let other = otherDecision.first(where: { $0.endorser == endorsement.endorser }) {
                let (approval, rejection) = endorsement.decision == .approve ? (endorsement, other) : (other, endorsement)
                request.equivocations.append(.init(endorser: endorsement.endorser, approval: approval.endorsement,
                                                   rejection: rejection.endorsement))
                request.approvals.removeAll { $0.endorser == endorsement.endorser }
                requests[id] = request
                throw LogError(.equivocation, "endorser \"\(endorsement.endorser)\" signed both approve and reject for request \(id); "
                               + "both are kept as evidence and its approval no longer counts")
            }
            if request.equivocations.contains(where: { $0.endorser == endorsement.endorser }) {
                throw LogError(.equivocation, "endorser \"\(endorsement.endorser)\" equivocated on request \(id) and is not counted")
            }
            if endorsement.decision == .approve {
                request.approvals.append(endorsement)
            } else {
                request.rejections.append(endorsement)
            }
            var ready: Submission?
            if let approval = try? checker.approval(of: request.approvals, level: request.statement.subject.level) {
                request.state = .sequencing
                request.submission.admission = Admission(
                    level: request.statement.subject.level, contractID: request.statement.contractID,
                    contractVersion: request.statement.contractVersion, decidedAt: now, endorsements: approval.bundle)
                ready = request.submission
            }
            requests[id] = request
            return ready
        }
    }

    /// Marks request `id` logged at `record`, or back to pending when sequencing failed.
    func finish(_ id: String, record: DedupRecord?) {
        state.withLock { requests in
            guard var request = requests[id] else { return }
            if let record {
                request.state = .logged
                request.record = record
            } else {
                request.state = .pending
                request.submission.admission = nil
            }
            requests[id] = request
        }
    }
}
