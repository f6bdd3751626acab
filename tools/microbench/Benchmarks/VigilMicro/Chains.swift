import Benchmark
import PKI

/// The parsed chain and a verifier that accepts its root.
struct ChainFixture: Sendable {
    let raw: OpenSSLChain
    let chain: [Certificate]
    let verifier: ChainVerifier

    init() throws {
        raw = try OpenSSLChain()
        chain = [try Certificate(der: raw.leafDER), try Certificate(der: raw.intermediateDER)]
        verifier = ChainVerifier(roots: [try Certificate(der: raw.rootDER)])
    }
}

/// Chain verification: one operation checks a submitted leaf + intermediate against the accepted
/// root (two ECDSA P-256 signature checks and the RFC 6962 chain rules), or parses a certificate.
func chainBenchmarks() {
    Benchmark("ChainVerifier.verify (leaf+intermediate, P-256)", configuration: MicroMetrics.slow()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try fixture.verifier.verify(fixture.chain, as: .certificate))
            } catch {
                benchmark.error("verify: \(error)")
            }
        }
    } setup: {
        try ChainFixture()
    }

    Benchmark("Certificate(der:) (leaf)", configuration: MicroMetrics.slow()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try Certificate(der: fixture.raw.leafDER))
            } catch {
                benchmark.error("parse: \(error)")
            }
        }
    } setup: {
        try ChainFixture()
    }

    // What every submission reads to place its leaf as DV, OV or EV: the policy OIDs and the
    // subject's attribute types, each in dotted form.
    Benchmark("Certificate.profile (leaf)", configuration: MicroMetrics.slow()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            do {
                blackHole(try fixture.chain[0].profile())
            } catch {
                benchmark.error("profile: \(error)")
            }
        }
    } setup: {
        try ChainFixture()
    }
}
