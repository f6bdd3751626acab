import Endorsement
import Foundation
import PKI
import Testing

@Suite struct ContractTests {
    static func yaml(_ keys: [String: SigningKey]) -> String {
        """
        id: example-ov-ev
        version: 3
        pending_lifetime: 259200
        endorsers:
          - id: kvk
            operator: Kamer van Koophandel
            key: \(Data(keys["kvk"]!.publicKey.spkiDER).base64EncodedString())
            levels: [OV, EV]
            valid_from: 2026-01-01T00:00:00Z
            valid_until: 2027-01-01T00:00:00Z
          - id: notary
            operator: Notaries Inc
            key: |
        \(keys["notary"]!.publicKey.pem().split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            levels: [OV, IV, EV]
            valid_from: 2026-01-01T00:00:00Z
            valid_until: 2027-01-01T00:00:00Z
        groups:
          registries: any(kvk)
        levels:
          OV: {rule: "2-of(registries, notary)", min_operators: 2}
          EV: {rule: "all(kvk, notary)"}
        extra_ev_policies:
          "\(String(repeating: "ab", count: 32))": [1.3.6.1.4.1.99999.1]
        """
    }

    @Test func aYAMLContractValidatesAndRoundTripsThroughItsCanonicalJSON() throws {
        let keys = ["kvk": try SigningKey.generateP256(), "notary": try SigningKey.generateEd25519()]
        let contract = try Contract.parse(Self.yaml(keys))
        let validated = try contract.validated()
        #expect(validated.id == "example-ov-ev" && validated.version == 3)
        #expect(validated.pendingLifetime == 259_200_000)
        #expect(validated.endorsers["notary"]?.key == keys["notary"]!.publicKey)
        #expect(validated.endorsers["kvk"]?.validUntil == 1_798_761_600_000)
        #expect(validated.policies[.ov]?.rule.description == "2-of(any(kvk), notary)")
        #expect(validated.policies[.ev]?.minOperators == 1)
        #expect(validated.policies[.iv] == nil)
        let json = contract.canonicalJSON
        #expect(try Contract.parse(String(decoding: json, as: UTF8.self)) == contract)
        #expect(contract.canonicalJSON == json)
    }

    /// Each mistake: the text replaced in the YAML contract and what the refusal names.
    static let mistakes: [(String, String, String)] = [
        ("version: 3", "version: 0", "version must be at least 1"),
        ("  - id: notary", "  - id: kvk", "endorser \"kvk\" is listed twice"),
        ("  - id: notary", "  - id: all", "endorser ID \"all\""),
        ("OV: {rule: \"2-of(registries, notary)\", min_operators: 2}", "OV: {rule: \"2-of(registries, nobody)\"}", "\"nobody\""),
        ("OV: {rule: \"2-of(registries, notary)\", min_operators: 2}", "OV: {rule: \"2-of(registries, kvk)\"}", "appears more than once"),
        ("OV: {rule: \"2-of(registries, notary)\", min_operators: 2}", "OV: {rule: \"any(kvk, notary)\", min_operators: 3}", "min_operators 3"),
        ("OV: {rule", "DV: {rule", "\"DV\" is not one of OV, IV, EV"),
        ("EV: {rule: \"all(kvk, notary)\"}", "IV: {rule: \"all(kvk, notary)\"}", "\"kvk\", who may not endorse IV"),
        ("registries: any(kvk)", "registries: any(registries)", "contains itself"),
        ("valid_until: 2027-01-01T00:00:00Z\n  - id: notary", "valid_until: 2025-01-01T00:00:00Z\n  - id: notary", "valid_until must be after"),
        ("valid_from: 2026-01-01T00:00:00Z", "valid_from: soon", "not an RFC 3339 instant"),
        ("levels: [OV, EV]", "levels: [DV]", "levels must list some of OV, IV, EV"),
        ("levels: [OV, EV]", "levels: [XV]", "not a contract"),
        ("pending_lifetime: 259200", "pending_lifetime: 0", "pending_lifetime"),
        ("[1.3.6.1.4.1.99999.1]", "[policy]", "not all dotted OIDs"),
        ("version: 3\n", "", "missing field \"version\""),
    ]

    @Test(arguments: mistakes.indices)
    func invalidContractsAreRefusedNamingTheMistake(_ position: Int) throws {
        let keys = ["kvk": try SigningKey.generateP256(), "notary": try SigningKey.generateEd25519()]
        let (old, new, named) = Self.mistakes[position]
        let text = Self.yaml(keys)
        #expect(text.contains(old), "case \(position) does not apply")
        do {
            _ = try Contract.parse(text.replacingOccurrences(of: old, with: new)).validated()
            Issue.record("accepted: \(new)")
        } catch let error as EndorsementError {
            #expect(error.code == .invalidContract)
            #expect(error.message.contains(named), "\(error.message)")
        }
    }

    @Test func twoEndorsersMayNotShareAKey() throws {
        let key = try SigningKey.generateP256()
        let keys = ["kvk": key, "notary": key]
        #expect(throws: EndorsementError(.invalidContract, "")) { try Contract.parse(Self.yaml(keys)).validated() }
    }
}
