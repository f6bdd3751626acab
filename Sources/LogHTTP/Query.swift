import Foundation
import Hummingbird
import HummingbirdCore
import LogCore
import LogFormat
import Merkle

/// Strict parsing of a request's query parameters: a missing or malformed parameter is a 400
/// that names it. The query is split once, however many parameters are read from it.
struct Query {
    private let parameters: FlatDictionary<Substring, Substring>

    init(_ uri: URI) {
        parameters = uri.queryParameters
    }

    func integer(_ name: String) throws -> UInt64 {
        let text = try value(name)
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = UInt64(text) else {
            throw LogError.badRequest("query parameter \(name) must be a non-negative decimal integer, got \"\(text)\"")
        }
        return value
    }

    /// A base64 SHA-256 hash. A `+` that a client left unescaped arrives as a space; it is read back as `+`.
    func hash(_ name: String) throws -> Hash {
        let characters = Array(try value(name).utf8).map { $0 == UInt8(ascii: " ") ? UInt8(ascii: "+") : $0 }
        guard let bytes = characters.withUnsafeBytes(CanonicalBase64.decode) ?? Data(base64Encoded: Data(characters)).map({ [UInt8]($0) }) else {
            throw LogError.badRequest("query parameter \(name) is not base64")
        }
        guard let hash = Hash(checking: bytes) else {
            throw LogError.badRequest("query parameter \(name) decodes to \(bytes.count) bytes, want 32")
        }
        return hash
    }

    private func value(_ name: String) throws -> Substring {
        guard let text = parameters[Substring(name)] else {
            throw LogError.badRequest("missing query parameter \(name)")
        }
        return text
    }
}
