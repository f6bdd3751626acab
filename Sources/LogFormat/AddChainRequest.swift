/// The body of add-chain and add-pre-chain (RFC 6962 sections 4.1 and 4.2):
/// `{"chain": [base64 DER, ...]}`, the leaf (or precertificate) first.
public struct AddChainRequest: Codable, Sendable, Hashable {
    /// Base64 DER certificates, as submitted.
    public var chain: [String]

    public init(chain: [String]) {
        self.chain = chain
    }

    /// Encodes DER certificates.
    public init(certificates: [[UInt8]]) {
        chain = certificates.map(Base64.encode)
    }

    /// The DER certificates; throws `invalidBase64` naming the bad element (`chain[2]`).
    public func decodedChain() throws -> [[UInt8]] {
        try Base64.decode(chain, field: "chain")
    }
}
