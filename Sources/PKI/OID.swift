/// Object identifiers the log looks for, as complete DER elements (tag 06,
/// length, content) so they compare directly against parsed extnID slices.
enum OID {
    /// 1.3.6.1.4.1.11129.2.4.3, the precertificate poison extension (RFC 6962 s3.1).
    static let poison: [UInt8] = [0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0xD6, 0x79, 0x02, 0x04, 0x03]
    /// 1.3.6.1.4.1.11129.2.4.2, the embedded SCT list extension (RFC 6962 s3.3).
    static let embeddedSCTList: [UInt8] = [0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0xD6, 0x79, 0x02, 0x04, 0x02]
    /// 2.5.29.35, authorityKeyIdentifier (RFC 5280 s4.2.1.1).
    static let authorityKeyIdentifier: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x23]
    /// 1.3.6.1.4.1.11129.2.4.4, the Precertificate Signing Certificate EKU (RFC 6962 s3.1), dotted.
    static let precertificateSigningDotted = "1.3.6.1.4.1.11129.2.4.4"
    /// 2.5.29.19, basicConstraints (RFC 5280 s4.2.1.9).
    static let basicConstraints: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x13]
    /// 2.5.29.32, certificatePolicies (RFC 5280 s4.2.1.4).
    static let certificatePolicies: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x20]
    /// ASN.1 NULL, the only valid poison extension value.
    static let null: [UInt8] = [0x05, 0x00]
}
