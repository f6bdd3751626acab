import Endorsement
import Foundation
import LogCore
import LogFormat

/// add-chain's body with Flow A's optional endorsements: `{"chain": [...], "endorsements": [...]}`.
struct EndorsedChainBody: Decodable {
    let chain: [String]
    let endorsements: [SignedEndorsement]?
}

extension EndorsementRequestBody {
    init(_ status: EndorsementRequestStatus, statusURL: String) {
        self.init(requestID: status.id, statusURL: statusURL, state: status.state.rawValue, level: status.level.rawValue,
                  contractID: status.contractID, contractVersion: status.contractVersion, statement: status.statement.encoded,
                  expiry: status.expiry, approvals: status.approvals, rejections: status.rejections,
                  equivocations: status.equivocations.map { Equivocation(endorser: $0.endorser, approval: $0.approval, rejection: $0.rejection) },
                  sct: status.sct.map { AddChainResponse(sct: $0) })
    }
}

/// The ledger's JSON bodies.
struct LedgerEntriesBody: Encodable {
    let entries: [String]
}

struct LedgerProofBody: Encodable {
    let leafIndex: UInt64
    let auditPath: [String]

    enum CodingKeys: String, CodingKey {
        case leafIndex = "leaf_index"
        case auditPath = "audit_path"
    }
}

struct LedgerConsistencyBody: Encodable {
    let consistency: [String]
}

/// The contract in force and the log it binds: what `vigil endorse` needs to build statements.
struct ContractBody: Encodable {
    let logID: String
    let contract: Contract

    enum CodingKeys: String, CodingKey {
        case logID = "log_id"
        case contract
    }
}
