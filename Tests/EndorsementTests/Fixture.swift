import Endorsement
import Foundation
import LogFormat
import PKI

/// A contract with four endorsers (three operators, P-256 and Ed25519 keys) and signing helpers.
struct Fixture {
    static let logID = [UInt8](repeating: 0x1d, count: 32)
    static let now: UInt64 = 1_790_000_000_000
    static let validFrom = "2026-01-01T00:00:00Z"
    static let validUntil = "2028-01-01T00:00:00Z"

    let keys: [String: SigningKey]
    let contract: Contract

    init(version: UInt32 = 1, levels: [String: Contract.LevelRule]? = nil, groups: [String: String]? = nil) throws {
        var keys: [String: SigningKey] = [:]
        keys["registry"] = try SigningKey.generateP256()
        keys["notary"] = try SigningKey.generateEd25519()
        keys["auditor"] = try SigningKey.generateP256()
        keys["registry-2"] = try SigningKey.generateP256()   // same operator as registry
        self.keys = keys
        func endorser(_ id: String, _ operatorName: String, _ levels: [CertificateLevel]) -> Contract.Endorser {
            Contract.Endorser(id: id, operatorName: operatorName, key: keys[id]!.publicKey.pem(), levels: levels,
                              validFrom: Self.validFrom, validUntil: Self.validUntil)
        }
        contract = Contract(
            id: "vigil-test", version: version, pendingLifetime: 3600,
            endorsers: [
                endorser("registry", "Business Registry", [.ov, .ev]),
                endorser("notary", "Notaries Inc", [.ov, .iv, .ev]),
                endorser("auditor", "Audit Partners", [.ov]),
                endorser("registry-2", "Business Registry", [.ov, .ev]),
            ],
            groups: groups ?? ["registries": "any(registry, registry-2)"],
            levels: levels ?? [
                "OV": .init(rule: "2-of(registries, notary, auditor)", minOperators: 2),
                "EV": .init(rule: "all(registry, notary)", minOperators: 2),
                "IV": .init(rule: "notary", minOperators: 1),
            ])
    }

    var checker: EndorsementChecker { get throws { EndorsementChecker(contract: try contract.validated()) } }

    static func subject(level: CertificateLevel = .ov, certificate: [UInt8] = Array("certificate".utf8)) -> EndorsementSubject {
        EndorsementSubject(logID: logID, entry: .x509(certificate: certificate), level: level)
    }

    func statement(_ subject: EndorsementSubject = Fixture.subject(), decision: EndorsementStatement.Decision = .approve,
                   version: UInt32? = nil, expiry: UInt64 = Fixture.now + 600_000) -> EndorsementStatement {
        EndorsementStatement(subject: subject, contractID: contract.id, contractVersion: version ?? contract.version,
                             decision: decision, expiry: expiry)
    }

    func sign(_ endorser: String, _ statement: EndorsementStatement, as signer: String? = nil) throws -> SignedEndorsement {
        try SignedEndorsement.sign(statement, endorser: endorser, key: keys[signer ?? endorser]!)
    }

    func approve(_ endorsers: [String], subject: EndorsementSubject = Fixture.subject()) throws -> [SignedEndorsement] {
        try endorsers.map { try sign($0, statement(subject)) }
    }
}
