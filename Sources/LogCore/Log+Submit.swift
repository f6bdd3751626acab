import Endorsement
import LogFormat
import PKI

/// What a submission came to: an SCT, or (an OV, IV or EV certificate without endorsements)
/// a request waiting for endorsers.
public enum SubmissionResult: Sendable {
    case logged(SignedCertificateTimestamp)
    case pending(EndorsementRequestStatus)
}

extension Log {
    /// Validates and logs `chain` (DER, leaf first) and returns its SCT, for certificates that need
    /// no endorsement. An OV, IV or EV certificate under a contract is refused here (use
    /// `submit(chain:as:endorsements:)`).
    public func submit(chain: [[UInt8]], as kind: SubmissionKind) async throws -> SignedCertificateTimestamp {
        switch try await submit(chain: chain, as: kind, endorsements: []) {
        case .logged(let sct):
            return sct
        case .pending(let status):
            throw LogError(.endorsementRefused, "a \(status.level.rawValue) certificate needs endorsements (request \(status.id))",
                           detail: "endorsementRequired")
        }
    }

    /// Validates and logs `chain` (DER, leaf first). Returns only after the entry is durably
    /// sequenced (Specs/log-api.md): the SCT's leaf_index extension names its index and its
    /// timestamp is the batch's. A chain already logged gets a fresh SCT for the existing entry,
    /// from the sequencer's next step, which reads the dedup index for its whole batch at once.
    ///
    /// Under a contract (Specs/endorsement.md) an OV, IV or EV certificate is logged only when
    /// `endorsements` satisfy it (Flow A); with none it opens, or returns, an endorsement request
    /// (Flow B). Such a certificate is looked up in the dedup index first, so one already logged
    /// gets its SCT without endorsements. Throws `LogError` for every refusal.
    public func submit(chain: [[UInt8]], as kind: SubmissionKind, endorsements: [SignedEndorsement]) async throws -> SubmissionResult {
        do {
            if let readOnlyAt = configuration.readOnlyAt, clock.now() >= readOnlyAt {
                throw LogError(.readOnly, "this log stopped accepting submissions at \(LogClock.rfc3339(milliseconds: readOnlyAt)); "
                               + "it serves reads only")
            }
            var submission = try validator.validate(chain: chain, as: kind)
            if let contract = configuration.contract {
                let level = contract.level(of: submission.profile, issuerKeyHash: submission.issuerKeyHash)
                if level.needsEndorsement {
                    if let existing = try await lookUpDuplicate(submission.dedupKey) {
                        metrics.countLogged(wasLogged: true, kind: kind)
                        return .logged(try signSCT(for: submission.entry, record: existing))
                    }
                    let subject = EndorsementSubject(logID: logID, entry: submission.entry, level: level)
                    let now = clock.now()
                    guard !endorsements.isEmpty else {
                        let request = try requests.open(submission, subject: subject, contract: contract, now: now)
                        metrics.countSubmission(result: "pending", kind: kind)
                        return .pending(try status(of: request))
                    }
                    let approval = try Self.endorsementDecision {
                        try EndorsementChecker(contract: contract).decide(bundle: endorsements, subject: subject, now: now)
                    }
                    submission.admission = Admission(level: level, contractID: contract.id, contractVersion: contract.version,
                                                     decidedAt: now, endorsements: approval.bundle)
                }
            }
            metrics.poolDepth.record(pool.depth + 1)
            let outcome = try await pool.submit(submission)
            let sct = try signSCT(for: submission.entry, record: outcome.record)
            metrics.countLogged(wasLogged: outcome.wasLogged, kind: kind)
            return .logged(sct)
        } catch let error as LogError {
            metrics.countSubmission(result: error.detail ?? error.code.rawValue, kind: kind)
            throw error
        } catch {
            metrics.countSubmission(result: LogError.Code.internalError.rawValue, kind: kind)
            throw LogError.internalError("\(error)")
        }
    }

    /// Runs an endorsement decision, turning its refusal into a `LogError` that names the reason.
    static func endorsementDecision<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as EndorsementError {
            throw LogError(.endorsementRefused, error.message, detail: error.code.rawValue)
        }
    }

    private func lookUpDuplicate(_ key: [UInt8]) async throws -> DedupRecord? {
        do {
            return try await storage.dedupRecord(forKey: key)
        } catch {
            throw LogError.internalError("cannot read the dedup index: \(error)")
        }
    }

    /// Signs the SCT of RFC 6962 section 3.2 for an entry sequenced at `record`.
    func signSCT(for entry: SignedEntry, record: DedupRecord) throws -> SignedCertificateTimestamp {
        do {
            return try SignedCertificateTimestamp.sign(
                entry: entry, timestamp: record.timestamp, extensions: CTExtensions(leafIndex: record.index).encoded,
                key: configuration.signingKey, logID: logID)
        } catch {
            throw LogError.internalError("cannot sign the SCT: \(error)")
        }
    }
}
