import Synchronization

/// Issuer links whose signatures have already been checked: "the certificate with this DER is
/// signed by the key of the certificate with that DER". Whether a signature verifies depends on
/// those bytes alone, so a link found here needs no second check.
///
/// A CA submits the same intermediate with every leaf, so without this each submission would
/// verify the intermediate's signature by its root again: one more public-key operation per
/// submission than the leaf's own. Only links between CA certificates are kept (a leaf is
/// verified once anyway), and the set is bounded: when full it is emptied and refills.
///
/// Owner: `links`' mutex; it is held only to look up or insert, never during a signature check.
public final class VerifiedLinks: Sendable {
    struct Link: Hashable, Sendable {
        let subject: [UInt8]
        let issuer: [UInt8]
    }

    public let capacity: Int
    private let links = Mutex(Set<Link>())

    public init(capacity: Int = 1024) {
        precondition(capacity > 0, "capacity \(capacity) must be positive")
        self.capacity = capacity
    }

    /// How many links are kept now.
    public var count: Int { links.withLock { $0.count } }

    /// Checks that `subject` is signed by `issuer`'s key (`Certificate.verifySignature`),
    /// skipping the check for a link verified before. Throws as `verifySignature` does.
    public func verify(_ subject: Certificate, issuedBy issuer: Certificate) throws {
        guard subject.isCA else {
            try subject.verifySignature(issuedBy: issuer)
            return
        }
        let link = Link(subject: subject.der, issuer: issuer.der)
        if links.withLock({ $0.contains(link) }) { return }
        try subject.verifySignature(issuedBy: issuer)
        links.withLock { links in
            if links.count >= capacity { links.removeAll(keepingCapacity: true) }
            links.insert(link)
        }
    }
}
