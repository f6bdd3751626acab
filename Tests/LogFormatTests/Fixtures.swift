import Foundation
@testable import LogFormat
import Testing
import TestSupport

/// Small helpers shared by the LogFormat tests.
enum Fixtures {
    /// Decodes lower- or upper-case hex; traps on bad input (test literals only).
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        precondition(digits.count % 2 == 0, "odd hex length")
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0 ..< $0 + 2], as: UTF8.self), radix: 16)!
        }
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The DER bodies of every PEM block labelled `label` in `text`. Also reads the
    /// ctgo-testdata PEM files, whose lines keep their Go string-literal quoting
    /// (`\t\t"MIIC...\n" +`).
    static func pemBlocks(_ text: String, label: String = "CERTIFICATE") throws -> [[UInt8]] {
        var blocks: [[UInt8]] = []
        var body: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = Substring(rawLine.trimmingCharacters(in: .whitespaces))
            for suffix in [#"\n" +"#, #"\n""#, "\""] where line.hasSuffix(suffix) {
                line = line.dropLast(suffix.count)
                break
            }
            if line.hasPrefix("\"") { line = line.dropFirst() }
            if line == "-----BEGIN \(label)-----" {
                body = ""
            } else if line == "-----END \(label)-----", let collected = body {
                blocks.append([UInt8](try #require(Data(base64Encoded: collected))))
                body = nil
            } else if body != nil {
                body! += line
            }
        }
        return blocks
    }

    /// The single certificate in a PEM file of a vector folder.
    static func certificate(_ folder: URL, _ file: String) throws -> [UInt8] {
        let blocks = try pemBlocks(try Vectors.text(folder, file))
        try #require(blocks.count >= 1, "no certificate in \(file)")
        return blocks[0]
    }

    /// A value of ctgo-testdata/constants.json, decoded from hex or base64.
    static func ctgoConstant(_ folder: URL, _ name: String, hex isHex: Bool) throws -> [UInt8] {
        let constants = try JSONDecoder().decode([String: String].self, from: Data(Vectors.bytes(folder, "constants.json")))
        let text = try #require(constants[name], "no \(name) in constants.json")
        return isHex ? hex(text) : [UInt8](try #require(Data(base64Encoded: text)))
    }

    /// A base64 string field of a JSONSerialization object, decoded.
    static func base64(_ value: Any?, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let text = try #require(value as? String, "not a string", sourceLocation: sourceLocation)
        return [UInt8](try #require(Data(base64Encoded: text), "not base64", sourceLocation: sourceLocation))
    }

    /// A JSON object's keys, to check exact field names.
    static func jsonKeys(_ data: Data) throws -> Set<String> {
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Set(object.keys)
    }

    /// Every strict prefix of `bytes` must fail to parse.
    static func expectEveryPrefixThrows(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation,
                                        _ parse: ([UInt8]) throws -> Void) {
        for length in 0 ..< bytes.count {
            #expect(throws: FormatError.self, "prefix of \(length) bytes", sourceLocation: sourceLocation) {
                try parse(Array(bytes[..<length]))
            }
        }
    }
}
