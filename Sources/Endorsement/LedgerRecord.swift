import LogFormat

/// One entry of the endorsement ledger, the second Merkle tree of a log (Specs/endorsement.md,
/// "Ledger"). Its leaf hash is the RFC 6962 leaf hash of these bytes.
///
///     struct {
///         uint8 type;                                  1 contract, 2 bundle
///         select (type) {
///             case contract: uint64 logged_at; opaque contract_json<1..2^24-1>;
///             case bundle:   uint64 certificate_index; uint64 decided_at; uint8 level;
///                            opaque contract_id<1..255>; uint32 contract_version;
///                            Endorsement endorsements<0..2^24-1>;
///         };
///     } LedgerRecord;
///     struct { opaque endorser<1..255>; opaque statement<1..2^16-1>; opaque signature<1..2^16-1>; } Endorsement;
public enum LedgerRecord: Sendable, Equatable {
    /// A contract version, in force from `loggedAt` (milliseconds) until the next one.
    case contract(loggedAt: UInt64, json: [UInt8])
    /// The endorsements that admitted certificate-tree entry `certificateIndex` at `decidedAt`.
    case bundle(Bundle)

    public struct Bundle: Sendable, Equatable {
        public var certificateIndex: UInt64
        public var decidedAt: UInt64
        public var level: CertificateLevel
        public var contractID: String
        public var contractVersion: UInt32
        public var endorsements: [SignedEndorsement]

        public init(certificateIndex: UInt64, decidedAt: UInt64, level: CertificateLevel, contractID: String,
                    contractVersion: UInt32, endorsements: [SignedEndorsement]) {
            self.certificateIndex = certificateIndex
            self.decidedAt = decidedAt
            self.level = level
            self.contractID = contractID
            self.contractVersion = contractVersion
            self.endorsements = endorsements
        }
    }

    public var encoded: [UInt8] {
        var writer = TLSWriter()
        switch self {
        case .contract(let loggedAt, let json):
            writer.writeInteger(UInt8(1))
            writer.writeInteger(loggedAt)
            writer.writeVector(json, lengthBytes: 3)
        case .bundle(let bundle):
            writer.writeInteger(UInt8(2))
            writer.writeInteger(bundle.certificateIndex)
            writer.writeInteger(bundle.decidedAt)
            writer.writeInteger(bundle.level.code)
            writer.writeVector(Array(bundle.contractID.utf8), lengthBytes: 1)
            writer.writeInteger(bundle.contractVersion)
            var list = TLSWriter()
            for endorsement in bundle.endorsements {
                list.writeVector(Array(endorsement.endorser.utf8), lengthBytes: 1)
                list.writeVector(endorsement.statement, lengthBytes: 2)
                list.writeVector(endorsement.signature, lengthBytes: 2)
            }
            writer.writeVector(list.bytes, lengthBytes: 3)
        }
        return writer.bytes
    }

    public init(parsing bytes: [UInt8]) throws {
        var reader = TLSReader(bytes)
        let type: UInt8 = try reader.readInteger(UInt8.self, byteCount: 1, field: "ledger record type")
        switch type {
        case 1:
            let loggedAt: UInt64 = try reader.readInteger(UInt64.self, byteCount: 8, field: "logged_at")
            let json = try reader.readVector(lengthBytes: 3, minimum: 1, field: "contract_json")
            self = .contract(loggedAt: loggedAt, json: json)
        case 2:
            let index: UInt64 = try reader.readInteger(UInt64.self, byteCount: 8, field: "certificate_index")
            let decidedAt: UInt64 = try reader.readInteger(UInt64.self, byteCount: 8, field: "decided_at")
            let levelCode: UInt8 = try reader.readInteger(UInt8.self, byteCount: 1, field: "level")
            guard let level = CertificateLevel(code: levelCode) else { throw FormatError(.unknownType, "level \(levelCode)") }
            let id = String(decoding: try reader.readVector(lengthBytes: 1, minimum: 1, field: "contract_id"), as: UTF8.self)
            let version: UInt32 = try reader.readInteger(UInt32.self, byteCount: 4, field: "contract_version")
            var list = TLSReader(try reader.readVector(lengthBytes: 3, field: "endorsements"))
            var endorsements: [SignedEndorsement] = []
            while !list.isAtEnd {
                let endorser = String(decoding: try list.readVector(lengthBytes: 1, minimum: 1, field: "endorser"), as: UTF8.self)
                let statement = try list.readVector(lengthBytes: 2, minimum: 1, field: "statement")
                let signature = try list.readVector(lengthBytes: 2, minimum: 1, field: "signature")
                endorsements.append(SignedEndorsement(endorser: endorser, statement: statement, signature: signature))
            }
            self = .bundle(Bundle(certificateIndex: index, decidedAt: decidedAt, level: level, contractID: id,
                                  contractVersion: version, endorsements: endorsements))
        default:
            throw FormatError(.unknownType, "ledger record type \(type)")
        }
        try reader.expectEnd(of: "ledger record")
    }
}
