import Endorsement
import LogFormat

/// Flow B (Specs/endorsement.md): endorsers post to a waiting request until the contract is met.
extension Log {
    /// Records `endorsement` on request `id`. When it completes the contract, the certificate is
    /// sequenced before this returns and the status carries its SCT. Refusals throw `LogError`:
    /// `.endorsementRefused` (with the endorsement code), `.equivocation`, `.requestExpired`, `.notFound`.
    public func endorse(request id: String, with endorsement: SignedEndorsement) async throws -> EndorsementRequestStatus {
        guard let contract = configuration.contract else { throw LogError.notFound("this log has no endorser contract") }
        let now = clock.now()
        let request = try requests.request(id, now: now)
        let checker = EndorsementChecker(contract: contract)
        let checked = try Self.endorsementDecision {
            try checker.check(endorsement, subject: request.statement.subject, now: now)
        }
        if let ready = try requests.record(checked, in: id, checker: checker, now: now) {
            do {
                let outcome = try await pool.submit(ready)
                requests.finish(id, record: outcome.record)
            } catch {
                requests.finish(id, record: nil)
                throw error
            }
        }
        return try endorsementRequest(id)
    }

    /// The state of request `id`.
    public func endorsementRequest(_ id: String) throws -> EndorsementRequestStatus {
        try status(of: requests.request(id, now: clock.now()))
    }

    func status(of request: EndorsementRequests.Request) throws -> EndorsementRequestStatus {
        let statement = request.statement
        return EndorsementRequestStatus(
            id: request.id, state: request.state, level: statement.subject.level, contractID: statement.contractID,
            contractVersion: statement.contractVersion, statement: statement, expiry: statement.expiry,
            approvals: request.approvals.map(\.endorser), rejections: request.rejections.map(\.endorser),
            equivocations: request.equivocations,
            sct: try request.record.map { try signSCT(for: request.submission.entry, record: $0) })
    }
}
