import Endorsement
import LogCore
import LogFormat
import Merkle
import PKI
import Testing
import TestSupport

/// Endorsed submissions through the log: inline bundles, waiting requests, the ledger written in
/// the same commit as the certificate, the contract logged once, and replay over both trees.
@Suite struct EndorsementFlowTests {
    struct Setup {
        let ca: TestCA
        let keys: [String: SigningKey]
        let contract: Contract
        let storage: MemoryStorage
        let clock: ManualClock
        let logKey: SigningKey
        var log: Log

        static func make(version: UInt32 = 1) async throws -> Setup {
            let keys = ["registry": try SigningKey.generateP256(), "notary": try SigningKey.generateEd25519(),
                        "auditor": try SigningKey.generateP256()]
            let contract = Self.contract(keys: keys, version: version)
            let ca = try TestCA.shared()
            let logKey = try SigningKey.generateP256()
            let storage = MemoryStorage()
            let clock = ManualClock()
            let log = try await Self.open(storage: storage, key: logKey, ca: ca, contract: contract, clock: clock)
            return Setup(ca: ca, keys: keys, contract: contract, storage: storage, clock: clock, logKey: logKey, log: log)
        }

        static func contract(keys: [String: SigningKey], version: UInt32, ovRule: String = "2-of(registry, notary, auditor)") -> Contract {
            Contract(id: "flow-test", version: version, pendingLifetime: 600,
                     endorsers: keys.keys.sorted().map { id in
                         Contract.Endorser(id: id, operatorName: "operator of \(id)", key: keys[id]!.publicKey.pem(), levels: [.ov, .ev],
                                           validFrom: "2020-01-01T00:00:00Z", validUntil: "2099-01-01T00:00:00Z")
                     },
                     levels: ["OV": .init(rule: ovRule, minOperators: 2), "EV": .init(rule: "all(registry, notary)", minOperators: 2)])
        }

        static func open(storage: MemoryStorage, key: SigningKey, ca: TestCA, contract: Contract?, clock: ManualClock) async throws -> Log {
            try await Log.open(configuration: LogConfiguration(signingKey: key, roots: try Certificate.fromPEM(ca.rootPEM),
                                                               contract: try contract?.validated()),
                               storage: storage, clock: clock.logClock)
        }

        func ovChain() throws -> [[UInt8]] { try ca.chain(subject: "/O=Example B.V./CN=ov.example.test", policies: [CertificateLevel.ovPolicy]) }

        func endorse(_ chain: [[UInt8]], by names: [String], level: CertificateLevel = .ov) throws -> [SignedEndorsement] {
            let subject = EndorsementSubject(logID: log.logID, entry: .x509(certificate: chain[0]), level: level)
            return try names.map { name in
                try SignedEndorsement.sign(EndorsementStatement(subject: subject, contractID: contract.id, contractVersion: contract.version,
                                                                decision: .approve, expiry: clock.logClock.now() + 60_000),
                                           endorser: name, key: keys[name]!)
            }
        }

        /// Submits with sequencing steps behind it until the submission returns.
        func submit(_ chain: [[UInt8]], endorsements: [SignedEndorsement]) async throws -> SubmissionResult {
            let log = self.log
            return try await repeating({ await log.sequencer.step() }) {
                try await log.submit(chain: chain, as: .certificate, endorsements: endorsements)
            }
        }

        func replay() async throws -> Replay.Report {
            let size = log.treeHead.treeSize
            let leaves = try await storage.entries(from: 0, count: Int(size)).map { try TileLeaf(parsing: $0) }
            let intermediate = SHA256.hash(try Certificate(der: ca.intermediateDER).spkiDER)
            let certificates = leaves.enumerated().map { Replay.CertificateEntry(index: UInt64($0), entry: $1.entry, issuerKeyHash: intermediate) }
            let ledger = try await storage.ledgerEntries(from: 0, count: Int(log.ledgerHead.treeSize))
            return Replay(logID: log.logID).run(certificates: certificates, ledger: ledger)
        }
    }

