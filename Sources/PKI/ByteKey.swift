/// Bytes as a dictionary key, hashed in one call over the whole buffer.
///
/// `[UInt8]`'s own `hash(into:)` feeds the hasher one element at a time, which for keys of
/// certificate DER (hundreds of bytes, looked up on every submission) costs more than the
/// rest of the lookup.
public struct ByteKey: Hashable, Sendable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
