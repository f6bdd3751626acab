import LogFormat
import Merkle
import PKI

/// A realistic x509 entry: a ~1 KB certificate (random bytes: nothing here parses it), sequenced at
/// index 123,456,789 with the static-ct-api leaf_index extension and a two-issuer chain.
struct SampleEntry: Sendable {
    static let certificateSize = 1_000
    static let index: UInt64 = 123_456_789
    static let timestamp: UInt64 = 1_767_225_600_000

    let certificate: [UInt8]
    let entry: SignedEntry
    let extensions: [UInt8]
    let timestamped: TimestampedEntry
    let tileLeaf: TileLeaf
    /// The MerkleTreeLeaf encoding: what `Hash.leaf` hashes.
    let leafInput: [UInt8]

    init() {
        var random = DeterministicBytes(seed: 1)
        certificate = random.bytes(Self.certificateSize)
        entry = .x509(certificate: certificate)
        extensions = CTExtensions(leafIndex: Self.index).encoded
        timestamped = TimestampedEntry(timestamp: Self.timestamp, entry: entry, extensions: extensions)
        tileLeaf = TileLeaf(entry: timestamped, preCertificate: nil,
                            chainFingerprints: [SHA256.hash(random.bytes(700)), SHA256.hash(random.bytes(900))])
        leafInput = tileLeaf.merkleTreeLeaf.encoded
    }
}
