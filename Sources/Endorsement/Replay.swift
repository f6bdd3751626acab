import LogFormat
import PKI

/// Re-derives every endorsement decision of a log from its two trees alone (Specs/endorsement.md,
/// "Replay"), as an auditor does: the level of each certificate entry, the contract in force when
/// it was decided, the distinct valid endorsers and whether the rule was met.
public struct Replay: Sendable {
    /// A certificate-tree entry as replay needs it.
    public struct CertificateEntry: Sendable {
        public var index: UInt64
        public var entry: TimestampedEntry
        /// SHA-256 of the issuer's SubjectPublicKeyInfo: the precert entry's issuer_key_hash, or
        /// for x509 entries the hash of the first chain certificate's key (nil when unknown;
        /// per-issuer extra EV policies are then not applied).
        public var issuerKeyHash: [UInt8]?

        public init(index: UInt64, entry: TimestampedEntry, issuerKeyHash: [UInt8]?) {
            self.index = index
            self.entry = entry
            self.issuerKeyHash = issuerKeyHash
        }
    }

    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// The certificate-tree index concerned, if any.
        public var certificateIndex: UInt64?
        /// The ledger index concerned, if any.
        public var ledgerIndex: UInt64?
        public var reason: String

        public var description: String {
            var place: [String] = []
            if let certificateIndex { place.append("certificate entry \(certificateIndex)") }
            if let ledgerIndex { place.append("ledger entry \(ledgerIndex)") }
            return (place.isEmpty ? "" : place.joined(separator: ", ") + ": ") + reason
        }
    }

    public struct Report: Sendable {
        public var certificatesChecked = 0
        public var endorsedCertificates = 0
        public var contracts = 0
        public var violations: [Violation] = []
        public var isClean: Bool { violations.isEmpty }
    }

    public let logID: [UInt8]

    public init(logID: [UInt8]) {
        self.logID = logID
    }

    /// Replays `ledger` (the ledger's entries, in order) against `certificates` (the certificate
    /// tree's entries, in order) and reports every OV, IV or EV entry without a valid bundle,
    /// and every ledger entry that is not what the log should have written.
    public func run(certificates: [CertificateEntry], ledger: [[UInt8]]) -> Report {
        var report = Report()
        var contracts: [(loggedAt: UInt64, contract: ValidatedContract)] = []
        var bundles: [UInt64: (ledgerIndex: UInt64, bundle: LedgerRecord.Bundle)] = [:]
        for (position, bytes) in ledger.enumerated() {
            let ledgerIndex = UInt64(position)
            do {
                switch try LedgerRecord(parsing: bytes) {
                case .contract(let loggedAt, let json):
                    let contract = try Contract.parse(String(decoding: json, as: UTF8.self)).validated()
                    if let last = contracts.last, contract.version <= last.contract.version || loggedAt < last.loggedAt {
                        report.violations.append(Violation(ledgerIndex: ledgerIndex,
                                                           reason: "contract version \(contract.version) does not follow version \(last.contract.version)"))
                    }
                    contracts.append((loggedAt, contract))
                    report.contracts += 1
                case .bundle(let bundle):
                    if bundles[bundle.certificateIndex] != nil {
                        report.violations.append(Violation(certificateIndex: bundle.certificateIndex, ledgerIndex: ledgerIndex,
                                                           reason: "a second bundle for the same certificate entry"))
                    } else {
                        bundles[bundle.certificateIndex] = (ledgerIndex, bundle)
                    }
                }
            } catch {
                report.violations.append(Violation(ledgerIndex: ledgerIndex, reason: "does not parse: \(error)"))
            }
        }

        func contract(at time: UInt64) -> ValidatedContract? { contracts.last(where: { $0.loggedAt <= time })?.contract }

        for certificate in certificates {
            report.certificatesChecked += 1
            let found = bundles.removeValue(forKey: certificate.index)
            let decisionTime = found?.bundle.decidedAt ?? certificate.entry.timestamp
            let inForce = contract(at: decisionTime)
            let level: CertificateLevel
            do {
                level = try Self.level(of: certificate, contract: inForce)
            } catch {
                report.violations.append(Violation(certificateIndex: certificate.index, reason: "cannot read the certificate: \(error)"))
                continue
            }
            guard level.needsEndorsement else {
                if let found {
                    report.violations.append(Violation(certificateIndex: certificate.index, ledgerIndex: found.ledgerIndex,
                                                       reason: "a bundle for a DV certificate"))
                }
                continue
            }
            guard let found else {
                report.violations.append(Violation(certificateIndex: certificate.index,
                                                   reason: "a \(level.rawValue) certificate logged without an endorsement bundle"))
                continue
            }
            report.endorsedCertificates += 1
            if let problem = Self.problem(with: found.bundle, certificate: certificate, level: level, contract: inForce, logID: logID) {
                report.violations.append(Violation(certificateIndex: certificate.index, ledgerIndex: found.ledgerIndex, reason: problem))
            }
        }
        for (index, found) in bundles.sorted(by: { $0.key < $1.key }) {
            report.violations.append(Violation(certificateIndex: index, ledgerIndex: found.ledgerIndex,
                                               reason: "a bundle for a certificate entry that is not in the tree"))
        }
        return report
    }

    static func level(of certificate: CertificateEntry, contract: ValidatedContract?) throws -> CertificateLevel {
        let profile: CertificateProfile
        switch certificate.entry.entry {
        case .x509(let der): profile = try Certificate(der: der).profile()
        case .precert(_, let tbs): profile = try CertificateProfile(tbsDER: tbs)
        }
        guard let contract, let issuer = certificate.issuerKeyHash else { return CertificateLevel.classify(profile) }
        return contract.level(of: profile, issuerKeyHash: issuer)
    }

    /// What is wrong with `bundle` as the admission of `certificate`, or nil when it is valid.
    static func problem(with bundle: LedgerRecord.Bundle, certificate: CertificateEntry, level: CertificateLevel,
                        contract: ValidatedContract?, logID: [UInt8]) -> String? {
        guard let contract else { return "no contract was in force at \(bundle.decidedAt)" }
        guard bundle.contractID == contract.id, bundle.contractVersion == contract.version else {
            return "the bundle cites contract \(bundle.contractID) version \(bundle.contractVersion); in force was \(contract.id) version \(contract.version)"
        }
        guard bundle.level == level else { return "the bundle says \(bundle.level.rawValue); the certificate is \(level.rawValue)" }
        let subject = EndorsementSubject(logID: logID, entry: certificate.entry.entry, level: level)
        do {
            _ = try EndorsementChecker(contract: contract).decide(bundle: bundle.endorsements, subject: subject, now: bundle.decidedAt)
            return nil
        } catch let error as EndorsementError {
            return "the bundle does not admit it: \(error)"
        } catch {
            return "the bundle does not admit it: \(error)"
        }
    }
}
