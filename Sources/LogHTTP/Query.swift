import Foundation
import Hummingbird
import LogCore
import Merkle

/// Strict parsing of query parameters: a missing or malformed parameter is a 400 that names it.
enum Query {
    static func integer(_ name: String, in request: Request) throws -> UInt64 {
        guard let text = request.uri.queryParameters[Substring(name)] else {
            throw LogError.badRequest("missing query parameter \(name)")
        }
        guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit), let value = UInt64(text) else {
            throw LogError.badRequest("query parameter \(name) must be a non-negative decimal integer, got \"\(text)\"")
        }
        return value
    }

    /// A base64 SHA-256 hash. A `+` that a client left unescaped arrives as a space; it is read back as `+`.
    static func hash(_ name: String, in request: Request) throws -> Hash {
        guard let text = request.uri.queryParameters[Substring(name)] else {
            throw LogError.badRequest("missing query parameter \(name)")
        }
        guard let data = Data(base64Encoded: text.replacingOccurrences(of: " ", with: "+")) else {
            throw LogError.badRequest("query parameter \(name) is not base64")
        }
        guard let hash = Hash(checking: [UInt8](data)) else {
            throw LogError.badRequest("query parameter \(name) decodes to \(data.count) bytes, want 32")
        }
        return hash
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
