import LogFormat
import PKI

/// The exact bytes an endorser signs (Specs/endorsement.md, "Statement"): a fixed binary
/// layout, never re-serialized JSON, so every party verifies the same bytes.
///
///     opaque context[21];            "vigil-endorsement-v1" followed by one 0x00 byte
///     opaque log_id[32];
///     uint8 entry_type;              0 x509_entry, 1 precert_entry
///     opaque certificate_hash[32];   SHA-256 of the certificate, or of the precert's logged TBS
///     opaque issuer_key_hash[32];    precert entries; 32 zero bytes for x509 entries
///     uint8 level;                   1 DV, 2 OV, 3 IV, 4 EV
///     opaque contract_id<1..255>;
///     uint32 contract_version;
///     uint8 decision;                1 approve, 2 reject
///     uint64 expiry;                 milliseconds since the epoch; void from then on
public struct EndorsementStatement: Sendable, Equatable {
    public enum Decision: UInt8, Sendable {
        case approve = 1
        case reject = 2
    }

    public static let context: [UInt8] = Array("vigil-endorsement-v1".utf8) + [0]

    public var subject: EndorsementSubject
    public var contractID: String
    public var contractVersion: UInt32
    public var decision: Decision
    public var expiry: UInt64

    public init(subject: EndorsementSubject, contractID: String, contractVersion: UInt32, decision: Decision, expiry: UInt64) {
        precondition(subject.logID.count == 32 && subject.certificateHash.count == 32 && subject.issuerKeyHash.count == 32,
                     "statement hashes must be 32 bytes")
        precondition((1...255).contains(contractID.utf8.count), "contract ID must be 1 to 255 bytes")
        self.subject = subject
        self.contractID = contractID
        self.contractVersion = contractVersion
        self.decision = decision
        self.expiry = expiry
    }

    public var encoded: [UInt8] {
        var writer = TLSWriter()
        writer.writeBytes(Self.context)
        writer.writeBytes(subject.logID)
        writer.writeInteger(subject.entryType)
        writer.writeBytes(subject.certificateHash)
        writer.writeBytes(subject.issuerKeyHash)
        writer.writeInteger(subject.level.code)
        writer.writeVector(Array(contractID.utf8), lengthBytes: 1)
        writer.writeInteger(contractVersion)
        writer.writeInteger(decision.rawValue)
        writer.writeInteger(expiry)
        return writer.bytes
    }

    /// Parses exactly one statement; any other bytes (a different context, an unknown level or
    /// decision, a trailing byte) throw `malformedEndorsement`.
    public init(parsing bytes: [UInt8]) throws {
        do {
            var reader = TLSReader(bytes)
            guard try reader.readBytes(Self.context.count, field: "context") == Self.context else {
                throw EndorsementError(.malformedEndorsement, "the statement does not start with the vigil-endorsement-v1 context")
            }
            let logID = try reader.readBytes(32, field: "log_id")
            let entryType: UInt8 = try reader.readInteger(UInt8.self, byteCount: 1, field: "entry_type")
            guard entryType <= 1 else { throw EndorsementError(.malformedEndorsement, "entry_type \(entryType) is neither 0 nor 1") }
            let certificateHash = try reader.readBytes(32, field: "certificate_hash")
            let issuerKeyHash = try reader.readBytes(32, field: "issuer_key_hash")
            let levelCode: UInt8 = try reader.readInteger(UInt8.self, byteCount: 1, field: "level")
            guard let level = CertificateLevel(code: levelCode) else {
                throw EndorsementError(.malformedEndorsement, "level \(levelCode) is not 1 to 4")
            }
            let idBytes = try reader.readVector(lengthBytes: 1, minimum: 1, field: "contract_id")
            guard let contractID = String(validating: idBytes, as: UTF8.self) else {
                throw EndorsementError(.malformedEndorsement, "contract_id is not UTF-8")
            }
            let version: UInt32 = try reader.readInteger(UInt32.self, byteCount: 4, field: "contract_version")
            let decisionCode: UInt8 = try reader.readInteger(UInt8.self, byteCount: 1, field: "decision")
            guard let decision = Decision(rawValue: decisionCode) else {
                throw EndorsementError(.malformedEndorsement, "decision \(decisionCode) is neither 1 (approve) nor 2 (reject)")
            }
            let expiry: UInt64 = try reader.readInteger(UInt64.self, byteCount: 8, field: "expiry")
            try reader.expectEnd(of: "endorsement statement")
            self.init(subject: EndorsementSubject(logID: logID, entryType: entryType, certificateHash: certificateHash,
                                                  issuerKeyHash: issuerKeyHash, level: level),
                      contractID: contractID, contractVersion: version, decision: decision, expiry: expiry)
        } catch let error as FormatError {
            throw EndorsementError(.malformedEndorsement, "statement: \(error.message)")
        }
    }
}
