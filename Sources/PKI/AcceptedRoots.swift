/// A log's accepted roots, indexed by subject Name, so that finding the roots that may
/// end a chain costs the same for one root as for the hundreds a production log accepts.
///
/// A linear scan compared every root's subject with the chain's last issuer, canonically
/// through OpenSSL when the bytes differed: with 500 roots that was a third of a
/// submission's CPU.
///
/// The answers are those of the scan, in the order the roots were given:
/// - `named(issuerOf:)` is every root `r` with `certificate.isNamedAsIssued(by: r)`;
/// - `contains(_:)` is true for a root equal by DER, or by subject and public key.
struct AcceptedRoots: Sendable {
    let all: [Certificate]
    /// For each distinct subject Name, byte for byte: the roots with exactly that subject
    /// (`exact`) and every root whose subject matches it byte for byte or canonically
    /// (`named`), both as indices into `all` in ascending order.
    private let bySubject: [ByteKey: Subject]
    /// Roots by the hash of their canonical subject Name (`NameHandle.canonicalHash`), for
    /// an issuer Name that matches no root's subject byte for byte.
    private let byCanonicalHash: [UInt: [Int]]

    private struct Subject: Sendable {
        var exact: [Int] = []
        var named: [Int] = []
    }

    init(_ roots: [Certificate]) {
        all = roots
        var byCanonicalHash: [UInt: [Int]] = [:]
        var bySubject: [ByteKey: Subject] = [:]
        for (index, root) in roots.enumerated() {
            if let hash = root.subjectName()?.canonicalHash {
                byCanonicalHash[hash, default: []].append(index)
            }
            bySubject[ByteKey(root.subjectDER), default: Subject()].exact.append(index)
        }
        for (key, subject) in bySubject {
            let first = roots[subject.exact[0]]
            let alike = first.subjectName().map { Self.canonicalMatches(for: $0, in: roots, byCanonicalHash) } ?? []
            bySubject[key]?.named = Array(Set(subject.exact).union(alike)).sorted()
        }
        self.bySubject = bySubject
        self.byCanonicalHash = byCanonicalHash
    }

    /// True when `certificate` is one of the roots, by DER or by subject and key: a root with
    /// the same DER has the same subject and key, so the second test covers the first.
    func contains(_ certificate: Certificate) -> Bool {
        guard let subject = bySubject[ByteKey(certificate.subjectDER)] else { return false }
        return subject.exact.contains { all[$0].spkiDER == certificate.spkiDER }
    }

    /// The roots whose subject Name matches `certificate`'s issuer Name, byte for byte or
    /// canonically (RFC 5280 s7.1), in the order they were given.
    func named(issuerOf certificate: Certificate) -> [Certificate] {
        if let subject = bySubject[ByteKey(certificate.issuerDER)] {
            return subject.named.map { all[$0] }
        }
        guard let issuer = certificate.issuerName() else { return [] }
        return Self.canonicalMatches(for: issuer, in: all, byCanonicalHash).map { all[$0] }
    }

    /// Indices of the roots whose subject matches `name` canonically, ascending.
    private static func canonicalMatches(for name: NameHandle, in roots: [Certificate],
                                         _ byCanonicalHash: [UInt: [Int]]) -> [Int] {
        guard let hash = name.canonicalHash, let bucket = byCanonicalHash[hash] else { return [] }
        return bucket.filter { roots[$0].subjectName()?.matches(name) ?? false }
    }
}