    @Test func anInlineBundleLogsTheCertificateAndItsBundleTogether() async throws {
        let setup = try await Setup.make()
        #expect(setup.log.ledgerHead.treeSize == 1)   // the contract, logged at open
        let chain = try setup.ovChain()
        guard case .logged(let sct) = try await setup.submit(chain, endorsements: try setup.endorse(chain, by: ["registry", "auditor"])) else {
            Issue.record("not logged")
            return
        }
        #expect(sct.verify(entry: .x509(certificate: chain[0]), key: setup.logKey.publicKey))
        #expect(setup.log.ledgerHead.treeSize == 2)
        let record = try LedgerRecord(parsing: try await setup.storage.ledgerEntries(from: 1, count: 1)[0])
        guard case .bundle(let bundle) = record else { Issue.record("not a bundle"); return }
        #expect(bundle.certificateIndex == 0 && bundle.level == .ov && bundle.endorsements.map(\.endorser) == ["registry", "auditor"])
        #expect(try LedgerCheckpoint.verify(note: setup.log.ledgerCheckpoint(), origin: setup.log.ledgerOrigin,
                                            key: setup.logKey.publicKey).treeSize == 2)
        #expect(try await setup.replay().violations == [])
        let report = try await LogChecker(storage: setup.storage, publicKey: setup.logKey.publicKey,
                                          ledgerHeadCheck: Log.ledgerSignatureCheck(key: setup.logKey.publicKey)).run()
        #expect(report.problems == [] && report.ledgerSize == 2)
        let otherKey = try SigningKey.generateP256().publicKey
        let forged = try await LogChecker(storage: setup.storage, publicKey: setup.logKey.publicKey,
                                          ledgerHeadCheck: Log.ledgerSignatureCheck(key: otherKey)).run()
        #expect(forged.problems.count == 1 && forged.problems[0].contains("ledger head"))
    }

    @Test func aLoggedOVCertificateGetsItsSCTWithoutEndorsements() async throws {
        let setup = try await Setup.make()
        let chain = try setup.ovChain()
        guard case .logged(let first) = try await setup.submit(chain, endorsements: try setup.endorse(chain, by: ["registry", "notary"])) else {
            Issue.record("not logged")
            return
        }
        let ledgerSize = setup.log.ledgerHead.treeSize
        // Looked up before the contract applies, so it is answered from the dedup index at once,
        // with no sequencing step and no endorsement request opened.
        guard case .logged(let again) = try await setup.log.submit(chain: chain, as: .certificate, endorsements: []) else {
            Issue.record("a logged OV certificate was sent for endorsement again")
            return
        }
        #expect(again.extensions == first.extensions && again.timestamp == first.timestamp)
        #expect(again.verify(entry: .x509(certificate: chain[0]), key: setup.logKey.publicKey))
        #expect(setup.log.treeHead.treeSize == 1 && setup.log.ledgerHead.treeSize == ledgerSize)
    }

    @Test func refusedBundlesChangeNothing() async throws {
        let setup = try await Setup.make()
        let chain = try setup.ovChain()
        let one = try setup.endorse(chain, by: ["registry"])
        for (bundle, code) in [(one + one, "duplicateEndorser"), (one, "ruleNotSatisfied")] {
            do {
                _ = try await setup.log.submit(chain: chain, as: .certificate, endorsements: bundle)
                Issue.record("accepted")
            } catch let error as LogError {
                #expect(error.code == .endorsementRefused && error.detail == code)
            }
        }
        #expect(setup.log.treeHead.treeSize == 0 && setup.log.ledgerHead.treeSize == 1)
        // A DV certificate needs nothing, and an SCT-only submit of an OV one is refused.
        guard case .logged = try await setup.submit(try setup.ca.chain(), endorsements: []) else {
            Issue.record("a DV certificate was not logged at once")
            return
        }
        await #expect(throws: LogError(.endorsementRefused, "")) { try await setup.log.submit(chain: chain, as: .certificate) }
    }

    @Test func aWaitingRequestIsLoggedWhenTheRuleIsMet() async throws {
        let setup = try await Setup.make()
        let chain = try setup.ovChain()
        guard case .pending(let status) = try await setup.log.submit(chain: chain, as: .certificate, endorsements: []) else {
            Issue.record("not pending")
            return
        }
        #expect(status.state == .pending && status.level == .ov)
        let endorsements = try setup.endorse(chain, by: ["registry", "notary"])
        let first = try await setup.log.endorse(request: status.id, with: endorsements[0])
        #expect(first.state == .pending && first.approvals == ["registry"])
        await #expect(throws: LogError(.endorsementRefused, "")) { try await setup.log.endorse(request: status.id, with: endorsements[0]) }
        let log = setup.log
        async let second = log.endorse(request: status.id, with: endorsements[1])
        let deadline = ContinuousClock.now + .seconds(120)
        while log.poolDepth == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
        await log.sequencer.step()
        let done = try await second
        #expect(done.state == .logged)
        #expect(done.sct?.verify(entry: .x509(certificate: chain[0]), key: setup.logKey.publicKey) == true)
        #expect(try await setup.replay().violations == [])

        // The ledger (contract, one bundle) proves its growth and its entries against its own heads.
        let ledger = try await setup.storage.ledgerEntries(from: 0, count: 2).map(Hash.leaf)
        let root = MerkleTree.rootHash(leafHashes: ledger)
        #expect(setup.log.ledgerHead.rootHash == root)
        try ProofVerifier.verifyConsistency(oldSize: 1, newSize: 2, proof: try await setup.log.ledgerConsistencyProof(first: 1, second: 2),
                                            oldRoot: ledger[0], newRoot: root)
        try ProofVerifier.verifyInclusion(leafHash: ledger[1], index: 1, treeSize: 2,
                                          proof: try await setup.log.ledgerInclusionProof(index: 1, treeSize: 2), root: root)

        // An endorser that approves and rejects another request is caught and no longer counted.
        let other = try setup.ovChain()
        guard case .pending(let request) = try await setup.log.submit(chain: other, as: .certificate, endorsements: []) else { return }
        let approve = try setup.endorse(other, by: ["auditor"])[0]
        var statement = try EndorsementStatement(parsing: approve.statement)
        statement.decision = .reject
        _ = try await setup.log.endorse(request: request.id, with: approve)
        await #expect(throws: LogError(.equivocation, "")) {
            try await setup.log.endorse(request: request.id, with: SignedEndorsement.sign(statement, endorser: "auditor", key: setup.keys["auditor"]!))
        }
        let after = try setup.log.endorsementRequest(request.id)
        #expect(after.approvals.isEmpty && after.equivocations.map(\.endorser) == ["auditor"])

        // Past its lifetime the request expires.
        setup.clock.advance(601_000)
        #expect(try setup.log.endorsementRequest(request.id).state == .expired)
        await #expect(throws: LogError(.requestExpired, "")) {
            try await setup.log.endorse(request: request.id, with: setup.endorse(other, by: ["registry"])[0])
        }
    }

    @Test func theContractIsLoggedOnceAndOnlyNewerVersionsReplaceIt() async throws {
        var setup = try await Setup.make()
        // Reopening with the same contract logs nothing new.
        setup.log = try await Setup.open(storage: setup.storage, key: setup.logKey, ca: setup.ca, contract: setup.contract, clock: setup.clock)
        #expect(setup.log.ledgerHead.treeSize == 1)
        // Other terms under the same version, or no contract at all, are refused.
        let changed = Setup.contract(keys: setup.keys, version: 1, ovRule: "any(registry, notary)")
        await #expect(throws: LogError.self) {
            try await Setup.open(storage: setup.storage, key: setup.logKey, ca: setup.ca, contract: changed, clock: setup.clock)
        }
        await #expect(throws: LogError.self) {
            try await Setup.open(storage: setup.storage, key: setup.logKey, ca: setup.ca, contract: nil, clock: setup.clock)
        }
        // A newer version is logged and decides from then on.
        let newer = Setup.contract(keys: setup.keys, version: 2, ovRule: "any(registry, notary)")
        setup.log = try await Setup.open(storage: setup.storage, key: setup.logKey, ca: setup.ca, contract: newer, clock: setup.clock)
        #expect(setup.log.ledgerHead.treeSize == 2)
        #expect(try await setup.replay().contracts == 2)
    }
}
