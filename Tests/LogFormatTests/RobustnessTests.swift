@testable import LogFormat
import Testing
import TestSupport

/// Parsers meet arbitrary bytes without trapping: every outcome is a value or a FormatError.
@Suite struct RobustnessTests {
    /// A small deterministic generator (xorshift64*), so failures reproduce.
    struct Xorshift: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 0x2545_f491_4f6c_dd1d
        }
    }

    /// Runs every parser on `bytes`; only FormatError may escape.
    static func parseEverything(_ bytes: [UInt8]) {
        let parsers: [([UInt8]) throws -> Void] = [
            { _ = try SignedCertificateTimestamp(parsing: $0) },
            { _ = try MerkleTreeLeaf(parsing: $0) },
            { _ = try DigitallySigned(parsing: $0) },
            { _ = try CTExtensions(parsing: $0) },
            { _ = try ExtraData.parseX509($0) },
            { _ = try ExtraData.parsePrecert($0) },
            { _ = try TileLeaf.parseAll($0) },
        ]
        for parse in parsers {
            do {
                try parse(bytes)
            } catch is FormatError {
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func randomBytes() {
        var random = Xorshift(state: 0x9e37_79b9_7f4a_7c15)
        for _ in 0 ..< 2000 {
            let count = Int.random(in: 0 ... 64, using: &random)
            Self.parseEverything((0 ..< count).map { _ in UInt8.random(in: 0 ... 255, using: &random) })
        }
    }

    @Test func mutatedRealInputs() throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        let proof = try Vectors.bytes(folder, "test-embedded-pre-cert.proof")
        let leaf = MerkleTreeLeaf(entry: TimestampedEntry(
            timestamp: 1, entry: .precert(issuerKeyHash: Array(repeating: 7, count: 32), tbsCertificate: [0x30, 0x00]),
            extensions: CTExtensions(leafIndex: 1).encoded)).encoded
        let chain = ExtraData.precert(preCertificate: [0x30, 0x00], chain: [[0x30, 0x01, 0x00]])
        var random = Xorshift(state: 42)
        for original in [proof, leaf, chain] {
            for _ in 0 ..< 500 {
                var bytes = original
                for _ in 0 ..< Int.random(in: 1 ... 3, using: &random) {
                    bytes[Int.random(in: 0 ..< bytes.count, using: &random)] = UInt8.random(in: 0 ... 255, using: &random)
                }
                Self.parseEverything(bytes)
            }
        }
    }
}
