import PKI

/// A 32-byte SHA-256 node hash of an RFC 6962 Merkle tree.
public struct Hash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps `bytes`, which must be exactly 32 long.
    public init(_ bytes: [UInt8]) {
        precondition(bytes.count == 32, "hash of \(bytes.count) bytes, want 32")
        self.bytes = bytes
    }

    /// Wraps `bytes` if they are exactly 32 long.
    public init?(checking bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Lower-case hex, as in test vectors and logs.
    public var description: String {
        bytes.withUnsafeBufferPointer { digest in
            String(unsafeUninitializedCapacity: 2 * digest.count) { text in
                var position = 0
                while position < digest.count {
                    text[2 * position] = Hash.hexDigits[Int(digest[position] >> 4)]
                    text[2 * position + 1] = Hash.hexDigits[Int(digest[position] & 0x0f)]
                    position += 1
                }
                return 2 * digest.count
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// RFC 6962 section 2.1: MTH({}) = SHA-256() for the empty tree.
    public static let emptyTree = Hash(SHA256.hash([]))

    /// RFC 6962 section 2.1: leaf hash = SHA-256(0x00 || leaf input).
    public static func leaf(_ leafInput: [UInt8]) -> Hash {
        // One contiguous input and one digest call: cheaper than an incremental hasher.
        withUnsafeTemporaryAllocation(byteCount: leafInput.count + 1, alignment: 1) { input in
            input[0] = 0x00
            leafInput.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: input[1...]).copyMemory(from: $0) }
            return Hash(SHA256.hash(UnsafeRawBufferPointer(input)))
        }
    }

    /// RFC 6962 section 2.1: interior node hash = SHA-256(0x01 || left || right).
    public static func node(_ left: Hash, _ right: Hash) -> Hash {
        // The 65-byte input lives on the stack: a proof or append hashes many nodes in a row.
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 1) { input in
            input[0] = 0x01
            left.bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: input[1..<33]).copyMemory(from: $0) }
            right.bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: input[33..<65]).copyMemory(from: $0) }
            return Hash(SHA256.hash(UnsafeRawBufferPointer(input)))
        }
    }
}
