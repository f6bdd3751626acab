import PKI

/// Decides whether endorsements admit a certificate under the contract in force
/// (Specs/endorsement.md, "Decisions"). Pure: the decision time is given, nothing is stored.
public struct EndorsementChecker: Sendable {
    /// One endorsement that passed every individual check.
    public struct Checked: Sendable, Equatable {
        public let endorser: String
        public let operatorName: String
        public let keyFingerprint: [UInt8]
        public let decision: EndorsementStatement.Decision
        public let endorsement: SignedEndorsement
    }

    /// The approvals that admitted a certificate.
    public struct Approval: Sendable, Equatable {
        public let endorsers: [String]
        public let operators: Set<String>
        /// The endorsements, in the order given: what the ledger keeps.
        public let bundle: [SignedEndorsement]
    }

    public let contract: ValidatedContract

    public init(contract: ValidatedContract) {
        self.contract = contract
    }

    /// Checks one endorsement of `subject` at time `now` (milliseconds), in this order: the
    /// statement parses, the endorser is in the contract, the signature verifies over the exact
    /// statement bytes, the statement names the contract in force and this subject, it has not
    /// expired, the endorser is within its validity window and may endorse the level.
    public func check(_ endorsement: SignedEndorsement, subject: EndorsementSubject, now: UInt64) throws -> Checked {
        let statement = try EndorsementStatement(parsing: endorsement.statement)
        let name = "endorser \"\(endorsement.endorser)\""
        guard let endorser = contract.endorsers[endorsement.endorser] else {
            throw EndorsementError(.unknownEndorser, "\(name) is not in contract \(contract.id) version \(contract.version)")
        }
        guard endorser.key.verify(signature: endorsement.signature, message: endorsement.statement) else {
            throw EndorsementError(.badSignature, "\(name): the signature does not verify over the statement with the endorser's key")
        }
        guard statement.contractID == contract.id, statement.contractVersion == contract.version else {
            throw EndorsementError(.contractNotInForce, "\(name) signed under contract \(statement.contractID) version \(statement.contractVersion); "
                                   + "in force is \(contract.id) version \(contract.version)")
        }
        guard statement.subject == subject else {
            let what = statement.subject.logID != subject.logID ? "another log"
                : statement.subject.level != subject.level ? "level \(statement.subject.level.rawValue), not \(subject.level.rawValue)"
                : "another certificate"
            throw EndorsementError(.otherSubject, "\(name) endorsed \(what)")
        }
        guard now < statement.expiry else {
            throw EndorsementError(.expiredStatement, "\(name): the statement expired at \(statement.expiry) ms, before \(now)")
        }
        guard endorser.validFrom <= now, now < endorser.validUntil else {
            throw EndorsementError(.outsideValidity, "\(name) may endorse from \(endorser.validFrom) until \(endorser.validUntil) ms, not at \(now)")
        }
        guard endorser.levels.contains(subject.level) else {
            throw EndorsementError(.levelNotAllowed, "\(name) may not endorse \(subject.level.rawValue) certificates")
        }
        return Checked(endorser: endorser.id, operatorName: endorser.operatorName, keyFingerprint: endorser.keyFingerprint,
                       decision: statement.decision, endorsement: endorsement)
    }

    /// Decides an inline bundle: every endorsement must pass `check`, no endorser or key may appear
    /// twice, none may reject, and the approvals must satisfy the level's rule and operator minimum.
    public func decide(bundle: [SignedEndorsement], subject: EndorsementSubject, now: UInt64) throws -> Approval {
        var checked: [Checked] = []
        for endorsement in bundle {
            let one = try check(endorsement, subject: subject, now: now)
            if checked.contains(where: { $0.endorser == one.endorser || $0.keyFingerprint == one.keyFingerprint }) {
                throw EndorsementError(.duplicateEndorser, "endorser \"\(one.endorser)\" (or its key) is counted twice in the bundle")
            }
            guard one.decision == .approve else {
                throw EndorsementError(.rejected, "endorser \"\(one.endorser)\" rejects this certificate")
            }
            checked.append(one)
        }
        return try approval(of: checked, level: subject.level)
    }

    /// The approval the given distinct, individually checked approvals make, or why they fall short.
    public func approval(of approvals: [Checked], level: CertificateLevel) throws -> Approval {
        guard let policy = contract.policies[level] else {
            throw EndorsementError(.noRule, "contract \(contract.id) version \(contract.version) has no rule for \(level.rawValue) certificates")
        }
        let approving = approvals.filter { $0.decision == .approve }
        let endorsers = Set(approving.map(\.endorser))
        guard policy.rule.isSatisfied(by: endorsers) else {
            throw EndorsementError(.ruleNotSatisfied, "\(level.rawValue) needs \(policy.rule); approved by "
                                   + (endorsers.isEmpty ? "nobody" : endorsers.sorted().joined(separator: ", ")))
        }
        let operators = Set(approving.map(\.operatorName))
        guard operators.count >= policy.minOperators else {
            throw EndorsementError(.tooFewOperators, "\(level.rawValue) needs approvals from \(policy.minOperators) distinct operators; got \(operators.count)")
        }
        return Approval(endorsers: approving.map(\.endorser), operators: operators, bundle: approving.map(\.endorsement))
    }
}
