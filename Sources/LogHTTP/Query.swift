import Foundation
import Hummingbird
import HummingbirdCore
import LogCore
import LogFormat
import Merkle
import PKI

/// Strict parsing of a request's query parameters: a missing or malformed parameter is a 400
/// that names it.
///
/// The query is scanned for each parameter read, not split into a dictionary first: an
/// endpoint reads one to three parameters from a query of a few dozen bytes, and the scan
/// allocates nothing unless a value is percent-encoded. A pair is `name=value`, pairs are
/// separated by `&`; names are compared as sent, values are percent-decoded (a value whose
/// escapes are malformed is read as sent), a name without `=` has the empty value, and the
/// first pair with the name wins.
struct Query {
    private let query: Substring

    /// The query of `uri`: what follows the first `?` of the target, up to a `#`, as
    /// Hummingbird's parser reads it, without `URI.query`'s copy into a new String.
    init(_ uri: URI) {
        let target = uri.string
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            query = ""
            return
        }
        let start = target.utf8.index(after: mark)
        query = target[start..<(target.utf8[start...].firstIndex(of: UInt8(ascii: "#")) ?? target.endIndex)]
    }

    init(_ query: Substring) {
        self.query = query
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
        // Decoded straight into the bytes base64 reads: no String in between.
        let raw = try rawValue(name)
        var characters = Self.percentDecodedBytes(raw) ?? Array(raw.utf8)
        for i in characters.indices where characters[i] == UInt8(ascii: " ") { characters[i] = UInt8(ascii: "+") }
        guard let bytes = characters.withUnsafeBytes(CanonicalBase64.decode) ?? Data(base64Encoded: Data(characters)).map({ [UInt8]($0) }) else {
            throw LogError.badRequest("query parameter \(name) is not base64")
        }
        guard let hash = Hash(checking: bytes) else {
            throw LogError.badRequest("query parameter \(name) decodes to \(bytes.count) bytes, want 32")
        }
        return hash
    }

    /// The value of the first pair named `name`, if any.
    func value(ifPresent name: String) -> Substring? {
        rawValue(ifPresent: name).map(Self.decoded)
    }

    /// The value of the first pair named `name` as sent, if any.
    private func rawValue(ifPresent name: String) -> Substring? {
        let ampersand = UInt8(ascii: "&"), equals = UInt8(ascii: "=")
        var rest = query
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: ampersand) ?? rest.endIndex
            let pair = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.utf8.index(after: end)...]
            if let split = pair.utf8.firstIndex(of: equals) {
                guard pair.utf8[..<split].elementsEqual(name.utf8) else { continue }
                return pair[pair.utf8.index(after: split)...]
            } else if pair.utf8.elementsEqual(name.utf8) {
                return ""
            }
        }
        return nil
    }

    private func value(_ name: String) throws -> Substring {
        Self.decoded(try rawValue(name))
    }

    /// The value of the first pair named `name` as sent; a 400 naming it when there is none.
    private func rawValue(_ name: String) throws -> Substring {
        guard let raw = rawValue(ifPresent: name) else {
            throw LogError.badRequest("missing query parameter \(name)")
        }
        return raw
    }

    /// `raw` with its `%XX` escapes decoded; `raw` itself, as sent, when it has none or when
    /// one is cut short or not hexadecimal.
    private static func decoded(_ raw: Substring) -> Substring {
        guard raw.utf8.contains(UInt8(ascii: "%")), let bytes = percentDecodedBytes(raw) else { return raw }
        return String(decoding: bytes, as: UTF8.self)[...]
    }

    /// The bytes of `raw` with its `%XX` escapes decoded; nil when one is cut short or not
    /// hexadecimal.
    private static func percentDecodedBytes(_ raw: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var iterator = raw.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(Hex.digitValue), let low = iterator.next().flatMap(Hex.digitValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}
