/// What a certificate says about whom it identifies, read from its TBSCertificate alone, so it
/// works the same for a logged certificate and for a precertificate's logged TBS: the
/// certificatePolicies OIDs and the subject's attribute types.
public struct CertificateProfile: Sendable, Equatable {
    /// The certificatePolicies policy identifiers, dotted, in order (RFC 5280 s4.2.1.4).
    public var policyOIDs: [String]
    /// The subject's attribute types, dotted, in order (e.g. 2.5.4.10 for O, 2.5.4.3 for CN).
    public var subjectAttributeTypes: [String]

    public init(policyOIDs: [String], subjectAttributeTypes: [String]) {
        self.policyOIDs = policyOIDs
        self.subjectAttributeTypes = subjectAttributeTypes
    }

    /// Reads `tbsDER`, a complete TBSCertificate element.
    public init(tbsDER: [UInt8]) throws {
        try self.init(tbs: TBSCertificate(tbsDER[...]))
    }

    /// Reads a TBSCertificate already split into its fields.
    init(tbs: TBSCertificate) throws {
        var types: [String] = []
        // Name ::= SEQUENCE OF RelativeDistinguishedName; RDN ::= SET OF AttributeTypeAndValue.
        let subject = try DER.single(tbs.subject, "subject").expect(DER.Tag.sequence, "subject")
        var rdns = subject.childReader()
        while let rdn = try rdns.next() {
            try rdn.expect(DER.Tag.set, "subject RelativeDistinguishedName")
            var attributes = rdn.childReader()
            while let attribute = try attributes.next() {
                var parts = try attribute.expect(DER.Tag.sequence, "subject AttributeTypeAndValue").childReader()
                guard let type = try parts.next() else { throw PKIError(.invalidDER, "empty subject AttributeTypeAndValue") }
                try parts.finish()
                types.append(try Self.dotted(type.expect(DER.Tag.objectIdentifier, "subject attribute type").content))
            }
        }
        var policies: [String] = []
        for policyExtension in tbs.extensions where policyExtension.oid.elementsEqual(OID.certificatePolicies) {
            // certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier OID, qualifiers OPTIONAL }
            let list = try DER.single(policyExtension.value, "certificatePolicies").expect(DER.Tag.sequence, "certificatePolicies")
            var informations = list.childReader()
            while let information = try informations.next() {
                var fields = try information.expect(DER.Tag.sequence, "PolicyInformation").childReader()
                guard let identifier = try fields.next() else { throw PKIError(.invalidDER, "empty PolicyInformation") }
                try fields.finish()
                policies.append(try Self.dotted(identifier.expect(DER.Tag.objectIdentifier, "policyIdentifier").content))
            }
        }
        self.init(policyOIDs: policies, subjectAttributeTypes: types)
    }

    /// The dotted form of an OBJECT IDENTIFIER's content octets (X.690 s8.19).
    static func dotted(_ content: ArraySlice<UInt8>) throws -> String {
        var text = ""
        var value: UInt64 = 0
        var started = false
        for byte in content {
            guard value >> 57 == 0, started || byte != 0x80 else {
                throw PKIError(.invalidDER, "object identifier arc too long or not minimally encoded")
            }
            value = value << 7 | UInt64(byte & 0x7f)
            started = true
            guard byte & 0x80 == 0 else { continue }
            if text.isEmpty {
                // The first subidentifier holds the first two arcs (X.690 s8.19.4).
                let first = min(value / 40, 2)
                text = "\(first).\(value - first * 40)"
            } else {
                text += ".\(value)"
            }
            value = 0
            started = false
        }
        guard !text.isEmpty, !started else { throw PKIError(.invalidDER, "truncated object identifier") }
        return text
    }
}
