import Endorsement
import LogFormat
import PKI
import Testing

/// Every refusal of point 6, each asserting its exact code, and the approvals that pass.
@Suite struct CheckerTests {
    func refusal(_ body: () throws -> Void) -> EndorsementError.Code? {
        do {
            try body()
            return nil
        } catch let error as EndorsementError {
            return error.code
        } catch {
            Issue.record("not an endorsement error: \(error)")
            return nil
        }
    }

    @Test func nestedRuleWithP256AndEd25519Endorsers() throws {
        let fixture = try Fixture()
        let checker = try fixture.checker
        let approval = try checker.decide(bundle: try fixture.approve(["registry-2", "notary"]), subject: Fixture.subject(), now: Fixture.now)
        #expect(approval.endorsers == ["registry-2", "notary"])
        #expect(approval.operators == ["Business Registry", "Notaries Inc"])
        let ev = Fixture.subject(level: .ev)
        #expect(try checker.decide(bundle: try fixture.approve(["registry", "notary"], subject: ev), subject: ev, now: Fixture.now)
            .bundle.count == 2)
    }

    @Test func eachRefusalHasItsCode() throws {
        let fixture = try Fixture()
        let checker = try fixture.checker
        let subject = Fixture.subject()
        let good = try fixture.sign("registry", fixture.statement())
        func decide(_ bundle: [SignedEndorsement], subject: EndorsementSubject = Fixture.subject(), now: UInt64 = Fixture.now) throws {
            _ = try checker.decide(bundle: bundle, subject: subject, now: now)
        }
        let notary = try fixture.sign("notary", fixture.statement())

        // An endorser the contract does not name.
        #expect(refusal { try decide([SignedEndorsement(endorser: "stranger", statement: good.statement, signature: good.signature), notary]) }
            == .unknownEndorser)
        // A signature over other bytes: another statement's, or by another key.
        let other = try fixture.sign("registry", fixture.statement(Fixture.subject(certificate: Array("other".utf8))))
        #expect(refusal { try decide([SignedEndorsement(endorser: "registry", statement: good.statement, signature: other.signature), notary]) }
            == .badSignature)
        #expect(refusal { try decide([try fixture.sign("registry", fixture.statement(), as: "auditor"), notary]) } == .badSignature)
        // The same endorser twice (even under two signatures), counted once at most.
        let again = try fixture.sign("registry", fixture.statement(expiry: Fixture.now + 700_000))
        #expect(refusal { try decide([good, again]) } == .duplicateEndorser)
        #expect(refusal { try decide([good, good, notary]) } == .duplicateEndorser)
        // Outside its levels: the auditor may endorse OV only.
        let ev = Fixture.subject(level: .ev)
        #expect(refusal { try decide([try fixture.sign("auditor", fixture.statement(ev)), try fixture.sign("notary", fixture.statement(ev))], subject: ev) }
            == .levelNotAllowed)
        // Outside its validity window: before and after.
        #expect(refusal { try decide([good, notary], now: 1_700_000_000_000) } == .outsideValidity)
        let late = fixture.statement(expiry: 1_900_000_000_000)
        #expect(refusal { try decide([try fixture.sign("registry", late), try fixture.sign("notary", late)], now: 1_840_000_000_000) }
            == .outsideValidity)
        // An expired statement.
        #expect(refusal { try decide([good, notary], now: Fixture.now + 600_000) } == .expiredStatement)
        // A contract version not in force.
        #expect(refusal { try decide([try fixture.sign("registry", fixture.statement(version: 2)), notary]) } == .contractNotInForce)
        // Another log, another certificate, another level.
        var otherLog = subject
        otherLog.logID = [UInt8](repeating: 7, count: 32)
        #expect(refusal { try decide([try fixture.sign("registry", fixture.statement(otherLog)), notary]) } == .otherSubject)
        #expect(refusal { try decide([other, notary]) } == .otherSubject)
        #expect(refusal { try decide([try fixture.sign("registry", fixture.statement(Fixture.subject(level: .ev))), notary]) }
            == .otherSubject)
        // A reject inside an inline bundle.
        #expect(refusal { try decide([try fixture.sign("registry", fixture.statement(decision: .reject)), notary]) } == .rejected)
        // Not enough: one approval of a 2-of rule; two of one operator where two operators are needed.
        #expect(refusal { try decide([good]) } == .ruleNotSatisfied)
        #expect(refusal { try decide([good, try fixture.sign("registry-2", fixture.statement())]) } == .ruleNotSatisfied)
        // Bytes that are not a statement at all.
        #expect(refusal { try decide([SignedEndorsement(endorser: "registry", statement: good.statement + [0], signature: good.signature)]) }
            == .malformedEndorsement)
    }

    @Test func operatorMinimumIsSeparateFromTheRule() throws {
        let fixture = try Fixture(levels: ["OV": .init(rule: "2-of(registry, registry-2, notary)", minOperators: 2)])
        let checker = try fixture.checker
        #expect(refusal { _ = try checker.decide(bundle: try fixture.approve(["registry", "registry-2"]), subject: Fixture.subject(), now: Fixture.now) }
            == .tooFewOperators)
        #expect(try checker.decide(bundle: try fixture.approve(["registry", "notary"]), subject: Fixture.subject(), now: Fixture.now)
            .operators.count == 2)
        // A level the contract has no rule for cannot be admitted.
        let ev = Fixture.subject(level: .ev)
        #expect(refusal { _ = try checker.decide(bundle: try fixture.approve(["registry"], subject: ev), subject: ev, now: Fixture.now) }
            == .noRule)
    }

    @Test func statementsHaveOneEncoding() throws {
        let fixture = try Fixture()
        let statement = fixture.statement(Fixture.subject(level: .ev), decision: .reject)
        let bytes = statement.encoded
        #expect(bytes.count == 21 + 32 + 1 + 32 + 32 + 1 + 1 + "vigil-test".utf8.count + 4 + 1 + 8)
        #expect(Array(bytes.prefix(21)) == Array("vigil-endorsement-v1".utf8) + [0])
        #expect(bytes[21 + 32 + 1 + 64] == 4)   // level EV
        #expect(try EndorsementStatement(parsing: bytes) == statement)
        var badContext = bytes
        badContext[0] ^= 1
        var badLevel = bytes
        badLevel[21 + 32 + 1 + 64] = 9
        var badDecision = bytes
        badDecision[bytes.count - 9] = 3
        for broken in [badContext, badLevel, badDecision, bytes + [0], Array(bytes.dropLast())] {
            #expect(throws: EndorsementError(.malformedEndorsement, "")) { try EndorsementStatement(parsing: broken) }
        }
    }
}
