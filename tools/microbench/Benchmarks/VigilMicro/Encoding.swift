import Benchmark
import Foundation
import LogFormat
import Merkle
import PKI

/// What the encoders take: a ~1 KB TileLeaf, an SCT and a tree head, both signed once at setup,
/// and a JSON encoder set up as LogHTTP's `JSONBody` is.
struct EncodingFixture: Sendable {
    let sample: SampleEntry
    let tileLeafBytes: [UInt8]
    let sct: SignedCertificateTimestamp
    let sth: SignedTreeHead
    let json: JSONEncoder

    init() throws {
        let signing = try SigningFixture()
        sample = signing.sample
        tileLeafBytes = sample.tileLeaf.encoded
        sct = try SignedCertificateTimestamp.sign(entry: sample.entry, timestamp: SampleEntry.timestamp,
                                                  extensions: sample.extensions, key: signing.key, logID: signing.logID)
        sth = try SignedTreeHead.sign(signing.head, key: signing.key)
        json = JSONEncoder()
        json.outputFormatting = [.withoutEscapingSlashes]
    }
}

/// TLS and JSON encoding: one operation is one encoding (or decoding) of one structure.
func encodingBenchmarks() {
    Benchmark("TileLeaf.encoded (1 KB cert)", configuration: MicroMetrics.fast()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            blackHole(fixture.sample.tileLeaf.encoded)
        }
    } setup: {
        try EncodingFixture()
    }

    Benchmark("TileLeaf(parsing:) (1 KB cert)", configuration: MicroMetrics.fast()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try TileLeaf(parsing: fixture.tileLeafBytes))
            } catch {
                benchmark.error("parse: \(error)")
            }
        }
    } setup: {
        try EncodingFixture()
    }

    Benchmark("SignedCertificateTimestamp.encoded", configuration: MicroMetrics.fast()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            blackHole(fixture.sct.encoded)
        }
    } setup: {
        try EncodingFixture()
    }

    Benchmark("TLSWriter TimestampedEntry (1 KB cert)", configuration: MicroMetrics.fast()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            var writer = TLSWriter(capacity: 1_100)
            fixture.sample.timestamped.encode(into: &writer)
            blackHole(writer.bytes)
        }
    } setup: {
        try EncodingFixture()
    }

    Benchmark("JSON add-chain response (AddChainResponse)", configuration: MicroMetrics.fast(maxIterations: 500)) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try fixture.json.encode(AddChainResponse(sct: fixture.sct)))
            } catch {
                benchmark.error("encode: \(error)")
            }
        }
    } setup: {
        try EncodingFixture()
    }

    Benchmark("JSON get-sth response (GetSTHResponse)", configuration: MicroMetrics.fast(maxIterations: 500)) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try fixture.json.encode(GetSTHResponse(sth: fixture.sth)))
            } catch {
                benchmark.error("encode: \(error)")
            }
        }
    } setup: {
        try EncodingFixture()
    }

    Benchmark("JSONWriter add-chain response (AddChainResponse)", configuration: MicroMetrics.fast(maxIterations: 500)) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            blackHole(AddChainResponse(sct: fixture.sct).jsonBytes())
        }
    } setup: {
        try EncodingFixture()
    }

    Benchmark("JSONWriter get-sth response (GetSTHResponse)", configuration: MicroMetrics.fast(maxIterations: 500)) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            blackHole(GetSTHResponse(sth: fixture.sth).jsonBytes())
        }
    } setup: {
        try EncodingFixture()
    }

    Benchmark("add-chain body, 2 certificates: JSONDecoder + base64", configuration: MicroMetrics.fast(maxIterations: 500)) { benchmark, body in
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try JSONDecoder().decode(AddChainRequest.self, from: Data(body)).decodedChain())
            } catch {
                benchmark.error("decode: \(error)")
            }
        }
    } setup: {
        EncodingFixture.addChainBody()
    }

    Benchmark("add-chain body, 2 certificates: PlainChainBody", configuration: MicroMetrics.fast(maxIterations: 500)) { benchmark, body in
        for _ in benchmark.scaledIterations {
            blackHole(body.withUnsafeBytes(PlainChainBody.chain))
        }
    } setup: {
        EncodingFixture.addChainBody()
    }
}

extension EncodingFixture {
    /// An add-chain body as a submitter sends it: the 1 KB sample certificate and a 900-byte issuer.
    static func addChainBody() -> [UInt8] {
        var random = DeterministicBytes(seed: 2)
        let chain = [SampleEntry().certificate, random.bytes(900)]
        return Array(#"{"chain":["#.utf8) + Array(chain.map { "\"\(Data($0).base64EncodedString())\"" }.joined(separator: ",").utf8)
            + Array("]}".utf8)
    }
}
