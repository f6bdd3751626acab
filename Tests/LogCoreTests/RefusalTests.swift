import Foundation
import LogCore
import LogFormat
import PKI
import Testing
import TestSupport

/// Every refusal names its problem with the right code and changes nothing.
@Suite struct RefusalTests {
    enum Case: String, CaseIterable {
        case empty, notDER, trailingGarbage, unknownRoot, misordered, badSignature, precertOnAddChain, certOnAddPreChain
    }

    @Test(arguments: Case.allCases)
    func refusedSubmissionsChangeNothing(_ refusal: Case) async throws {
        let harness = try await Harness.make()
        _ = try await harness.submitInOneBatch([(try harness.ca.chain(), .certificate)])
        let headBefore = harness.log.treeHead
        let commitsBefore = harness.storage.commitCount
        let (chain, kind, want) = try Self.submission(for: refusal, ca: harness.ca)
        await #expect(throws: LogError(want, "")) { try await harness.log.submit(chain: chain, as: kind) }
        #expect(harness.log.treeHead == headBefore)
        #expect(harness.storage.commitCount == commitsBefore)
        try await harness.expectConsistent()
    }

    static func submission(for refusal: Case, ca: TestCA) throws -> ([[UInt8]], SubmissionKind, LogError.Code) {
        switch refusal {
        case .empty:
            return ([], .certificate, .badRequest)
        case .notDER:
            return ([Array("not a certificate".utf8)], .certificate, .badRequest)
        case .trailingGarbage:
            var chain = try ca.chain()
            chain[0] += [0x00]
            return (chain, .certificate, .badRequest)
        case .unknownRoot:
            return (try TestCA().chain(), .certificate, .invalidChain)
        case .misordered:
            let chain = try ca.chain(viaSigningCertificate: true)
            return ([chain[0], chain[2], chain[1]], .certificate, .invalidChain)
        case .badSignature:
            var chain = try ca.chain()
            chain[0][chain[0].count - 5] ^= 0x01
            return (chain, .certificate, .invalidChain)
        case .precertOnAddChain:
            return (try ca.chain(precertificate: true), .certificate, .invalidChain)
        case .certOnAddPreChain:
            return (try ca.chain(), .precertificate, .invalidChain)
        }
    }

    @Test func theNotAfterWindowIsHalfOpen() async throws {
        let ca = try TestCA.shared()
        let chain = try ca.chain(days: 30)
        let notAfter = try Certificate(der: chain[0]).notAfter
        let inside = try await Harness.make(ca: ca, notAfterStart: notAfter, notAfterLimit: notAfter + 1)
        _ = try await inside.submitInOneBatch([(chain, .certificate)])[0].get()
        let tooEarly = try await Harness.make(ca: ca, notAfterStart: notAfter + 1)
        await #expect(throws: LogError(.rejected, "")) { try await tooEarly.log.submit(chain: chain, as: .certificate) }
        let tooLate = try await Harness.make(ca: ca, notAfterLimit: notAfter)
        await #expect(throws: LogError(.rejected, "")) { try await tooLate.log.submit(chain: chain, as: .certificate) }
        #expect(tooLate.log.treeHead.treeSize == 0)
    }
}
