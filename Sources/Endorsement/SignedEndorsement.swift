import Foundation
import PKI

/// An endorser's signature over statement bytes, as carried in add-chain bodies, posted to the
/// endorsement API and kept in the ledger: `{"endorser": ID, "statement": base64, "signature": base64}`.
public struct SignedEndorsement: Sendable, Equatable, Codable {
    public var endorser: String
    /// The exact statement bytes the signature covers (`EndorsementStatement.encoded`).
    public var statement: [UInt8]
    /// ECDSA P-256 with SHA-256 (DER) or Ed25519 over `statement`.
    public var signature: [UInt8]

    enum CodingKeys: String, CodingKey {
        case endorser, statement, signature
    }

    public init(endorser: String, statement: [UInt8], signature: [UInt8]) {
        self.endorser = endorser
        self.statement = statement
        self.signature = signature
    }

    /// Signs `statement` as `endorser` with `key`.
    public static func sign(_ statement: EndorsementStatement, endorser: String, key: SigningKey) throws -> SignedEndorsement {
        let bytes = statement.encoded
        return SignedEndorsement(endorser: endorser, statement: bytes, signature: try key.sign(bytes))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        endorser = try container.decode(String.self, forKey: .endorser)
        guard let statement = Data(base64Encoded: try container.decode(String.self, forKey: .statement)),
              let signature = Data(base64Encoded: try container.decode(String.self, forKey: .signature)) else {
            throw EndorsementError(.malformedEndorsement, "endorsement of \"\(endorser)\": statement and signature must be base64")
        }
        self.statement = Array(statement)
        self.signature = Array(signature)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(endorser, forKey: .endorser)
        try container.encode(Data(statement).base64EncodedString(), forKey: .statement)
        try container.encode(Data(signature).base64EncodedString(), forKey: .signature)
    }
}
