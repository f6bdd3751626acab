import Foundation
import Merkle

/// Standard base64 (RFC 4648 section 4, padded) for the byte fields of the RFC 6962
/// section 4 JSON bodies. Decoding names the field in its error.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
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
