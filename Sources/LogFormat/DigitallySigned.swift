/// RFC 5246 section 7.4.1.4.1 HashAlgorithm, as RFC 6962 section 2.1.4 restricts it.
public enum HashAlgorithm: UInt8, Sendable {
    case sha256 = 4
    /// RFC 8446 section 4.2.3: the hash byte of the ed25519 SignatureScheme (0x0807),
    /// which hashes internally. Not part of RFC 6962.
    case intrinsic = 8
}

/// RFC 5246 section 7.4.1.4.1 SignatureAlgorithm, plus RFC 8446's ed25519 byte.
public enum SignatureAlgorithm: UInt8, Sendable {
    case rsa = 1
    case ecdsa = 3
    /// RFC 8446 section 4.2.3: the low byte of SignatureScheme ed25519 (0x0807).
    case ed25519 = 7
}

/// RFC 5246 section 4.7 `digitally-signed` as RFC 6962 sections 3.2 and 3.5 use it:
/// `{ HashAlgorithm hash; SignatureAlgorithm signature; opaque signature<0..2^16-1>; }`.
///
/// The algorithm bytes are kept raw so a structure with unknown algorithms still
/// round-trips; verification rejects what it does not support.
public struct DigitallySigned: Sendable, Hashable {
    public var hashAlgorithm: UInt8
    public var signatureAlgorithm: UInt8
    /// The signature: DER `ECDSA-Sig-Value` for ECDSA, PKCS #1 v1.5 for RSA.
    public var signature: [UInt8]

    public init(hashAlgorithm: UInt8, signatureAlgorithm: UInt8, signature: [UInt8]) {
        self.hashAlgorithm = hashAlgorithm
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
    }

    public init(hashAlgorithm: HashAlgorithm, signatureAlgorithm: SignatureAlgorithm, signature: [UInt8]) {
        self.init(hashAlgorithm: hashAlgorithm.rawValue, signatureAlgorithm: signatureAlgorithm.rawValue,
                  signature: signature)
    }

    /// Appends the TLS encoding. Precondition: the signature is below 2^16 bytes.
    public func encode(into writer: inout TLSWriter) {
        writer.writeInteger(hashAlgorithm)
        writer.writeInteger(signatureAlgorithm)
        writer.writeVector(signature, lengthBytes: 2)
    }

    /// The TLS encoding, as in `tree_head_signature` and the SCT `signature` of RFC 6962 section 4.
    public var encoded: [UInt8] {
        var writer = TLSWriter(capacity: 4 + signature.count)
        encode(into: &writer)
        return writer.bytes
    }

    /// Reads one DigitallySigned; the reader may hold more after it.
    public init(reader: inout TLSReader) throws {
        hashAlgorithm = try reader.readInteger(UInt8.self, field: "hash algorithm")
        signatureAlgorithm = try reader.readInteger(UInt8.self, field: "signature algorithm")
        signature = try reader.readVector(lengthBytes: 2, field: "signature")
    }

    /// Parses exactly one DigitallySigned; trailing bytes throw.
    public init(parsing bytes: [UInt8]) throws {
        var reader = TLSReader(bytes)
        try self.init(reader: &reader)
        try reader.expectEnd(of: "DigitallySigned")
    }
}
