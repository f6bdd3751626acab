import Endorsement
import PKI
import Testing
import TestSupport

/// Levels from policies and subjects; the DER profile reader against OpenSSL's own parse.
@Suite struct LevelTests {
    static let o = "2.5.4.10", cn = "2.5.4.3", givenName = "2.5.4.42"

    @Test(arguments: [
        ([], [cn], CertificateLevel.dv),
        ([CertificateLevel.dvPolicy], [cn], .dv),
        ([CertificateLevel.ovPolicy], [o, cn], .ov),
        ([CertificateLevel.ivPolicy], [givenName, cn], .iv),
        ([CertificateLevel.evPolicy, CertificateLevel.ovPolicy], [o, cn], .ev),
        ([], [o, cn], .ov),                                  // an organization without any policy: at least OV
        ([CertificateLevel.dvPolicy], [o, cn], .ov),         // claiming DV does not hide an organization
        ([], [givenName, cn], .ov),                          // a person without the IV policy: at least OV
        (["1.3.6.1.4.1.99999.1"], [cn], .dv),                // an issuer's own OID means nothing by itself
    ])
    func levelsFollowPoliciesAndSubject(_ policies: [String], _ attributes: [String], _ level: CertificateLevel) {
        #expect(CertificateLevel.classify(CertificateProfile(policyOIDs: policies, subjectAttributeTypes: attributes)) == level)
    }

    @Test func extraEVPoliciesApplyToTheirIssuerOnly() throws {
        let fixture = try Fixture()
        var contract = fixture.contract
        let issuer = [UInt8](repeating: 0xab, count: 32)
        contract.extraEVPolicies = [Hex.encode(issuer): ["1.3.6.1.4.1.99999.1"]]
        let validated = try contract.validated()
        let profile = CertificateProfile(policyOIDs: ["1.3.6.1.4.1.99999.1"], subjectAttributeTypes: [Self.o])
        #expect(validated.level(of: profile, issuerKeyHash: issuer) == .ev)
        #expect(validated.level(of: profile, issuerKeyHash: [UInt8](repeating: 1, count: 32)) == .ov)
    }

    /// The TBS reader agrees with OpenSSL on certificates the openssl tool made.
    @Test func theProfileReaderAgreesWithOpenSSL() throws {
        let ca = try TestCA.shared()
        let cases: [(String?, [String])] = [
            (nil, []),
            ("/C=NL/O=Example B.V./CN=ov.example.test", [CertificateLevel.ovPolicy, "1.3.6.1.4.1.99999.7.1"]),
            ("/GN=Ada/SN=Lovelace/CN=iv.example.test", [CertificateLevel.ivPolicy]),
            ("/O=Example/CN=ev.example.test", [CertificateLevel.evPolicy]),
        ]
        for (subject, policies) in cases {
            for precertificate in [false, true] {
                let leaf = try Certificate(der: ca.chain(precertificate: precertificate, subject: subject, policies: policies)[0])
                let profile = try leaf.profile()
                #expect(profile.policyOIDs == leaf.policyOIDs)
                #expect(profile.policyOIDs == policies)
                #expect(profile.subjectAttributeTypes.contains(Self.o) == !leaf.subjectOrganizations.isEmpty)
                #expect(profile.subjectAttributeTypes.last == Self.cn)
            }
        }
    }
}
