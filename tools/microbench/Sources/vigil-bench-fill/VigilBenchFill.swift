import ArgumentParser
import Foundation
import LogCore
import LogFormat
import NIOPosix
import PKI

/// `vigil-bench-fill`: writes a valid N-entry log straight into the LevelDB store of a data folder,
/// so that `vigil-log serve --data DIR --key KEY.pem` serves it and `vigil-log check --data DIR` passes.
@main
struct VigilBenchFill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-bench-fill",
        abstract: "Fill a log data folder with synthetic x509 entries for read-path load tests.",
        discussion: """
            Entries are fake ~800-byte certificates (deterministic from the index, not parseable X.509) \
            issued by one fake issuer, stored as the sequencer stores real ones. A folder that already \
            holds a log of the same key is continued up to --entries.
            """)

    @Option(help: "The log's data folder; the store is DIR/leveldb.")
    var data: String

    @Option(help: "The log's private key (PEM), the one vigil-log serve will be given.")
    var key: String

    @Option(help: "The tree size to reach.")
    var entries: UInt64

    @Option(help: "Entries per committed batch.")
    var batch: Int = 4096

    @Option(name: .customLong("hashes-out"), help: "Write a sample of the new leaf hashes here, base64, one per line.")
    var hashesOut: String?

    @Option(name: .customLong("sample-size"), help: "At most this many hashes in --hashes-out, evenly spread.")
    var sampleSize: Int = 100_000

    @Option(help: "Store this checkpoint origin (vigil-log serve sets its own on open anyway).")
    var origin: String?

    @Flag(help: "Afterwards, reopen the store and check head, tiles, proofs and that Log.open accepts it.")
    var verify = false

    @Flag(help: "With --verify, also walk every entry as `vigil-log check` does.")
    var check = false

    func run() async throws {
        guard (1...1_000_000).contains(batch) else {
            throw FillError(.invalidArgument, "--batch \(batch): want 1 to 1,000,000")
        }
        guard entries <= CTExtensions.maxLeafIndex + 1 else {
            throw FillError(.invalidArgument, "--entries \(entries): the leaf_index extension holds at most 2^40 entries")
        }
        guard sampleSize > 0 else { throw FillError(.invalidArgument, "--sample-size \(sampleSize): want at least 1") }
        let signingKey = try Self.readKey(key)
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        do {
            try await fill(signingKey, threadPool: threadPool)
            if verify {
                let summary = try await FillStore.withStore(dataPath: data, create: false, threadPool: threadPool) { storage in
                    try await FillVerifier(storage: storage, key: signingKey).verify(fullCheck: check)
                }
                print("verified: \(summary)")
            }
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
        try await threadPool.shutdownGracefully()
    }

    private func fill(_ signingKey: SigningKey, threadPool: NIOThreadPool) async throws {
        let (report, sample) = try await FillStore.withStore(dataPath: data, create: true, threadPool: threadPool) { storage in
            if let origin { try await storage.setMetadata(FillStore.originMetadata, Array(origin.utf8)) }
            let startSize = try await storage.treeHead()?.treeSize ?? 0
            var sample = hashesOut == nil ? nil
                : HashSample(first: startSize, count: entries > startSize ? entries - startSize : 0, limit: sampleSize)
            let filler = LogFiller(storage: storage, key: signingKey, batchSize: batch, clock: .system)
            let progress = FillProgress(start: startSize, target: entries)
            let report = try await filler.fill(to: entries, sample: &sample) { progress.report($0) }
            return (report, sample)
        }
        if let hashesOut, let sample {
            try sample.write(to: hashesOut)
            print("wrote \(sample.hashes.count) leaf hashes (one in \(sample.stride) new entries) to \(hashesOut)")
        }
        let seconds = Double(report.elapsed.components.seconds) + Double(report.elapsed.components.attoseconds) / 1e18
        print("filled \(FillStore.storePath(dataPath: data)): tree size \(report.startSize) -> \(report.endSize), "
              + "\(report.entriesWritten) entries in \(report.batches) batches, "
              + String(format: "%.2f s, %.0f entries/s", seconds, report.entriesPerSecond))
    }

    private static func readKey(_ path: String) throws -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FillError(.invalidKey, "cannot read the key file \(path)")
        }
        do {
            return try SigningKey(pem: String(decoding: data, as: UTF8.self))
        } catch {
            throw FillError(.invalidKey, "\(path) holds no usable signing key: \(error)")
        }
    }
}
