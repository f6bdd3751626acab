import PKI

extension SignedCertificateTimestamp {
    /// Whether this SCT is `key`'s signature over `entry` (RFC 6962 section 3.2): the log ID
    /// is `key`'s, the algorithm bytes match the key, and the signature verifies over the
    /// signature input built from `entry` and this SCT's timestamp and extensions.
    public func verify(entry: SignedEntry, key: VerifyingKey) -> Bool {
        logID == LogID.of(key) && signature.verify(signatureInput(for: entry), with: key)
    }

    /// Issues an SCT for `entry`. `logID` is `LogID.of(key.publicKey)`, passed in so the
    /// caller computes it once. Precondition: `logID` is 32 bytes.
    public static func sign(entry: SignedEntry, timestamp: UInt64, extensions: [UInt8], key: SigningKey,
                            logID: [UInt8]) throws -> SignedCertificateTimestamp {
        precondition(logID.count == logIDLength, "log ID of \(logID.count) bytes, want 32")
        let input = signatureInput(timestamp: timestamp, entry: entry, extensions: extensions)
        return SignedCertificateTimestamp(logID: logID, timestamp: timestamp, extensions: extensions,
                                          signature: try DigitallySigned.sign(input, with: key))
    }
}
