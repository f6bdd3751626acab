/// Why an endorsement, a bundle or a contract was refused: a stable code to branch on and a
/// message naming the endorser and the reason (Specs/endorsement.md, "Refusals").
public struct EndorsementError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable, CaseIterable {
        /// The statement bytes do not parse as the fixed layout, or the JSON around them is malformed.
        case malformedEndorsement
        /// The endorser ID is not in the contract in force.
        case unknownEndorser
        /// The signature does not verify over the statement bytes with the endorser's key.
        case badSignature
        /// The same endorser, or the same key under two IDs, appears twice in one bundle or request.
        case duplicateEndorser
        /// The endorser may not endorse this certificate level.
        case levelNotAllowed
        /// The decision time is outside the endorser's validity window.
        case outsideValidity
        /// The statement's expiry has passed.
        case expiredStatement
        /// The statement names a contract ID or version other than the one in force.
        case contractNotInForce
        /// The statement is about another log, another certificate or another level.
        case otherSubject
        /// An inline bundle carries a statement that rejects the certificate.
        case rejected
        /// The endorser signed both approve and reject for the same request.
        case equivocation
        /// The valid approvals do not satisfy the level's rule.
        case ruleNotSatisfied
        /// The valid approvals come from fewer distinct operators than the level requires.
        case tooFewOperators
        /// The contract has no rule for this level, so such certificates cannot be admitted.
        case noRule
        /// The contract itself is invalid (see `Contract.validated()`).
        case invalidContract
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: EndorsementError, rhs: EndorsementError) -> Bool { lhs.code == rhs.code }
}
