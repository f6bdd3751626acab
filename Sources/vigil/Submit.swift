import ArgumentParser
import Endorsement
import Foundation
import LogClient
import LogFormat
import Merkle
import PKI

/// `vigil submit`: submits a chain and verifies what comes back.
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a certificate (or precertificate) chain, print the SCT as JSON and verify it.")

    @Option(help: "The log's URL, e.g. http://127.0.0.1:8080.")
    var log: String

    @Option(help: "PEM file: the leaf first, then its issuers (the root may be left out).")
    var chain: String

    @Flag(help: "Submit to add-pre-chain: the leaf is a precertificate.")
    var precert = false

    @Option(help: "The log's public key (PEM): check the SCT's log ID and signature with it.")
    var key: String?

    @Option(help: "An endorsement file from `vigil endorse --out` to send inline (repeat for each endorser).")
    var endorsement: [String] = []

    func run() async throws {
        let certificates = try Certificate.fromPEM(CLIFiles.text(chain))
        let publicKey = try key.map { try VerifyingKey(pem: CLIFiles.text($0)) }
        let client = LogClient(url: log, publicKey: publicKey)
        // The entry the SCT signs: for a precertificate it depends on the chain up to the final issuer,
        // so verify the chain against the roots the log says it accepts.
        let roots = try await client.roots().map { try Certificate(der: $0) }
        let verified = try ChainVerifier(roots: roots).verify(certificates, as: precert ? .precertificate : .certificate)
        let entry: SignedEntry = precert
            ? .precert(issuerKeyHash: verified.issuerKeyHash ?? [], tbsCertificate: verified.precertificateTBS ?? [])
            : .x509(certificate: verified.leaf.der)
        let endorsements = try endorsement.map { try JSONDecoder().decode(SignedEndorsement.self, from: Data(CLIFiles.text($0).utf8)) }
        let sct: SignedCertificateTimestamp
        switch try await EndorsementClient(url: log).submit(certificates.map(\.der), precertificate: precert, endorsements: endorsements) {
        case .logged(let logged):
            sct = logged
        case .pending(let request):
            // An OV, IV or EV certificate without (enough) endorsements: the log waits for endorsers.
            print(#"{"request_id": "\#(request.requestID)", "state": "\#(request.state)", "level": "\#(request.level)"}"#)
            FileHandle.standardError.write(Data("pending: the log waits for endorsements; endorsers run `vigil endorse --request \(request.requestID)`\n".utf8))
            return
        }
        if let expected = client.expectedLogID, sct.logID != expected {
            throw LogClientError(.badSignature, "SCT names log \(Hex.encode(sct.logID)), want \(Hex.encode(expected))")
        }
        if let publicKey, !sct.verify(entry: entry, key: publicKey) {
            throw LogClientError(.badSignature, "the SCT signature does not verify with the log's key")
        }
        let response = AddChainResponse(sct: sct)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(response), as: UTF8.self))

        // The SCT promises the entry is already in the tree: prove it.
        let leaf = MerkleTreeLeaf(entry: TimestampedEntry(timestamp: sct.timestamp, entry: entry, extensions: sct.extensions))
        let sth = try await client.signedTreeHead()
        let index = try await client.verifyInclusion(leafHash: leaf.leafHash, in: sth)
        var checks = ["included at index \(index) of tree size \(sth.head.treeSize)"]
        if publicKey != nil { checks.insert("SCT and tree head signatures verified", at: 0) }
        FileHandle.standardError.write(Data("verified: \(checks.joined(separator: "; "))\n".utf8))
    }
}
