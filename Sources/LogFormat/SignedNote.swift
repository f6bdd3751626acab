import Foundation

/// A C2SP signed note: UTF-8 text ending in a newline, a blank line, then one or more
/// signature lines `— <key name> <base64(key ID || signature)>`.
public struct SignedNote: Sendable, Hashable {
    /// One signature line.
    public struct Signature: Sendable, Hashable {
        public var keyName: String
        /// The 4-byte key ID (C2SP signed-note: the first 4 bytes of a hash over name, type and key).
        public var keyID: [UInt8]
        public var signature: [UInt8]

        public init(keyName: String, keyID: [UInt8], signature: [UInt8]) {
            precondition(keyID.count == 4, "key ID of \(keyID.count) bytes, want 4")
            self.keyName = keyName
            self.keyID = keyID
            self.signature = signature
        }

        /// The line, with its trailing newline.
        public var line: String { "\u{2014} \(keyName) \(Data(keyID + signature).base64EncodedString())\n" }
    }

    /// The signed text, ending in a newline.
    public var text: String
    public var signatures: [Signature]

    /// The most signature lines a note may carry (C2SP signed-note allows verifiers to cap it).
    public static let maxSignatures = 100

    public init(text: String, signatures: [Signature]) {
        precondition(text.hasSuffix("\n"), "note text must end with a newline")
        self.text = text
        self.signatures = signatures
    }

    /// The whole note as served.
    public var encoded: String { text + "\n" + signatures.map(\.line).joined() }

    /// Parses a note. Throws `.invalidNote` naming the problem.
    public init(parsing note: String) throws {
        guard !note.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else {
            throw FormatError(.invalidNote, "note contains a control character other than newline")
        }
        guard let split = note.range(of: "\n\n", options: .backwards) else {
            throw FormatError(.invalidNote, "note has no blank line before its signatures")
        }
        let text = String(note[..<split.lowerBound]) + "\n"
        let block = note[split.upperBound...]
        guard block.hasSuffix("\n") else { throw FormatError(.invalidNote, "the last signature line does not end in a newline") }
        var signatures: [Signature] = []
        for line in block.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            signatures.append(try Self.parseSignatureLine(line))
            guard signatures.count <= Self.maxSignatures else {
                throw FormatError(.invalidNote, "note has more than \(Self.maxSignatures) signatures")
            }
        }
        guard !signatures.isEmpty else { throw FormatError(.invalidNote, "note has no signatures") }
        self.text = text
        self.signatures = signatures
    }

    private static func parseSignatureLine(_ line: Substring) throws -> Signature {
        guard line.hasPrefix("\u{2014} ") else {
            throw FormatError(.invalidNote, "signature line does not start with an em dash and a space: \(line.prefix(40))")
        }
        let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, !fields[0].isEmpty, !fields[0].contains("+") else {
            throw FormatError(.invalidNote, "signature line is not \"— <name> <signature>\": \(line.prefix(60))")
        }
        guard let data = Data(base64Encoded: String(fields[1])), data.count > 4 else {
            throw FormatError(.invalidNote, "signature of key \(fields[0]) is not base64 of a key ID and a signature")
        }
        let bytes = [UInt8](data)
        return Signature(keyName: String(fields[0]), keyID: Array(bytes[0..<4]), signature: Array(bytes[4...]))
    }
}
