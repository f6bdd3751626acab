import PKI

/// The validation level of a certificate (CA/Browser Forum certificate policies). DV certificates
/// are logged without endorsement; OV, IV and EV certificates need the contract's approval.
public enum CertificateLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case dv = "DV"
    case iv = "IV"
    case ov = "OV"
    case ev = "EV"

    /// The level's code in an endorsement statement.
    public var code: UInt8 {
        switch self {
        case .dv: 1
        case .ov: 2
        case .iv: 3
        case .ev: 4
        }
    }

    public init?(code: UInt8) {
        guard let level = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = level
    }

    /// Whether certificates of this level need endorsements.
    public var needsEndorsement: Bool { self != .dv }

    public static func < (lhs: CertificateLevel, rhs: CertificateLevel) -> Bool {
        let order: [CertificateLevel] = [.dv, .iv, .ov, .ev]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }

    public static let dvPolicy = "2.23.140.1.2.1"
    public static let ovPolicy = "2.23.140.1.2.2"
    public static let ivPolicy = "2.23.140.1.2.3"
    public static let evPolicy = "2.23.140.1.1"
    /// Subject attribute types that identify an organization (O) or a person (givenName,
    /// surname, pseudonym): a subject holding one is at least OV unless an IV, OV or EV policy says more.
    public static let identityAttributes: Set<String> = ["2.5.4.10", "2.5.4.42", "2.5.4.4", "2.5.4.65"]

    /// The level of a certificate from its policies and subject (Specs/endorsement.md, "Levels").
    ///
    /// An EV policy (the CA/Browser Forum's, or one of `extraEVPolicies`) makes it EV; else an OV
    /// or IV policy decides. Without one of those, a subject naming an organization or a person
    /// makes it OV whatever other policies say, so that neither leaving a policy out nor claiming
    /// DV is a way around the contract; otherwise it is DV.
    public static func classify(_ profile: CertificateProfile, extraEVPolicies: Set<String> = []) -> CertificateLevel {
        let policies = Set(profile.policyOIDs)
        if policies.contains(evPolicy) || !policies.isDisjoint(with: extraEVPolicies) { return .ev }
        if policies.contains(ovPolicy) { return .ov }
        if policies.contains(ivPolicy) { return .iv }
        if profile.subjectAttributeTypes.contains(where: identityAttributes.contains) { return .ov }
        return .dv
    }
}
