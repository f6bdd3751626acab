import Foundation
import Merkle

/// Standard base64 (RFC 4648 section 4, padded) for the byte fields of the RFC 6962
/// section 4 JSON bodies. Decoding names the field in its error.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let length = JSONWriter.base64Length(of: bytes.count)
        return String(unsafeUninitializedCapacity: length) { output in
            bytes.withUnsafeBufferPointer { encode($0, into: UnsafeMutableBufferPointer(rebasing: output[0..<length])) }
            return length
        }
    }

    /// Writes the padded base64 of `input` into `output`, which holds exactly
    /// `JSONWriter.base64Length(of: input.count)` bytes.
    static func encode(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) {
        CanonicalBase64.alphabet.withUnsafeBufferPointer { alphabet in
            var read = 0, written = 0
            while read + 3 <= input.count {
                let triple = UInt32(input[read]) << 16 | UInt32(input[read + 1]) << 8 | UInt32(input[read + 2])
                output[written] = alphabet[Int(triple >> 18)]
                output[written + 1] = alphabet[Int(triple >> 12 & 0x3F)]
                output[written + 2] = alphabet[Int(triple >> 6 & 0x3F)]
                output[written + 3] = alphabet[Int(triple & 0x3F)]
                read += 3
                written += 4
            }
            let rest = input.count - read
            guard rest > 0 else { return }
            let first = UInt32(input[read]) << 16 | (rest == 2 ? UInt32(input[read + 1]) << 8 : 0)
            output[written] = alphabet[Int(first >> 18)]
            output[written + 1] = alphabet[Int(first >> 12 & 0x3F)]
            output[written + 2] = rest == 2 ? alphabet[Int(first >> 6 & 0x3F)] : UInt8(ascii: "=")
            output[written + 3] = UInt8(ascii: "=")
        }
    }

    static func decode(_ text: String, field: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text) else {
            throw FormatError(.invalidBase64, "\(field) is not valid base64")
        }
        return [UInt8](data)
    }

    /// Decodes each element, naming the bad one as `field[i]`.
    static func decode(_ texts: [String], field: String) throws -> [[UInt8]] {
        try texts.enumerated().map { index, text in try decode(text, field: "\(field)[\(index)]") }
    }

    /// Decodes a base64 SHA-256 hash, which must be 32 bytes.
    static func decodeHash(_ text: String, field: String) throws -> Hash {
        let bytes = try decode(text, field: field)
        guard let hash = Hash(checking: bytes) else {
            throw FormatError(.invalidLength, "\(field) is \(bytes.count) bytes, want 32")
        }
        return hash
    }

    /// Decodes a list of base64 hashes (an audit path or consistency proof).
    static func decodeHashes(_ texts: [String], field: String) throws -> [Hash] {
        try texts.enumerated().map { index, text in try decodeHash(text, field: "\(field)[\(index)]") }
    }
}
