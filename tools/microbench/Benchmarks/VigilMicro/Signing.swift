import Benchmark
import LogFormat
import Merkle
import PKI

/// A log key and what it signs.
struct SigningFixture: Sendable {
    let key: SigningKey
    let logID: [UInt8]
    let sample: SampleEntry
    let head: TreeHead

    init(ed25519: Bool = false) throws {
        key = try ed25519 ? SigningKey.generateEd25519() : SigningKey.generateP256()
        logID = LogID.of(key.publicKey)
        sample = SampleEntry()
        head = TreeHead(treeSize: 10_000_000, timestamp: SampleEntry.timestamp, rootHash: Hash.leaf([7]))
    }
}

/// SCT and tree head signing: one operation is one signature, as `Log.signSCT` and
/// `Sequencer.signedHead` make them.
func signingBenchmarks() {
    for (name, ed25519) in [("P-256", false), ("Ed25519", true)] {
        Benchmark("SignedCertificateTimestamp.sign (\(name))", configuration: MicroMetrics.slow()) { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                do {
                    blackHole(try SignedCertificateTimestamp.sign(
                        entry: fixture.sample.entry, timestamp: SampleEntry.timestamp,
                        extensions: CTExtensions(leafIndex: SampleEntry.index).encoded, key: fixture.key, logID: fixture.logID))
                } catch {
                    benchmark.error("signing: \(error)")
                }
            }
        } setup: {
            try SigningFixture(ed25519: ed25519)
        }
    }

    Benchmark("SignedTreeHead.sign (P-256)", configuration: MicroMetrics.slow()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try SignedTreeHead.sign(fixture.head, key: fixture.key).signature.encoded)
            } catch {
                benchmark.error("signing: \(error)")
            }
        }
    } setup: {
        try SigningFixture()
    }
}
