/// Reads RFC 8446-style TLS presentation-language encodings (big-endian integers,
/// length-prefixed opaque vectors) from untrusted bytes, as RFC 6962 uses them.
///
/// Every read checks the remaining length first and throws `FormatError` instead
/// of trapping; `field` names the structure member in the error message.
public struct TLSReader: Sendable {
    private let bytes: [UInt8]
    /// Index of the next unread byte.
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
    }

    /// How many bytes are left to read.
    public var remaining: Int { bytes.count - offset }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// Reads a big-endian unsigned integer of `byteCount` bytes.
    public mutating func readInteger<T: FixedWidthInteger & UnsignedInteger>(
        _ type: T.Type = T.self, byteCount: Int = MemoryLayout<T>.size, field: String
    ) throws -> T {
        precondition(byteCount > 0 && byteCount <= MemoryLayout<T>.size, "\(byteCount)-byte integer does not fit \(T.self)")
        try need(byteCount, field: field)
        var value: T = 0
        for byte in bytes[offset ..< offset + byteCount] {
            value = value << 8 | T(byte)
        }
        offset += byteCount
        return value
    }

    /// Reads exactly `count` bytes (a fixed-size opaque field).
    public mutating func readBytes(_ count: Int, field: String) throws -> [UInt8] {
        precondition(count >= 0, "negative byte count \(count)")
        try need(count, field: field)
        let result = Array(bytes[offset ..< offset + count])
        offset += count
        return result
    }

    /// Reads an opaque vector behind a big-endian length prefix of `lengthBytes` bytes,
    /// such as `opaque field<minimum..2^(8*lengthBytes)-1>`.
    public mutating func readVector(lengthBytes: Int, minimum: Int = 0, field: String) throws -> [UInt8] {
        let length = try readInteger(UInt64.self, byteCount: lengthBytes, field: "\(field) length")
        guard length >= minimum else {
            throw FormatError(.invalidLength, "\(field) length \(length) is below the minimum \(minimum)")
        }
        guard length <= remaining else {
            throw FormatError(.truncated, "\(field) length \(length) exceeds remaining \(remaining) bytes")
        }
        return try readBytes(Int(length), field: field)
    }

    /// Throws unless every byte has been read: for structures with a fixed end.
    public func expectEnd(of structure: String) throws {
        guard isAtEnd else {
            throw FormatError(.trailingData, "\(remaining) trailing bytes after \(structure)")
        }
    }

    private func need(_ count: Int, field: String) throws {
        guard count <= remaining else {
            throw FormatError(.truncated, "\(field) needs \(count) bytes, only \(remaining) remain")
        }
    }
}
