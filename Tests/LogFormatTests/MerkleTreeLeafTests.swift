import Foundation
@testable import LogFormat
import Merkle
import Testing
import TestSupport

@Suite struct MerkleTreeLeafTests {
    static let x509Entry = TimestampedEntry(
        timestamp: 0x0102_0304_0506_0708, entry: .x509(certificate: [0x30, 0x03, 0x02, 0x01, 0x07]),
        extensions: CTExtensions(leafIndex: 5).encoded)
    static let precertEntry = TimestampedEntry(
        timestamp: 42, entry: .precert(issuerKeyHash: Array(repeating: 0x11, count: 32), tbsCertificate: [0x30, 0x00]))

    @Test func x509LeafHasTheRFC6962Layout() {
        let leaf = MerkleTreeLeaf(entry: Self.x509Entry)
        let want = "0000" + "0102030405060708" + "0000" + "000005" + "3003020107" + "0008" + "0000050000000005"
        #expect(Fixtures.hexString(leaf.encoded) == want)
        #expect(leaf.leafHash == Hash.leaf(Fixtures.hex(want)))
    }

    @Test func precertLeafHasTheRFC6962Layout() {
        let leaf = MerkleTreeLeaf(entry: Self.precertEntry)
        let want = "0000" + "000000000000002a" + "0001" + String(repeating: "11", count: 32) + "000002" + "3000" + "0000"
        #expect(Fixtures.hexString(leaf.encoded) == want)
    }

    @Test(arguments: [x509Entry, precertEntry]) func roundTrips(_ entry: TimestampedEntry) throws {
        let leaf = MerkleTreeLeaf(entry: entry)
        let parsed = try MerkleTreeLeaf(parsing: leaf.encoded)
        #expect(parsed == leaf)
        #expect(parsed.entry == entry)
        #expect(parsed.leafHash == leaf.leafHash)
        var reader = TLSReader(entry.encoded)
        #expect(try TimestampedEntry(reader: &reader) == entry)
        #expect(reader.isAtEnd)
    }

    @Test(arguments: [x509Entry, precertEntry]) func truncatedAndOverlongInputsThrow(_ entry: TimestampedEntry) {
        let bytes = MerkleTreeLeaf(entry: entry).encoded
        Fixtures.expectEveryPrefixThrows(bytes) { _ = try MerkleTreeLeaf(parsing: $0) }
        #expect(throws: FormatError(.trailingData, "")) { try MerkleTreeLeaf(parsing: bytes + [0]) }
    }

    @Test func unknownVersionLeafTypeAndEntryTypeThrow() {
        let bytes = MerkleTreeLeaf(entry: Self.x509Entry).encoded
        var version = bytes
        version[0] = 1
        #expect(throws: FormatError(.unsupportedVersion, "")) { try MerkleTreeLeaf(parsing: version) }
        var leafType = bytes
        leafType[1] = 1
        #expect(throws: FormatError(.unknownType, "")) { try MerkleTreeLeaf(parsing: leafType) }
        var entryType = bytes
        entryType[11] = 2
        #expect(throws: FormatError(.unknownType, "")) { try MerkleTreeLeaf(parsing: entryType) }
    }

    @Test func emptyCertificateIsRejected() {
        let bytes = Fixtures.hex("0000" + "0000000000000001" + "0000" + "000000" + "0000")
        #expect(throws: FormatError(.invalidLength, "")) { try MerkleTreeLeaf(parsing: bytes) }
    }

    @Test func changingTheEntryRecomputesEncodingAndHash() {
        var leaf = MerkleTreeLeaf(entry: Self.x509Entry)
        leaf.entry = Self.precertEntry
        #expect(leaf == MerkleTreeLeaf(entry: Self.precertEntry))
    }

    /// certificate-transparency-go ctutil TestLeafHash "cert": TestCertPEM with the
    /// timestamp and extensions of TestCertProof.
    @Test func reproducesCTGoCertificateLeafHash() throws {
        guard let ctgo = Vectors.folder("ctgo-testdata") else { return }
        let sct = try SignedCertificateTimestamp(parsing: try Fixtures.ctgoConstant(ctgo, "TestCertProof", hex: true))
        let certificate = try Fixtures.certificate(ctgo, "TestCertPEM.pem")
        let leaf = MerkleTreeLeaf(entry: TimestampedEntry(
            timestamp: sct.timestamp, entry: .x509(certificate: certificate), extensions: sct.extensions))
        #expect(leaf.leafHash.bytes == (try Fixtures.ctgoConstant(ctgo, "TestCertB64LeafHash", hex: false)))
    }
}
