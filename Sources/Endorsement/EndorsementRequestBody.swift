import Foundation
import LogFormat

/// An endorsement request as the log's API shows it (Specs/endorsement.md, "Flow B"): the 202
/// answer of add-chain, and the body of `GET`/`POST <prefix>/endorsement/v1/requests/<id>`.
public struct EndorsementRequestBody: Codable, Sendable {
    public struct Equivocation: Codable, Sendable, Equatable {
        public let endorser: String
        public let approval: SignedEndorsement
        public let rejection: SignedEndorsement

        public init(endorser: String, approval: SignedEndorsement, rejection: SignedEndorsement) {
            self.endorser = endorser
            self.approval = approval
            self.rejection = rejection
        }
    }

    public let requestID: String
    public let statusURL: String
    /// pending, sequencing, logged or expired.
    public let state: String
    public let level: String
    public let contractID: String
    public let contractVersion: UInt32
    /// Base64 of the exact approve statement; rejecters sign it with the decision byte set to 2.
    public let statement: String
    /// Milliseconds since the epoch.
    public let expiry: UInt64
    public let approvals: [String]
    public let rejections: [String]
    public let equivocations: [Equivocation]
    /// The add-chain response once the certificate is logged.
    public let sct: AddChainResponse?

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case statusURL = "status_url"
        case state, level
        case contractID = "contract_id"
        case contractVersion = "contract_version"
        case statement, expiry, approvals, rejections, equivocations, sct
    }

    public init(requestID: String, statusURL: String, state: String, level: String, contractID: String, contractVersion: UInt32,
                statement: [UInt8], expiry: UInt64, approvals: [String], rejections: [String], equivocations: [Equivocation],
                sct: AddChainResponse?) {
        self.requestID = requestID
        self.statusURL = statusURL
        self.state = state
        self.level = level
        self.contractID = contractID
        self.contractVersion = contractVersion
        self.statement = Data(statement).base64EncodedString()
        self.expiry = expiry
        self.approvals = approvals
        self.rejections = rejections
        self.equivocations = equivocations
        self.sct = sct
    }

    /// The statement the log asks endorsers to sign, parsed.
    public func parsedStatement() throws -> EndorsementStatement {
        guard let bytes = Data(base64Encoded: statement) else {
            throw EndorsementError(.malformedEndorsement, "request \(requestID): the statement is not base64")
        }
        return try EndorsementStatement(parsing: Array(bytes))
    }
}
