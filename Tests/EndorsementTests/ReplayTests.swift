import Endorsement
import LogFormat
import PKI
import Testing
import TestSupport

/// Replay over a small history: clean as the log wrote it, and each kind of tampering found.
@Suite struct ReplayTests {
    struct History {
        var certificates: [Replay.CertificateEntry]
        var ledger: [LedgerRecord]
        var encodedLedger: [[UInt8]] { ledger.map(\.encoded) }
    }

    static func history(fixture: Fixture) throws -> History {
        let ca = try TestCA.shared()
        let issuerKeyHash = SHA256.hash(try Certificate(der: ca.intermediateDER).spkiDER)
        let dv = try ca.chain()[0]
        let ov = try ca.chain(subject: "/O=Example B.V./CN=ov.example.test", policies: [CertificateLevel.ovPolicy])[0]
        let sneaky = try ca.chain(subject: "/O=Sneaky Ltd/CN=sneaky.example.test")[0]   // OV by subject, no policy
        let entries = [dv, ov, sneaky].enumerated().map { index, der in
            Replay.CertificateEntry(index: UInt64(index), entry: TimestampedEntry(timestamp: Fixture.now + UInt64(index), entry: .x509(certificate: der)),
                                    issuerKeyHash: issuerKeyHash)
        }
        func bundle(_ index: Int, _ endorsers: [String]) throws -> LedgerRecord {
            let subject = EndorsementSubject(logID: Fixture.logID, entry: entries[index].entry.entry, level: .ov)
            return .bundle(.init(certificateIndex: UInt64(index), decidedAt: Fixture.now + UInt64(index), level: .ov,
                                 contractID: fixture.contract.id, contractVersion: fixture.contract.version,
                                 endorsements: try fixture.approve(endorsers, subject: subject)))
        }
        return History(certificates: entries, ledger: [
            .contract(loggedAt: Fixture.now - 1000, json: fixture.contract.canonicalJSON),
            try bundle(1, ["registry", "notary"]),
            try bundle(2, ["auditor", "registry-2"]),
        ])
    }

    @Test func aFaithfulHistoryReplaysClean() throws {
        let fixture = try Fixture()
        let history = try Self.history(fixture: fixture)
        let report = Replay(logID: Fixture.logID).run(certificates: history.certificates, ledger: history.encodedLedger)
        #expect(report.violations == [])
        #expect(report.certificatesChecked == 3 && report.endorsedCertificates == 2 && report.contracts == 1)
    }

    @Test func everyTamperingIsReported() throws {
        let fixture = try Fixture()
        let history = try Self.history(fixture: fixture)
        let replay = Replay(logID: Fixture.logID)
        func violations(_ ledger: [LedgerRecord]) -> [String] {
            replay.run(certificates: history.certificates, ledger: ledger.map(\.encoded)).violations.map(\.description)
        }

        // A bundle whose signature was changed.
        var tampered = history.ledger
        guard case .bundle(var bundle) = tampered[1] else { Issue.record("not a bundle"); return }
        bundle.endorsements[0].signature[10] ^= 1
        tampered[1] = .bundle(bundle)
        let signature = violations(tampered)
        #expect(signature.count == 1 && signature[0].contains("certificate entry 1, ledger entry 1") && signature[0].contains("badSignature"),
                "\(signature)")

        // A bundle with one endorser's signature twice.
        guard case .bundle(var doubled) = history.ledger[1] else { return }
        doubled.endorsements = [doubled.endorsements[0], doubled.endorsements[0]]
        #expect(violations([history.ledger[0], .bundle(doubled), history.ledger[2]]).first?.contains("duplicateEndorser") == true)

        // An OV certificate with no bundle at all, even one that hid its level by leaving the policy out.
        let missing = violations(Array(history.ledger.prefix(2)))
        #expect(missing == ["certificate entry 2: a OV certificate logged without an endorsement bundle"])

        // A bundle citing a contract version that was not in force.
        guard case .bundle(var stale) = history.ledger[2] else { return }
        stale.contractVersion = 7
        #expect(violations([history.ledger[0], history.ledger[1], .bundle(stale)]).first?.contains("in force was vigil-test version 1") == true)

        // A bundle for an entry the tree does not hold, and bytes that are no record.
        let ghost = LedgerRecord.bundle(.init(certificateIndex: 99, decidedAt: Fixture.now, level: .ov, contractID: "vigil-test",
                                               contractVersion: 1, endorsements: []))
        #expect(violations(history.ledger + [ghost]) == ["certificate entry 99, ledger entry 3: a bundle for a certificate entry that is not in the tree"])
        let garbage = replay.run(certificates: history.certificates, ledger: history.encodedLedger + [[9, 9]]).violations
        #expect(garbage.map(\.ledgerIndex) == [3])

        // No contract logged before the decisions.
        #expect(violations(Array(history.ledger.dropFirst())).allSatisfy { $0.contains("no contract was in force") })
    }

    @Test func ledgerRecordsRoundTrip() throws {
        let history = try Self.history(fixture: try Fixture())
        for record in history.ledger {
            #expect(try LedgerRecord(parsing: record.encoded) == record)
        }
        #expect(throws: FormatError.self) { try LedgerRecord(parsing: history.ledger[1].encoded + [0]) }
    }
}
