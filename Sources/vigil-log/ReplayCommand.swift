import ArgumentParser
import Endorsement
import LogCore
import LogFormat
import LogStorage
import PKI

/// `vigil-log replay`: re-derives every endorsement decision of a stopped log from its two trees.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a stopped log's endorsement decisions from its certificate tree and ledger; exit 1 on any violation.")

    @Option(help: "Directory holding the log's LevelDB store.")
    var data: String

    func run() async throws {
        let report = try await StoppedLog.withStore(data: data) { storage, _ in
            guard let spki = try await storage.metadata("public-key") else { throw ValidationError("--data \(data): no log here") }
            let logID = SHA256.hash(spki)
            let size = try await storage.treeHead()?.treeSize ?? 0
            var certificates: [Replay.CertificateEntry] = []
            var start: UInt64 = 0
            while start < size {
                let chunk = try await storage.entries(from: start, count: Int(min(4096, size - start)))
                let leaves = try chunk.map { try TileLeaf(parsing: $0) }
                let firstIssuers = Array(Set(leaves.compactMap(\.chainFingerprints.first)))
                let issuers = try await storage.issuers(firstIssuers)
                for (offset, leaf) in leaves.enumerated() {
                    var issuerKeyHash: [UInt8]?
                    switch leaf.entry.entry {
                    case .precert(let hash, _): issuerKeyHash = hash
                    case .x509:
                        issuerKeyHash = try leaf.chainFingerprints.first.flatMap { issuers[$0] }.map { SHA256.hash(try Certificate(der: $0).spkiDER) }
                    }
                    certificates.append(Replay.CertificateEntry(index: start + UInt64(offset), entry: leaf.entry, issuerKeyHash: issuerKeyHash))
                }
                start += UInt64(chunk.count)
                guard !chunk.isEmpty else { break }
            }
            let ledgerSize = try await storage.ledgerHead()?.treeSize ?? 0
            var ledger: [[UInt8]] = []
            while UInt64(ledger.count) < ledgerSize {
                let chunk = try await storage.ledgerEntries(from: UInt64(ledger.count), count: Int(min(4096, ledgerSize - UInt64(ledger.count))))
                guard !chunk.isEmpty else { break }
                ledger += chunk
            }
            return Replay(logID: logID).run(certificates: certificates, ledger: ledger)
        }
        print("replayed \(report.certificatesChecked) certificate entries, \(report.endorsedCertificates) endorsed, \(report.contracts) contract version(s)")
        for violation in report.violations { print("violation: \(violation)") }
        guard report.isClean else { throw ExitCode(1) }
        print("no violations")
    }
}
