import ArgumentParser
import Foundation
import Logging
import PKI

/// Parsing and loading of command-line values, each failure naming the option and the reason.
enum Arguments {
    static func storePath(data: String) -> String {
        URL(fileURLWithPath: data).appendingPathComponent("leveldb").path
    }

    /// Creates `path` and its parents (mode 0700) unless it exists.
    static func createDirectory(_ path: String, option: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ValidationError("\(option) \(path): cannot create the directory: \(error.localizedDescription)")
        }
    }

    static func readText(path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
    }

    static func signingKey(path: String) throws -> SigningKey {
        let key: SigningKey
        do {
            key = try SigningKey(pem: readText(path: path))
        } catch let error as PKIError {
            throw ValidationError("--key \(path): \(error.message)")
        }
        guard key.algorithm == .ecdsaP256 else { throw ValidationError("--key \(path): the log key must be ECDSA P-256") }
        return key
    }

    static func roots(path: String) throws -> [Certificate] {
        do {
            return try Certificate.fromPEM(readText(path: path))
        } catch let error as PKIError {
            throw ValidationError("--roots \(path): \(error.message)")
        }
    }

    static func hostAndPort(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw ValidationError("--listen \(text): want HOST:PORT")
        }
        return (String(text[..<colon]), port)
    }

    static func unixSeconds(rfc3339 text: String, option: String) throws -> Int64 {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw ValidationError("\(option) \(text): not an RFC 3339 date-time such as 2026-01-01T00:00:00Z")
        }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// Parses `250ms`, `2s`, `1m`, `1h`.
    static func duration(_ text: String, option: String) throws -> Duration {
        let units: [(String, (Int64) -> Duration)] = [
            ("ms", { .milliseconds($0) }), ("s", { .seconds($0) }), ("m", { .seconds($0 * 60) }), ("h", { .seconds($0 * 3600) }),
        ]
        for (suffix, make) in units where text.hasSuffix(suffix) {
            if let value = Int64(text.dropLast(suffix.count)), value > 0 { return make(value) }
        }
        throw ValidationError("\(option) \(text): want a positive duration such as 100ms, 2s or 1m")
    }

    static func positive(_ value: Int, option: String) throws -> Int {
        guard value > 0 else { throw ValidationError("\(option) must be positive, got \(value)") }
        return value
    }

    static func logLevel(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text) else { throw ValidationError("--log-level \(text): unknown level") }
        return level
    }
}
