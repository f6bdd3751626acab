import Foundation
@testable import LogFormat
import Merkle
import Testing
import TestSupport

@Suite struct TileLeafTests {
    static let fingerprints = [Array(repeating: UInt8(0x01), count: 32), Array(repeating: UInt8(0x02), count: 32)]

    static let x509 = TileLeaf(
        entry: TimestampedEntry(timestamp: 7, entry: .x509(certificate: [0x30, 0x00]),
                                extensions: CTExtensions(leafIndex: 3).encoded),
        preCertificate: nil, chainFingerprints: fingerprints)
    static let precert = TileLeaf(
        entry: TimestampedEntry(timestamp: 8, entry: .precert(issuerKeyHash: Array(repeating: 0x33, count: 32),
                                                              tbsCertificate: [0x30, 0x01, 0x00])),
        preCertificate: [0x30, 0x02, 0x05, 0x00], chainFingerprints: [fingerprints[0]])

    @Test func x509Layout() {
        let want = "0000000000000007" + "0000" + "0000023000" + "0008" + "0000050000000003"
            + "0040" + String(repeating: "01", count: 32) + String(repeating: "02", count: 32)
        #expect(Fixtures.hexString(Self.x509.encoded) == want)
    }

    @Test func precertLayoutCarriesThePreCertificate() {
        let want = "0000000000000008" + "0001" + String(repeating: "33", count: 32) + "000003300100" + "0000"
            + "00000430020500" + "0020" + String(repeating: "01", count: 32)
        #expect(Fixtures.hexString(Self.precert.encoded) == want)
    }

    @Test(arguments: [x509, precert]) func roundTripsAndThrowsOnTruncation(_ leaf: TileLeaf) throws {
        #expect(try TileLeaf(parsing: leaf.encoded) == leaf)
        Fixtures.expectEveryPrefixThrows(leaf.encoded) { _ = try TileLeaf(parsing: $0) }
        #expect(throws: FormatError(.trailingData, "")) { try TileLeaf(parsing: leaf.encoded + [0]) }
        #expect(leaf.merkleTreeLeaf == MerkleTreeLeaf(entry: leaf.entry))
    }

    @Test func parseAllSplitsConcatenatedLeaves() throws {
        let tile = Self.x509.encoded + Self.precert.encoded + Self.x509.encoded
        #expect(try TileLeaf.parseAll(tile) == [Self.x509, Self.precert, Self.x509])
        #expect(try TileLeaf.parseAll([]) == [])
        let error = try #require(throws: FormatError.self) { try TileLeaf.parseAll(tile.dropLast()) }
        #expect(error.message.hasPrefix("data tile entry 2: "))
    }

    @Test func partialFingerprintThrows() {
        var bytes = Self.x509.encoded
        bytes.removeLast()
        bytes[bytes.count - 64] = 0x3f  // certificate_chain length 63: not a multiple of 32
        #expect(throws: FormatError(.invalidLength, "")) { try TileLeaf(parsing: bytes) }
    }

    /// Real data tiles from a production static-ct-api log: every entry parses, re-encodes
    /// byte-exactly, carries its own index in leaf_index, and hashes to the level-0 tile.
    @Test(arguments: [("000", 0), ("001", 256), ("002", 512), ("003", 768), ("003.p/10", 768)])
    func realDataTilesMatchTheirHashTiles(_ name: String, _ firstIndex: UInt64) throws {
        guard let folder = Vectors.folder("static-ct/navigli2025h2") else { return }
        let data = try Vectors.bytes(folder, "tile/data/\(name)")
        let hashes = try Vectors.bytes(folder, "tile/0/\(name)")
        let leaves = try TileLeaf.parseAll(data)
        #expect(leaves.count * 32 == hashes.count)
        #expect(leaves.flatMap(\.encoded) == data)
        for (offset, leaf) in leaves.enumerated() {
            #expect(try CTExtensions(parsing: leaf.entry.extensions).leafIndex == firstIndex + UInt64(offset))
            #expect(leaf.merkleTreeLeaf.leafHash.bytes == Array(hashes[offset * 32 ..< offset * 32 + 32]))
            #expect(leaf.preCertificate == nil || leaf.entry.entry.entryType == .precert)
        }
        #expect(leaves.contains { $0.entry.entry.entryType == .precert })
    }
}
