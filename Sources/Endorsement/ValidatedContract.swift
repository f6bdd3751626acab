import Foundation
import PKI

/// A contract that passed every check, ready to decide with: keys parsed, times in milliseconds,
/// level rules parsed with their groups expanded.
public struct ValidatedContract: Sendable {
    public struct Endorser: Sendable {
        public let id: String
        public let operatorName: String
        public let key: VerifyingKey
        /// SHA-256 of the key's SubjectPublicKeyInfo: distinct endorsers are counted by it.
        public let keyFingerprint: [UInt8]
        public let levels: Set<CertificateLevel>
        /// Milliseconds since the Unix epoch; approvals count from `validFrom` until before `validUntil`.
        public let validFrom: UInt64
        public let validUntil: UInt64
    }

    public struct LevelPolicy: Sendable {
        public let rule: Rule
        public let minOperators: Int
    }

    public let contract: Contract
    public let endorsers: [String: Endorser]
    public let policies: [CertificateLevel: LevelPolicy]
    /// Issuer SPKI hash (hex) to extra EV policy OIDs.
    public let extraEVPolicies: [String: Set<String>]

    public var id: String { contract.id }
    public var version: UInt32 { contract.version }
    /// Milliseconds an asynchronous request lives.
    public var pendingLifetime: UInt64 { UInt64(contract.pendingLifetime) * 1000 }

    init(_ contract: Contract) throws {
        func invalid(_ message: String) -> EndorsementError { EndorsementError(.invalidContract, message) }
        let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        guard !contract.id.isEmpty, contract.id.utf8.count <= 255 else { throw invalid("id must be 1 to 255 bytes") }
        guard contract.version >= 1 else { throw invalid("version must be at least 1") }
        guard contract.pendingLifetime > 0 else { throw invalid("pending_lifetime must be a positive number of seconds") }
        guard !contract.endorsers.isEmpty else { throw invalid("the contract names no endorser") }

        var endorsers: [String: Endorser] = [:]
        var fingerprints: [[UInt8]: String] = [:]
        for written in contract.endorsers {
            let id = written.id
            guard !id.isEmpty, id.utf8.count <= 255, id.allSatisfy(nameCharacters.contains), !id.hasSuffix("-of"),
                  id != "all", id != "any" else {
                throw invalid("endorser ID \"\(id)\": want 1 to 255 letters, digits, - . _ ~ (and not all, any or K-of)")
            }
            guard endorsers[id] == nil else { throw invalid("endorser \"\(id)\" is listed twice") }
            guard contract.groups[id] == nil else { throw invalid("\"\(id)\" is both an endorser and a group") }
            let key = try Self.key(written.key, endorser: id)
            guard key.algorithm == .ecdsaP256 || key.algorithm == .ed25519 else {
                throw invalid("endorser \"\(id)\": the key must be ECDSA P-256 or Ed25519")
            }
            let fingerprint = SHA256.hash(key.spkiDER)
            if let other = fingerprints[fingerprint] { throw invalid("endorsers \"\(other)\" and \"\(id)\" share one key") }
            fingerprints[fingerprint] = id
            guard !written.operatorName.isEmpty else { throw invalid("endorser \"\(id)\" names no operator") }
            guard !written.levels.isEmpty, !written.levels.contains(.dv) else {
                throw invalid("endorser \"\(id)\": levels must list some of OV, IV, EV (DV needs no endorsement)")
            }
            let from = try Self.milliseconds(written.validFrom, field: "endorser \"\(id)\" valid_from")
            let until = try Self.milliseconds(written.validUntil, field: "endorser \"\(id)\" valid_until")
            guard from < until else { throw invalid("endorser \"\(id)\": valid_until must be after valid_from") }
            endorsers[id] = Endorser(id: id, operatorName: written.operatorName, key: key, keyFingerprint: fingerprint,
                                     levels: Set(written.levels), validFrom: from, validUntil: until)
        }

        var groups: [String: Rule] = [:]
        for (name, text) in contract.groups {
            guard !name.isEmpty, name.allSatisfy(nameCharacters.contains) else { throw invalid("group name \"\(name)\" is not a name") }
            groups[name] = try Rule.parse(text)
        }
        let names = Set(endorsers.keys)
        var policies: [CertificateLevel: LevelPolicy] = [:]
        for (levelName, written) in contract.levels {
            guard let level = CertificateLevel(rawValue: levelName), level.needsEndorsement else {
                throw invalid("levels: \"\(levelName)\" is not one of OV, IV, EV (DV needs no endorsement)")
            }
            let rule = try Rule.parse(written.rule).expanded(groups: groups, endorsers: names)
            let mentioned = rule.names
            if let twice = mentioned.first(where: { name in mentioned.filter { $0 == name }.count > 1 }) {
                throw invalid("\(levelName): endorser \"\(twice)\" appears more than once in the rule, so one approval could count twice")
            }
            if let outside = mentioned.first(where: { !endorsers[$0]!.levels.contains(level) }) {
                throw invalid("\(levelName): the rule names \"\(outside)\", who may not endorse \(levelName)")
            }
            let operators = Set(mentioned.map { endorsers[$0]!.operatorName })
            guard written.minOperators >= 1, written.minOperators <= operators.count else {
                throw invalid("\(levelName): min_operators \(written.minOperators) must be between 1 and the \(operators.count) operators the rule names")
            }
            policies[level] = LevelPolicy(rule: rule, minOperators: written.minOperators)
        }
        for (issuer, oids) in contract.extraEVPolicies {
            guard issuer.count == 64, Hex.decode(issuer) != nil, issuer == issuer.lowercased() else {
                throw invalid("extra_ev_policies: \"\(issuer)\" is not a lower-case hex SHA-256 of an issuer key")
            }
            guard oids.allSatisfy({ $0.split(separator: ".").count >= 2 && $0.split(separator: ".").allSatisfy { UInt64($0) != nil } }) else {
                throw invalid("extra_ev_policies: \(oids) are not all dotted OIDs")
            }
        }
        self.contract = contract
        self.endorsers = endorsers
        self.policies = policies
        self.extraEVPolicies = contract.extraEVPolicies.mapValues(Set.init)
    }

    /// The level of a certificate issued by the key whose SubjectPublicKeyInfo hashes to `issuerKeyHash`.
    public func level(of profile: CertificateProfile, issuerKeyHash: [UInt8]) -> CertificateLevel {
        CertificateLevel.classify(profile, extraEVPolicies: extraEVPolicies[Hex.encode(issuerKeyHash)] ?? [])
    }

    static func key(_ text: String, endorser: String) throws -> VerifyingKey {
        do {
            if text.contains("-----BEGIN") { return try VerifyingKey(pem: text) }
            guard let der = Data(base64Encoded: text.filter { !$0.isWhitespace }) else {
                throw EndorsementError(.invalidContract, "endorser \"\(endorser)\": key is neither PEM nor base64")
            }
            return try VerifyingKey(spkiDER: Array(der))
        } catch let error as PKIError {
            throw EndorsementError(.invalidContract, "endorser \"\(endorser)\": key: \(error.message)")
        }
    }

    static func milliseconds(_ text: String, field: String) throws -> UInt64 {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text), date.timeIntervalSince1970 >= 0 else {
            throw EndorsementError(.invalidContract, "\(field) \"\(text)\" is not an RFC 3339 instant such as 2026-01-01T00:00:00Z")
        }
        return UInt64(date.timeIntervalSince1970) * 1000
    }
}
