/// Issuer links whose signatures have already been checked: "the certificate with this DER is
/// signed by the key of the certificate with that DER". Whether a signature verifies depends on
/// those bytes alone, so a link found here needs no second check.
///
/// A CA submits the same intermediate with every leaf, so without this each submission would
/// verify the intermediate's signature by its root again: one more public-key operation per
/// submission than the leaf's own. Only links between CA certificates are kept (a leaf is
/// verified once anyway), and the set is bounded: when full it is emptied and refills.
///
/// Owner: the `BoundedCache` it wraps.
public final class VerifiedLinks: Sendable {
    struct Link: Hashable, Sendable {
        let subject: ByteKey
        let issuer: ByteKey
    }

    /// Every kept link verified; a failed check throws and keeps nothing.
    private let links: BoundedCache<Link, Bool>

    public init(capacity: Int = 1024) {
        links = BoundedCache(capacity: capacity)
    }

    public var capacity: Int { links.capacity }

    /// How many links are kept now.
    public var count: Int { links.count }

    /// Checks that `subject` is signed by `issuer`'s key (`Certificate.verifySignature`),
    /// skipping the check for a link verified before. Throws as `verifySignature` does.
    public func verify(_ subject: Certificate, issuedBy issuer: Certificate) throws {
        guard subject.isCA else {
            try subject.verifySignature(issuedBy: issuer)
            return
        }
        _ = try links.value(for: Link(subject: ByteKey(subject.der), issuer: ByteKey(issuer.der))) {
            try subject.verifySignature(issuedBy: issuer)
            return true
        }
    }
}
