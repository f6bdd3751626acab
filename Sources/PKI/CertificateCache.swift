import Synchronization

/// Parsed certificates by their exact DER, for the issuers that arrive with every submission.
///
/// A CA sends the same intermediate with each of its leaves, and parsing one with OpenSSL 3
/// costs about as much as a signature check (most of it decoding the public key). A
/// `Certificate` is immutable and a function of its DER alone, so the parse of the first
/// submission serves every later one. Bounded: when full it is emptied and refills.
///
/// Owner: `parsed`'s mutex; it is held only to look up or insert, never while parsing.
public final class CertificateCache: Sendable {
    public let capacity: Int
    private let parsed = Mutex([[UInt8]: Certificate]())

    public init(capacity: Int = 1024) {
        precondition(capacity > 0, "capacity \(capacity) must be positive")
        self.capacity = capacity
    }

    /// How many certificates are kept now.
    public var count: Int { parsed.withLock { $0.count } }

    /// The certificate whose DER is `der`, parsed now or by an earlier call. Throws as
    /// `Certificate(der:)` does; a certificate that does not parse is not kept.
    public func certificate(der: [UInt8]) throws -> Certificate {
        if let known = parsed.withLock({ $0[der] }) { return known }
        let certificate = try Certificate(der: der)
        parsed.withLock { parsed in
            if parsed.count >= capacity { parsed.removeAll(keepingCapacity: true) }
            parsed[der] = certificate
        }
        return certificate
    }
}
