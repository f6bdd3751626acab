/// Parsed certificates by their exact DER, for the issuers that arrive with every submission.
///
/// A CA sends the same intermediate with each of its leaves, and parsing one with OpenSSL 3
/// costs about as much as a signature check (most of it decoding the public key). A
/// `Certificate` is immutable and a function of its DER alone, so the parse of the first
/// submission serves every later one. Bounded: when full it is emptied and refills.
///
/// Owner: the `BoundedCache` it wraps.
public final class CertificateCache: Sendable {
    private let parsed: BoundedCache<ByteKey, Certificate>

    public init(capacity: Int = 1024) {
        parsed = BoundedCache(capacity: capacity)
    }

    public var capacity: Int { parsed.capacity }

    /// How many certificates are kept now.
    public var count: Int { parsed.count }

    /// The certificate whose DER is `der`, parsed now or by an earlier call. Throws as
    /// `Certificate(der:)` does; a certificate that does not parse is not kept.
    public func certificate(der: [UInt8]) throws -> Certificate {
        try parsed.value(for: ByteKey(der)) { try Certificate(der: der) }
    }
}
