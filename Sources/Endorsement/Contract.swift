import Foundation
import PKI
import Yams

/// An endorser contract as written (YAML or JSON; Specs/endorsement.md, "Contracts"): who may
/// endorse, which levels each may endorse and when, and per level the rule their approvals
/// must satisfy. `validated()` checks it and prepares it for decisions.
public struct Contract: Sendable, Equatable, Codable {
    public var id: String
    /// Increases with every change; a version takes effect once logged in the ledger.
    public var version: UInt32
    /// Seconds an asynchronous request waits for endorsements before it expires.
    public var pendingLifetime: Int
    public var endorsers: [Endorser]
    /// Named sub-rules that level rules and other groups may use.
    public var groups: [String: String]
    public var levels: [String: LevelRule]
    /// Extra EV policy OIDs per issuer: lower-case hex SHA-256 of the issuer's SubjectPublicKeyInfo
    /// to the OIDs that mean EV for certificates it issues.
    public var extraEVPolicies: [String: [String]]

    public struct Endorser: Sendable, Equatable, Codable {
        public var id: String
        /// The organization running the endorser; rules may require several distinct operators.
        public var operatorName: String
        /// The endorser's public key: a PEM "PUBLIC KEY" block or base64 DER SubjectPublicKeyInfo,
        /// ECDSA P-256 or Ed25519.
        public var key: String
        public var levels: [CertificateLevel]
        /// RFC 3339 instants bounding when the endorser's approvals count.
        public var validFrom: String
        public var validUntil: String

        enum CodingKeys: String, CodingKey {
            case id
            case operatorName = "operator"
            case key, levels
            case validFrom = "valid_from"
            case validUntil = "valid_until"
        }

        public init(id: String, operatorName: String, key: String, levels: [CertificateLevel], validFrom: String, validUntil: String) {
            self.id = id
            self.operatorName = operatorName
            self.key = key
            self.levels = levels
            self.validFrom = validFrom
            self.validUntil = validUntil
        }
    }

    public struct LevelRule: Sendable, Equatable, Codable {
        public var rule: String
        public var minOperators: Int

        enum CodingKeys: String, CodingKey {
            case rule
            case minOperators = "min_operators"
        }

        public init(rule: String, minOperators: Int = 1) {
            self.rule = rule
            self.minOperators = minOperators
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            rule = try container.decode(String.self, forKey: .rule)
            minOperators = try container.decodeIfPresent(Int.self, forKey: .minOperators) ?? 1
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, version
        case pendingLifetime = "pending_lifetime"
        case endorsers, groups, levels
        case extraEVPolicies = "extra_ev_policies"
    }

    public init(id: String, version: UInt32, pendingLifetime: Int = 86_400, endorsers: [Endorser], groups: [String: String] = [:],
                levels: [String: LevelRule], extraEVPolicies: [String: [String]] = [:]) {
        self.id = id
        self.version = version
        self.pendingLifetime = pendingLifetime
        self.endorsers = endorsers
        self.groups = groups
        self.levels = levels
        self.extraEVPolicies = extraEVPolicies
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        version = try container.decode(UInt32.self, forKey: .version)
        pendingLifetime = try container.decodeIfPresent(Int.self, forKey: .pendingLifetime) ?? 86_400
        endorsers = try container.decode([Endorser].self, forKey: .endorsers)
        groups = try container.decodeIfPresent([String: String].self, forKey: .groups) ?? [:]
        levels = try container.decode([String: LevelRule].self, forKey: .levels)
        extraEVPolicies = try container.decodeIfPresent([String: [String]].self, forKey: .extraEVPolicies) ?? [:]
    }

    /// Parses a contract file, YAML or JSON.
    public static func parse(_ text: String) throws -> Contract {
        do {
            return try YAMLDecoder().decode(Contract.self, from: text)
        } catch let error as DecodingError {
            throw EndorsementError(.invalidContract, "not a contract: \(Self.describe(error))")
        } catch {
            throw EndorsementError(.invalidContract, "not a contract: \(error)")
        }
    }

    /// The canonical JSON the ledger holds (sorted keys, no insignificant space); `parse` reads it back.
    public var canonicalJSON: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// Checks everything a decision relies on and prepares it (Specs/endorsement.md, "Checks").
    public func validated() throws -> ValidatedContract {
        try ValidatedContract(self)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "missing field \"\(key.stringValue)\"" + (path.isEmpty ? "" : " in \(path)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
