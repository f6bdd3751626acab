/// The `extra_data` of a get-entries entry (RFC 6962 section 4.6): the chain that was
/// submitted with the entry, as the log stores it beside the Merkle tree leaf.
///
/// For an x509 entry: `ASN.1Cert certificate_chain<0..2^24-1>` (issuers up to a root).
/// For a precert entry: `PrecertChainEntry { ASN.1Cert pre_certificate;
/// ASN.1Cert precertificate_chain<0..2^24-1>; }` (RFC 6962 section 3.1).
/// Every `ASN.1Cert` is `opaque<1..2^24-1>`.
public enum ExtraData {
    /// Encodes an x509 entry's chain. Precondition: each certificate is 1..2^24-1 bytes
    /// and the encoded chain stays below 2^24 bytes.
    public static func x509(chain: [[UInt8]]) -> [UInt8] {
        var writer = TLSWriter(capacity: 3 + chain.reduce(0) { $0 + 3 + $1.count })
        writeChain(chain, into: &writer)
        return writer.bytes
    }

    /// Encodes a precert entry's PrecertChainEntry. Preconditions as for `x509(chain:)`.
    public static func precert(preCertificate: [UInt8], chain: [[UInt8]]) -> [UInt8] {
        var writer = TLSWriter(capacity: 6 + preCertificate.count + chain.reduce(0) { $0 + 3 + $1.count })
        writeCertificate(preCertificate, into: &writer)
        writeChain(chain, into: &writer)
        return writer.bytes
    }

    /// Parses an x509 entry's `certificate_chain`; trailing bytes throw.
    public static func parseX509(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var reader = TLSReader(bytes)
        let chain = try readChain(&reader)
        try reader.expectEnd(of: "certificate_chain")
        return chain
    }

    /// Parses a precert entry's PrecertChainEntry; trailing bytes throw.
    public static func parsePrecert(_ bytes: [UInt8]) throws -> (preCertificate: [UInt8], chain: [[UInt8]]) {
        var reader = TLSReader(bytes)
        let preCertificate = try reader.readVector(lengthBytes: 3, minimum: 1, field: "pre_certificate")
        let chain = try readChain(&reader)
        try reader.expectEnd(of: "PrecertChainEntry")
        return (preCertificate, chain)
    }

    private static func writeCertificate(_ certificate: [UInt8], into writer: inout TLSWriter) {
        precondition(!certificate.isEmpty, "empty ASN.1Cert")
        writer.writeVector(certificate, lengthBytes: 3)
    }

    private static func writeChain(_ chain: [[UInt8]], into writer: inout TLSWriter) {
        var inner = TLSWriter(capacity: chain.reduce(0) { $0 + 3 + $1.count })
        for certificate in chain {
            writeCertificate(certificate, into: &inner)
        }
        writer.writeVector(inner.bytes, lengthBytes: 3)
    }

    private static func readChain(_ reader: inout TLSReader) throws -> [[UInt8]] {
        var chainReader = TLSReader(try reader.readVector(lengthBytes: 3, field: "certificate chain"))
        var chain: [[UInt8]] = []
        while !chainReader.isAtEnd {
            chain.append(try chainReader.readVector(lengthBytes: 3, minimum: 1, field: "chain[\(chain.count)]"))
        }
        return chain
    }
}
