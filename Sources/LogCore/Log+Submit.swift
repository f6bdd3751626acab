import LogFormat
import PKI

extension Log {
    /// Validates and logs `chain` (DER, leaf first) and returns its SCT. Returns only after the entry
    /// is durably sequenced (Specs/log-api.md): the SCT's leaf_index extension names its index and its
    /// timestamp is the batch's. A chain already logged gets a fresh SCT for the existing entry.
    /// Throws `LogError` for every refusal.
    public func submit(chain: [[UInt8]], as kind: SubmissionKind) async throws -> SignedCertificateTimestamp {
        let kindLabel = kind == .certificate ? "certificate" : "precertificate"
        do {
            if let readOnlyAt = configuration.readOnlyAt, clock.now() >= readOnlyAt {
                throw LogError(.readOnly, "this log stopped accepting submissions at \(LogClock.rfc3339(milliseconds: readOnlyAt)); "
                               + "it serves reads only")
            }
            let submission = try validator.validate(chain: chain, as: kind)
            let record: DedupRecord
            let result: String
            if let existing = try await lookUpDuplicate(submission.dedupKey) {
                record = existing
                result = "duplicate"
            } else {
                metrics.poolDepth.record(pool.depth + 1)
                record = try await pool.submit(submission)
                result = "sequenced"
            }
            let sct = try signSCT(for: submission.entry, record: record)
            metrics.countSubmission(result: result, kind: kindLabel)
            return sct
        } catch let error as LogError {
            metrics.countSubmission(result: error.code.rawValue, kind: kindLabel)
            throw error
        } catch {
            metrics.countSubmission(result: LogError.Code.internalError.rawValue, kind: kindLabel)
            throw LogError.internalError("\(error)")
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
    private func signSCT(for entry: SignedEntry, record: DedupRecord) throws -> SignedCertificateTimestamp {
        do {
            return try SignedCertificateTimestamp.sign(
                entry: entry, timestamp: record.timestamp, extensions: CTExtensions(leafIndex: record.index).encoded,
                key: configuration.signingKey, logID: logID)
        } catch {
            throw LogError.internalError("cannot sign the SCT: \(error)")
        }
    }
}
