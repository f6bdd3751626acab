import Endorsement
import Foundation
import Logging
import PKI

/// Parsing of single configuration values, each failure naming the field (`field`) and the reason.
/// The same rules serve the config file and the command-line flags.
enum ConfigValues {
    static func readText(path: String, field: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(.invalidValue, "\(field) \(path): cannot read it: \(error.localizedDescription)")
        }
    }

    static func signingKey(path: String, field: String) throws -> SigningKey {
        let key: SigningKey
        do {
            key = try SigningKey(pem: readText(path: path, field: field))
        } catch let error as PKIError {
            throw ConfigurationError(.invalidValue, "\(field) \(path): \(error.message)")
        }
        guard key.algorithm == .ecdsaP256 else {
            throw ConfigurationError(.invalidValue, "\(field) \(path): the log key must be ECDSA P-256")
        }
        return key
    }

    static func roots(path: String, field: String) throws -> [Certificate] {
        let roots: [Certificate]
        do {
            roots = try Certificate.fromPEM(readText(path: path, field: field))
        } catch let error as PKIError {
            throw ConfigurationError(.invalidValue, "\(field) \(path): \(error.message)")
        }
        guard !roots.isEmpty else { throw ConfigurationError(.invalidValue, "\(field) \(path): holds no certificate") }
        return roots
    }

    static func contract(path: String, field: String) throws -> ValidatedContract {
        do {
            return try Contract.parse(readText(path: path, field: field)).validated()
        } catch let error as EndorsementError {
            throw ConfigurationError(.invalidValue, "\(field) \(path): \(error.message)")
        }
    }

    static func hostAndPort(_ text: String, field: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port), colon > text.startIndex else {
            throw ConfigurationError(.invalidValue, "\(field) \(text): want HOST:PORT")
        }
        return (String(text[..<colon]), port)
    }

    static func unixSeconds(rfc3339 text: String, field: String) throws -> Int64 {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw ConfigurationError(.invalidValue, "\(field) \(text): not an RFC 3339 date-time such as 2026-01-01T00:00:00Z")
        }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// Parses `250ms`, `2s`, `1m`, `1h`; `0s` only when `allowZero`.
    static func duration(_ text: String, field: String, allowZero: Bool = false) throws -> Duration {
        let units: [(String, (Int64) -> Duration)] = [
            ("ms", { .milliseconds($0) }), ("s", { .seconds($0) }), ("m", { .seconds($0 * 60) }), ("h", { .seconds($0 * 3600) }),
        ]
        for (suffix, make) in units where text.hasSuffix(suffix) {
            if let value = Int64(text.dropLast(suffix.count)), value > 0 || (allowZero && value == 0) { return make(value) }
        }
        let kind = allowZero ? "non-negative" : "positive"
        throw ConfigurationError(.invalidValue, "\(field) \(text): want a \(kind) duration such as 100ms, 2s, 1m or 720h")
    }

    static func positive(_ value: Int, field: String) throws -> Int {
        guard value > 0 else { throw ConfigurationError(.invalidValue, "\(field) must be positive, got \(value)") }
        return value
    }

    static func logLevel(_ text: String, field: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text) else {
            throw ConfigurationError(.invalidValue, "\(field) \(text): want trace, debug, info, notice, warning, error or critical")
        }
        return level
    }

    /// An http or https URL; returned with exactly one trailing slash.
    static func prefixURL(_ text: String, field: String) throws -> String {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil,
              url.query == nil, url.fragment == nil else {
            throw ConfigurationError(.invalidValue, "\(field) \(text): want an http or https URL without query or fragment")
        }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed + "/"
    }

    /// A URL path prefix: empty (the root) or `/segment[/segment...]`, no trailing slash, no
    /// segment that names one of the server's own paths.
    static func pathPrefix(_ text: String, field: String) throws -> String {
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty { return "" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let segments = trimmed.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard trimmed.hasPrefix("/"), segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && $0.allSatisfy(allowed.contains) }) else {
            throw ConfigurationError(.invalidValue, "\(field) \(text): want \"/name\" path segments of letters, digits, - . _ ~")
        }
        let reserved = ["ct", "tile", "issuer", "checkpoint", "metrics", "log.v3.json", "endorsement"]
        if let first = segments.first, reserved.contains(String(first)) {
            throw ConfigurationError(.invalidValue, "\(field) \(text): \"/\(first)\" is one of the server's own paths")
        }
        return String(trimmed)
    }
}
