/// Whether a certificate carries the RFC 6962 s3.1 precertificate poison:
/// extension 1.3.6.1.4.1.11129.2.4.3, critical, with extnValue exactly ASN.1 NULL.
public enum PoisonStatus: Sendable {
    /// No poison extension.
    case absent
    /// Exactly one poison extension, critical, with value `05 00`.
    case valid
    /// A poison extension that is not critical, has another value, or appears twice.
    case malformed

    init(_ extensions: [TBSCertificate.Extension]) {
        switch extensions.count {
        case 0: self = .absent
        case 1 where extensions[0].critical && extensions[0].value.elementsEqual(OID.null): self = .valid
        default: self = .malformed
        }
    }
}
