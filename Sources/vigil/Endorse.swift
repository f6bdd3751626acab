import ArgumentParser
import Endorsement
import Foundation
import LogClient
import LogFormat
import PKI

/// `vigil endorse`: an endorser approves (or rejects) a certificate, on a log's waiting request
/// (Flow B) or ahead of submission, as a file the CA sends inline (Flow A).
struct Endorse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign an endorsement: for a waiting request (--request), or for a chain before it is submitted (--chain --out).")

    @Option(help: "The endorser's private key (PEM, P-256 or Ed25519).")
    var key: String

    @Option(help: "The log's URL, e.g. http://127.0.0.1:8080.")
    var log: String

    @Option(help: "Flow B: the ID of a request the log is holding; the endorsement is posted to it.")
    var request: String?

    @Option(help: "Flow A: a PEM chain (leaf first) to endorse before submission; needs --out.")
    var chain: String?

    @Flag(help: "With --chain: the leaf is a precertificate.")
    var precert = false

    @Option(help: "With --chain: where to write the endorsement (JSON) for `vigil submit --endorsement`.")
    var out: String?

    @Option(help: "With --chain: how long the endorsement stays valid, in minutes.")
    var validMinutes: Int = 60

    @Flag(help: "Reject instead of approve.")
    var reject = false

    @Option(help: "The endorser ID; default: the contract's endorser whose key this is.")
    var endorser: String?

    func validate() throws {
        guard (request == nil) != (chain == nil) else { throw ValidationError("give either --request ID or --chain FILE") }
        if chain != nil, out == nil { throw ValidationError("--chain needs --out FILE") }
        guard validMinutes > 0 else { throw ValidationError("--valid-minutes must be positive") }
    }

    func run() async throws {
        let signingKey = try SigningKey(pem: CLIFiles.text(key))
        let client = EndorsementClient(url: log)
        let (logID, written) = try await client.contract()
        let contract = try written.validated()
        let id = try endorser ?? Self.endorserID(of: signingKey.publicKey, in: contract)
        let decision: EndorsementStatement.Decision = reject ? .reject : .approve

        if let request {
            var statement = try await client.request(request).parsedStatement()
            guard statement.subject.logID == logID else {
                throw ValidationError("the request's statement names another log than the one serving it")
            }
            statement.decision = decision
            let status = try await client.endorse(request, with: SignedEndorsement.sign(statement, endorser: id, key: signingKey))
            print(#"{"request_id": "\#(status.requestID)", "state": "\#(status.state)", "approvals": \#(status.approvals.count)}"#)
            if let sct = status.sct {
                FileHandle.standardError.write(Data("logged: SCT timestamp \(sct.timestamp)\n".utf8))
            }
            return
        }

        // Flow A: derive the entry the log will log, and its level, exactly as the log does.
        let certificates = try Certificate.fromPEM(CLIFiles.text(chain!))
        let roots = try await LogClient(url: log, publicKey: nil).roots().map { try Certificate(der: $0) }
        let verified = try ChainVerifier(roots: roots).verify(certificates, as: precert ? .precertificate : .certificate)
        let entry: SignedEntry
        let issuerKeyHash: [UInt8]
        let profile: CertificateProfile
        if precert {
            guard let hash = verified.issuerKeyHash, let tbs = verified.precertificateTBS else {
                throw ValidationError("the precertificate chain has no final issuer")
            }
            (entry, issuerKeyHash, profile) = (.precert(issuerKeyHash: hash, tbsCertificate: tbs), hash, try CertificateProfile(tbsDER: tbs))
        } else {
            guard let issuer = verified.issuers.first else { throw ValidationError("the chain has no issuer") }
            (entry, issuerKeyHash, profile) = (.x509(certificate: verified.leaf.der), SHA256.hash(issuer.spkiDER), try verified.leaf.profile())
        }
        let level = contract.level(of: profile, issuerKeyHash: issuerKeyHash)
        guard level.needsEndorsement else { throw ValidationError("this is a DV certificate: the log needs no endorsement for it") }
        let expiry = UInt64(Date().timeIntervalSince1970 * 1000) + UInt64(validMinutes) * 60_000
        let statement = EndorsementStatement(subject: EndorsementSubject(logID: logID, entry: entry, level: level),
                                             contractID: contract.id, contractVersion: contract.version, decision: decision, expiry: expiry)
        let endorsement = try SignedEndorsement.sign(statement, endorser: id, key: signingKey)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (try encoder.encode(endorsement) + Data("\n".utf8)).write(to: URL(fileURLWithPath: out!), options: .atomic)
        FileHandle.standardError.write(Data("\(decision == .approve ? "approved" : "rejected") \(level.rawValue) certificate as \(id) under \(contract.id) version \(contract.version)\n".utf8))
    }

    static func endorserID(of key: VerifyingKey, in contract: ValidatedContract) throws -> String {
        guard let found = contract.endorsers.values.first(where: { $0.key == key }) else {
            throw ValidationError("this key belongs to no endorser of contract \(contract.id) version \(contract.version); give --endorser")
        }
        return found.id
    }
}
