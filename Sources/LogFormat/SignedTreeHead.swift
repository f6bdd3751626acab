/// A TreeHead with the log's signature over its `signatureInput` (RFC 6962 section 3.5).
public struct SignedTreeHead: Sendable, Hashable {
    public var head: TreeHead
    public var signature: DigitallySigned

    public init(head: TreeHead, signature: DigitallySigned) {
        self.head = head
        self.signature = signature
    }
}
