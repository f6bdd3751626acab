import Foundation
import Hummingbird
import HummingbirdCore
import LogCore
import LogFormat
import Merkle

/// Strict parsing of query parameters: a missing or malformed parameter is a 400 that names it.
enum Query {
    static func integer(_ name: String, in uri: URI) throws -> UInt64 {
        guard let text = uri.queryParameters[Substring(name)] else {
            throw LogError.badRequest("missing query parameter \(name)")
        }
        guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit), let value = UInt64(text) else {
            throw LogError.badRequest("query parameter \(name) must be a non-negative decimal integer, got \"\(text)\"")
        }
        return value
    }

    /// A base64 SHA-256 hash. A `+` that a client left unescaped arrives as a space; it is read back as `+`.
    static func hash(_ name: String, in uri: URI) throws -> Hash {
        guard let text = uri.queryParameters[Substring(name)] else {
            throw LogError.badRequest("missing query parameter \(name)")
        }
        let characters = Array(text.utf8).map { $0 == UInt8(ascii: " ") ? UInt8(ascii: "+") : $0 }
        guard let bytes = characters.withUnsafeBytes(CanonicalBase64.decode) ?? Data(base64Encoded: Data(characters)).map({ [UInt8]($0) }) else {
            throw LogError.badRequest("query parameter \(name) is not base64")
        }
        guard let hash = Hash(checking: bytes) else {
            throw LogError.badRequest("query parameter \(name) decodes to \(bytes.count) bytes, want 32")
        }
        return hash
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
