import PKI
import Testing
import TestSupport

/// The `@unchecked Sendable` claims in practice: one key, one set of certificates
/// and one verifier used from many tasks at once give the same answers as alone. 64 tasks
/// are more than a key keeps ready signing or verification contexts for, so contexts are
/// made, shared out, kept and freed along the way.
@Suite struct ConcurrencyTests {
    @Test func sharedKeysAndChainsAcrossTasks() async throws {
        guard let folder = Vectors.folder("ctgo-trillian-testdata") else { return }
        let verifier = ChainVerifier(roots: [try Fixtures.certificate(folder, "fake-ca.cert")])
        let chain = try Fixtures.certificates(folder, "subleaf.chain")
        let misordered = try Fixtures.certificates(folder, "subleaf.misordered.chain")
        let key = try SigningKey.generateP256()
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<64 {
                group.addTask {
                    let message = Array("task \(task)".utf8)
                    let signed = key.publicKey.verify(signature: try key.sign(message), message: message)
                    let accepted = (try? verifier.verify(chain, as: .certificate)) != nil
                    let refused = (try? verifier.verify(misordered, as: .certificate)) == nil
                    return signed && accepted && refused && !key.publicKey.verify(signature: [0x30, 0x00], message: message)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}
