import PKI

extension SignedTreeHead {
    /// Whether `signature` is `key`'s signature over the TreeHeadSignature (RFC 6962
    /// section 3.5) and its algorithm bytes match the key.
    public func verify(key: VerifyingKey) -> Bool {
        signature.verify(head.signatureInput, with: key)
    }

    /// Signs `head` with the log's key.
    public static func sign(_ head: TreeHead, key: SigningKey) throws -> SignedTreeHead {
        SignedTreeHead(head: head, signature: try DigitallySigned.sign(head.signatureInput, with: key))
    }
}
