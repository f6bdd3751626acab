/// Appends RFC 8446-style TLS presentation-language encodings (big-endian
/// integers, length-prefixed opaque vectors) as RFC 6962 uses them.
public struct TLSWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends the low `byteCount` bytes of `value`, big-endian.
    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T, byteCount: Int = MemoryLayout<T>.size) {
        precondition(byteCount <= MemoryLayout<T>.size, "integer of \(byteCount) bytes does not fit \(T.self)")
        precondition(byteCount == MemoryLayout<T>.size || value >> (byteCount * 8) == 0,
                     "value \(value) does not fit in \(byteCount) bytes")
        for shift in stride(from: (byteCount - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    /// Appends raw bytes with no length prefix (fixed-size fields).
    public mutating func writeBytes(_ data: [UInt8]) {
        bytes.append(contentsOf: data)
    }

    /// Appends `data` behind a big-endian length prefix of `lengthBytes` bytes (an opaque vector).
    /// Precondition: the length fits in the prefix; callers check limits on untrusted data first.
    public mutating func writeVector(_ data: [UInt8], lengthBytes: Int) {
        precondition(data.count < 1 << (lengthBytes * 8), "vector of \(data.count) bytes too long for \(lengthBytes)-byte length")
        writeInteger(UInt64(data.count), byteCount: lengthBytes)
        bytes.append(contentsOf: data)
    }
}
