import LogCore
import LogFormat
import Merkle
import PKI

/// The synthetic x509 entries of a filled log. Entry `i` is the same in every run: a fake
/// certificate of about 800 bytes made from `i` (it does not parse as X.509; the log never parses
/// a stored entry's certificate), issued by one fixed fake issuer whose fingerprint every
/// entry's chain names, and stored exactly as `Sequencer` stores a sequenced submission.
struct SyntheticEntries: Sendable {
    /// Bytes of every fake certificate.
    static let certificateSize = 800

    /// The fake issuer's DER bytes (deterministic, not a real certificate either).
    let issuerDER: [UInt8]
    /// SHA-256 of `issuerDER`: the one chain fingerprint of every entry.
    let issuerFingerprint: [UInt8]

    init() {
        var bytes = Self.fakeDER(length: 600, seed: 0xF1E1_D155_0E55_0000)
        bytes[7] = 0xCA   // make it unlike any entry's certificate
        issuerDER = bytes
        issuerFingerprint = SHA256.hash(bytes)
    }

    /// The fake certificate of entry `index`: a DER-looking SEQUENCE header, the index
    /// big-endian (so no two entries share bytes or a dedup key), then filler from a generator seeded by it.
    func certificate(index: UInt64) -> [UInt8] {
        var bytes = Self.fakeDER(length: Self.certificateSize, seed: index)
        for offset in 0..<8 { bytes[4 + offset] = UInt8(truncatingIfNeeded: index >> UInt64(56 - 8 * offset)) }
        return bytes
    }

    /// Entry `index` sequenced at `timestamp`, as `Sequencer.commit` builds it: the TileLeaf with
    /// the leaf_index extension, its RFC 6962 leaf hash and the dedup key of `Submission.dedupKey`.
    func entry(index: UInt64, timestamp: UInt64) -> SequencedEntry {
        let certificate = certificate(index: index)
        let tileLeaf = TileLeaf(
            entry: TimestampedEntry(timestamp: timestamp, entry: .x509(certificate: certificate),
                                    extensions: CTExtensions(leafIndex: index).encoded),
            preCertificate: nil,
            chainFingerprints: [issuerFingerprint])
        return SequencedEntry(index: index, leafHash: tileLeaf.merkleTreeLeaf.leafHash,
                              dedupKey: Submission.dedupKey(type: .x509, leafDER: certificate),
                              timestamp: timestamp, tileLeaf: tileLeaf.encoded)
    }

    /// `length` bytes behind a `30 82 LL LL` SEQUENCE header, filled by SplitMix64 from `seed`.
    private static func fakeDER(length: Int, seed: UInt64) -> [UInt8] {
        precondition(length > 4 && length - 4 <= Int(UInt16.max), "fake DER of \(length) bytes")
        var bytes = [UInt8](repeating: 0, count: length)
        bytes[0] = 0x30
        bytes[1] = 0x82
        bytes[2] = UInt8((length - 4) >> 8)
        bytes[3] = UInt8((length - 4) & 0xff)
        var state = seed
        var position = 4
        while position < length {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for shift in stride(from: 0, to: 64, by: 8) where position < length {
                bytes[position] = UInt8(truncatingIfNeeded: z >> UInt64(shift))
                position += 1
            }
        }
        return bytes
    }
}
