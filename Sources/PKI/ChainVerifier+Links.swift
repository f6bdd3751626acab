extension ChainVerifier {
    /// Checks that every submitted `chain[i]` names `chain[i+1]` as its issuer, and
    /// reports a chain whose certificates are all present but out of order as such.
    static func checkOrder(_ chain: [Certificate]) throws {
        for index in chain.indices.dropLast() where !chain[index].isNamedAsIssued(by: chain[index + 1]) {
            let subject = chain[index]
            if let actual = chain.indices.first(where: { $0 != index + 1 && subject.isNamedAsIssued(by: chain[$0]) }) {
                throw PKIError(.invalidChain,
                               "misordered chain: chain[\(index)] (\(subject.subjectSummary)) is issued by chain[\(actual)], not by chain[\(index + 1)] (\(chain[index + 1].subjectSummary))")
            }
            throw PKIError(.invalidChain,
                           "broken chain: chain[\(index)] (\(subject.subjectSummary)) names issuer \(subject.issuerSummary), but chain[\(index + 1)] is \(chain[index + 1].subjectSummary)")
        }
    }

    /// Checks the signature of every submitted `chain[i]` with the key of `chain[i+1]`
    /// (links between CAs verified before are not checked again: `VerifiedLinks`).
    func checkSignatures(_ chain: [Certificate]) throws {
        for index in chain.indices.dropLast() {
            do {
                try verifiedLinks.verify(chain[index], issuedBy: chain[index + 1])
            } catch let error as PKIError {
                throw PKIError(.invalidChain, "bad signature on chain[\(index)]: \(error.message)")
            }
        }
    }

    /// Every submitted certificate after the leaf must be a CA (basicConstraints cA
    /// TRUE), except a last one that is an accepted root, which is trusted as is.
    static func checkIssuersAreCAs(_ chain: [Certificate], endsWithRoot: Bool) throws {
        let mustBeCAs = endsWithRoot ? chain.indices.dropFirst().dropLast() : chain.indices.dropFirst()
        if let index = mustBeCAs.first(where: { !chain[$0].isCA }) {
            throw PKIError(.invalidChain,
                           "chain[\(index)] (\(chain[index].subjectSummary)) is not a CA (no basicConstraints cA TRUE), so it cannot issue chain[\(index - 1)] (\(chain[index - 1].subjectSummary))")
        }
    }

    /// Refuses a chain that lists one certificate (same subject and key) twice.
    static func checkNoRepeats(_ chain: [Certificate]) throws {
        for later in chain.indices.dropFirst() {
            if let earlier = chain[..<later].firstIndex(where: { $0.subjectDER == chain[later].subjectDER && $0.spkiDER == chain[later].spkiDER }) {
                throw PKIError(.invalidChain,
                               "chain[\(later)] repeats chain[\(earlier)] (\(chain[later].subjectSummary)): a path uses each certificate once")
            }
        }
    }

    /// `chain` ending at an accepted root: as submitted when its last certificate is
    /// one, else with the accepted root that issued the last certificate appended.
    func completedWithRoot(_ chain: [Certificate]) throws -> [Certificate] {
        let last = chain[chain.count - 1]
        if isAcceptedRoot(last) { return chain }
        let named = accepted.named(issuerOf: last)
        guard !named.isEmpty else {
            if last.isSelfIssued {
                throw PKIError(.invalidChain,
                               "unknown root: the chain ends at self-signed \(last.subjectSummary), which is not one of the \(roots.count) accepted roots")
            }
            throw PKIError(.invalidChain,
                           "unknown root: no accepted root issued \(last.subjectSummary); its issuer \(last.issuerSummary) is not the subject of any of the \(roots.count) accepted roots")
        }
        var failures: [String] = []
        for root in named {
            do {
                try verifiedLinks.verify(last, issuedBy: root)
                return chain + [root]
            } catch let error as PKIError {
                failures.append(error.message)
            }
        }
        throw PKIError(.invalidChain,
                       "unknown root: \(named.count) accepted root(s) named \(last.issuerSummary), but none verifies the signature of \(last.subjectSummary): \(failures.joined(separator: " / "))")
    }

    /// Every CA's pathLenConstraint must allow the intermediates between it and the
    /// leaf; a Precertificate Signing Certificate at `path[1]` does not count (ctfe's
    /// allowance). `submitted` is how many certificates the submitter sent.
    static func checkPathLengths(_ path: [Certificate], submitted: Int, usesPSC: Bool) throws {
        for index in path.indices.dropFirst() {
            let issuer = path[index]
            let below = index - 1 - (usesPSC && index >= 2 ? 1 : 0)
            if issuer.isCA, let limit = issuer.pathLengthConstraint, below > limit {
                let position = index < submitted ? "chain[\(index)]" : "accepted root"
                throw PKIError(.invalidChain,
                               "\(position) (\(issuer.subjectSummary)) allows \(limit) intermediate CA(s) below it (pathLenConstraint), the chain has \(below)")
            }
        }
    }
}
