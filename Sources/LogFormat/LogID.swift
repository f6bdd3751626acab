import PKI

/// RFC 6962 section 3.2: a log's ID is the SHA-256 hash of its public key,
/// DER-encoded as a SubjectPublicKeyInfo.
public enum LogID {
    public static func of(_ key: VerifyingKey) -> [UInt8] {
        SHA256.hash(key.spkiDER)
    }
}
