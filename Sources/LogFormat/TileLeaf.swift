import PKI

/// One entry of a static-ct-api data tile (c2sp.org/static-ct-api, "Log entries"),
/// which is also how the log stores an entry:
///
///     struct {
///         TimestampedEntry timestamped_entry;
///         select (entry_type) {
///             case x509_entry: Empty;
///             case precert_entry: ASN.1Cert pre_certificate;
///         };
///         Fingerprint certificate_chain<0..2^16-1>;   // opaque Fingerprint[32]
///     } TileLeaf;
public struct TileLeaf: Sendable, Hashable {
    public var entry: TimestampedEntry
    /// Precert entries only: the submitted precertificate, DER (RFC 6962 section 3.1
    /// `pre_certificate`, not the TBSCertificate in `entry`).
    public var preCertificate: [UInt8]?
    /// SHA-256 of each submitted issuer certificate, from the leaf's issuer to the root.
    public var chainFingerprints: [[UInt8]]

    /// Length of a `Fingerprint`.
    public static let fingerprintLength = SHA256.byteCount

    /// Preconditions: `preCertificate` is present exactly for precert entries, and every
    /// fingerprint is 32 bytes.
    public init(entry: TimestampedEntry, preCertificate: [UInt8]?, chainFingerprints: [[UInt8]]) {
        precondition((entry.entry.entryType == .precert) == (preCertificate != nil),
                     "pre_certificate must be present exactly for precert entries")
        precondition(chainFingerprints.allSatisfy { $0.count == Self.fingerprintLength }, "fingerprint not 32 bytes")
        self.entry = entry
        self.preCertificate = preCertificate
        self.chainFingerprints = chainFingerprints
    }

    /// The RFC 6962 Merkle tree leaf this entry commits to.
    public var merkleTreeLeaf: MerkleTreeLeaf { MerkleTreeLeaf(entry: entry) }

    /// Appends the TLS encoding. Precondition: the vectors fit their length prefixes.
    public func encode(into writer: inout TLSWriter) {
        precondition((entry.entry.entryType == .precert) == (preCertificate != nil),
                     "pre_certificate must be present exactly for precert entries")
        precondition(chainFingerprints.count * Self.fingerprintLength <= Int(UInt16.max),
                     "\(chainFingerprints.count) fingerprints overflow certificate_chain<0..2^16-1>")
        entry.encode(into: &writer)
        if let preCertificate {
            precondition(!preCertificate.isEmpty, "empty pre_certificate")
            writer.writeVector(preCertificate, lengthBytes: 3)
        }
        writer.writeInteger(UInt16(chainFingerprints.count * Self.fingerprintLength))
        for fingerprint in chainFingerprints {
            writer.writeBytes(fingerprint)
        }
    }

    public var encoded: [UInt8] {
        var writer = TLSWriter(capacity: entry.encodedCapacity + 3 + (preCertificate?.count ?? 0)
                                   + 2 + 32 * chainFingerprints.count)
        encode(into: &writer)
        return writer.bytes
    }

    /// Reads one TileLeaf; the reader may hold more after it.
    public init(reader: inout TLSReader) throws {
        entry = try TimestampedEntry(reader: &reader)
        switch entry.entry.entryType {
        case .x509: preCertificate = nil
        case .precert: preCertificate = try reader.readVector(lengthBytes: 3, minimum: 1, field: "pre_certificate")
        }
        let chain = try reader.readVector(lengthBytes: 2, field: "certificate_chain")
        guard chain.count % Self.fingerprintLength == 0 else {
            throw FormatError(.invalidLength, "certificate_chain of \(chain.count) bytes is not a whole number of 32-byte fingerprints")
        }
        chainFingerprints = stride(from: 0, to: chain.count, by: Self.fingerprintLength).map {
            Array(chain[$0 ..< $0 + Self.fingerprintLength])
        }
    }

    /// Parses exactly one TileLeaf; trailing bytes throw.
    public init(parsing bytes: [UInt8]) throws {
        var reader = TLSReader(bytes)
        try self.init(reader: &reader)
        try reader.expectEnd(of: "TileLeaf")
    }

    /// Parses a whole data tile: TileLeaf structures back to back, nothing else.
    public static func parseAll(_ dataTile: [UInt8]) throws -> [TileLeaf] {
        var reader = TLSReader(dataTile)
        var leaves: [TileLeaf] = []
        while !reader.isAtEnd {
            do {
                leaves.append(try TileLeaf(reader: &reader))
            } catch let error as FormatError {
                throw FormatError(error.code, "data tile entry \(leaves.count): \(error.message)")
            }
        }
        return leaves
    }
}
