import PKI

/// A 32-byte SHA-256 node hash of an RFC 6962 Merkle tree.
///
/// The digest is stored inline, not in an array: proofs, tiles and appends make and compare
/// hashes by the thousand, and an array would be one heap allocation each.
public struct Hash: Hashable, Sendable, CustomStringConvertible {
    /// The digest as four words, in memory order (not numeric order).
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The 32 digest bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Wraps `bytes`, which must be exactly 32 long.
    public init(_ bytes: [UInt8]) {
        precondition(bytes.count == 32, "hash of \(bytes.count) bytes, want 32")
        bytes.withUnsafeBytes { source in
            Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) }
        }
    }

    /// Wraps `bytes` if they are exactly 32 long.
    public init?(checking bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.init(bytes)
    }

    /// Copies the 32 bytes at the start of `buffer`, which must hold at least 32.
    public init(copying buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count >= 32, "hash of \(buffer.count) bytes, want 32")
        Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[..<32])) }
    }

    /// SHA-256 of the bytes behind `input`.
    init(digesting input: UnsafeRawBufferPointer) {
        Swift.withUnsafeMutableBytes(of: &words) { SHA256.hash(input, into: $0) }
    }

    /// Calls `body` with the 32 digest bytes, without copying them.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    public static func == (lhs: Hash, rhs: Hash) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Lower-case hex, as in test vectors and logs.
    public var description: String {
        withUnsafeBytes { digest in
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
            return Hash(digesting: UnsafeRawBufferPointer(input))
        }
    }

    /// RFC 6962 section 2.1: interior node hash = SHA-256(0x01 || left || right).
    public static func node(_ left: Hash, _ right: Hash) -> Hash {
        // The 65-byte input lives on the stack: a proof or append hashes many nodes in a row.
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 1) { input in
            input[0] = 0x01
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: input[1..<33]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: input[33..<65]).copyMemory(from: $0) }
            return Hash(digesting: UnsafeRawBufferPointer(input))
        }
    }
}

extension Hash {
    /// `hashes` back to back, 32 bytes each: how hash tiles are stored and served (C2SP tlog-tiles).
    public static func concatenation(of hashes: [Hash]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32 * hashes.count)
        for hash in hashes { hash.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// The hashes of `bytes` read 32 at a time: the inverse of `concatenation(of:)`.
    /// Precondition: `bytes.count` is a multiple of 32.
    public static func split(_ bytes: [UInt8]) -> [Hash] {
        bytes.withUnsafeBytes(split)
    }

    /// The hashes of `bytes`, 32 bytes each, in order; the byte count must be a multiple of 32.
    public static func split(_ bytes: UnsafeRawBufferPointer) -> [Hash] {
        precondition(bytes.count % 32 == 0, "\(bytes.count) bytes are not whole 32-byte hashes")
        // A hash is its 32 bytes in memory order, so the array is filled with one copy.
        let count = bytes.count / 32
        return [Hash](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes) }
            initialized = count
        }
    }
}
