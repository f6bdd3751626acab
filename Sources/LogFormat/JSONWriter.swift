import Merkle

/// Writes the RFC 6962 response bodies as JSON bytes directly (RFC 8259): objects of
/// numbers, strings and arrays of strings, which is all those bodies hold.
///
/// Foundation's JSONEncoder builds a tree of boxed values and walks it again; for a
/// get-entries answer of 256 entries that cost more than reading them from storage. The
/// output parses to the same values JSONEncoder would give (the tests compare both).
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Whether the innermost open object or array has a member yet.
    private var hasMember: [Bool] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes `{`, the members `body` writes, and `}`.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        container("{", "}", body)
    }

    /// Writes `[`, the elements `body` writes, and `]`.
    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        container("[", "]", body)
    }

    private mutating func container(_ open: Unicode.Scalar, _ close: Unicode.Scalar, _ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: open))
        hasMember.append(false)
        body(&self)
        hasMember.removeLast()
        bytes.append(UInt8(ascii: close))
    }

    /// Writes a member name; the value written next belongs to it.
    public mutating func key(_ name: String) {
        separate()
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
        hasMember[hasMember.count - 1] = false  // the value follows the colon, with no comma
    }

    public mutating func number(_ value: UInt64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func string(_ value: String) {
        separate()
        quoted(value)
    }

    /// `value` as a standard, padded base64 string (RFC 4648 s4), encoded straight into the output.
    public mutating func base64(_ value: [UInt8]) {
        value.withUnsafeBytes { base64($0) }
    }

    /// The bytes behind `value` as a standard, padded base64 string, encoded straight into the output.
    public mutating func base64(_ value: UnsafeRawBufferPointer) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        let start = bytes.count
        let length = Self.base64Length(of: value.count)
        bytes.append(contentsOf: repeatElement(0, count: length))
        bytes.withUnsafeMutableBufferPointer { output in
            Base64.encode(value.assumingMemoryBound(to: UInt8.self), into: UnsafeMutableBufferPointer(rebasing: output[start..<(start + length)]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `values` as an array of base64 strings, each encoded straight from the hash into the output.
    public mutating func hashes(_ values: [Hash]) {
        array { writer in
            for value in values { value.withUnsafeBytes { writer.base64($0) } }
        }
    }

    /// The bytes `hashes` writes for `count` SHA-256 hashes: 44 characters, two quotes and a comma each.
    public static func hashesLength(of count: Int) -> Int {
        2 + count * (base64Length(of: 32) + 3)
    }

    /// The length of the padded base64 of `count` bytes, quotes not included.
    public static func base64Length(of count: Int) -> Int {
        (count + 2) / 3 * 4
    }

    public mutating func strings(_ values: [String]) {
        array { writer in
            for value in values { writer.string(value) }
        }
    }

    /// A comma before every member or element but the first of its container.
    private mutating func separate() {
        guard let last = hasMember.indices.last else { return }
        if hasMember[last] { bytes.append(UInt8(ascii: ",")) }
        hasMember[last] = true
    }

    /// A quoted string: `"` and `\` escaped, control characters as \u00XX (RFC 8259 s7).
    /// A run of bytes that needs no escape, such as all of a base64 string, is copied at once.
    private mutating func quoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<offset]))
                appendEscaped(byte)
                start = offset + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(byte)
            return
        }
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                  digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

/// A response body that writes itself with `JSONWriter`.
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// The body as JSON bytes.
    public func jsonBytes(capacity: Int = 256) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        write(to: &writer)
        return writer.bytes
    }
}

extension ErrorResponse: JSONWritable {
    /// `error` first, then `message`, always: JSONEncoder's key order may differ between processes.
    public func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.key("error"); json.string(error)
            json.key("message"); json.string(message)
        }
    }
}

extension AddChainResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.key(CodingKeys.sctVersion.stringValue); json.number(UInt64(sctVersion))
            json.key(CodingKeys.id.stringValue); json.string(id)
            json.key(CodingKeys.timestamp.stringValue); json.number(timestamp)
            json.key(CodingKeys.extensions.stringValue); json.string(extensions)
            json.key(CodingKeys.signature.stringValue); json.string(signature)
        }
    }
}

extension GetSTHResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.key(CodingKeys.treeSize.stringValue); json.number(treeSize)
            json.key(CodingKeys.timestamp.stringValue); json.number(timestamp)
            json.key(CodingKeys.sha256RootHash.stringValue); json.string(sha256RootHash)
            json.key(CodingKeys.treeHeadSignature.stringValue); json.string(treeHeadSignature)
        }
    }
}

extension GetProofByHashResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.key(CodingKeys.leafIndex.stringValue); json.number(leafIndex)
            json.key(CodingKeys.auditPath.stringValue); json.strings(auditPath)
        }
    }
}

extension GetSTHConsistencyResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.key("consistency"); json.strings(consistency)
        }
    }
}

extension GetEntriesResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.key("entries")
            json.array { list in
                for entry in entries {
                    list.object { item in
                        item.key(Entry.CodingKeys.leafInput.stringValue); item.string(entry.leafInput)
                        item.key(Entry.CodingKeys.extraData.stringValue); item.string(entry.extraData)
                    }
                }
            }
        }
    }
}

extension GetEntryAndProofResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.key(CodingKeys.leafInput.stringValue); json.string(leafInput)
            json.key(CodingKeys.extraData.stringValue); json.string(extraData)
            json.key(CodingKeys.auditPath.stringValue); json.strings(auditPath)
        }
    }
}
