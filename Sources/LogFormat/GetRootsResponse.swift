/// The response of get-roots (RFC 6962 section 4.7).
public struct GetRootsResponse: Codable, Sendable, Hashable {
    /// Base64 DER root certificates the log accepts.
    public var certificates: [String]

    public init(certificates: [String]) {
        self.certificates = certificates
    }

    /// Encodes DER root certificates.
    public init(roots: [[UInt8]]) {
        certificates = roots.map(Base64.encode)
    }

    /// The DER roots; throws naming the bad element (`certificates[3]`).
    public func decodedCertificates() throws -> [[UInt8]] {
        try Base64.decode(certificates, field: "certificates")
    }
}
