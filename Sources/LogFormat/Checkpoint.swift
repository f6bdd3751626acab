import Foundation
import Merkle
import PKI

/// The body of a C2SP tlog-checkpoint: origin, tree size, root hash, then optional extension lines.
public struct Checkpoint: Sendable, Hashable {
    public var origin: String
    public var treeSize: UInt64
    public var rootHash: Hash
    /// Extension lines, without their newlines (static-ct-api checkpoints have none).
    public var extensionLines: [String]

    public init(origin: String, treeSize: UInt64, rootHash: Hash, extensionLines: [String] = []) {
        self.origin = origin
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.extensionLines = extensionLines
    }

    /// The note text: each line ends with a newline.
    public var text: String {
        ([origin, String(treeSize), Data(rootHash.bytes).base64EncodedString()] + extensionLines).map { $0 + "\n" }.joined()
    }

    /// Parses a note text (a `SignedNote.text`). Throws `.invalidNote` naming the problem.
    public init(text: String) throws {
        guard text.hasSuffix("\n") else { throw FormatError(.invalidNote, "checkpoint text does not end in a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3 else { throw FormatError(.invalidNote, "checkpoint has \(lines.count) lines, want at least 3") }
        guard !lines[0].isEmpty else { throw FormatError(.invalidNote, "checkpoint origin line is empty") }
        let size = lines[1]
        guard !size.isEmpty, size.allSatisfy({ $0.isASCII && $0.isNumber }), size == "0" || !size.hasPrefix("0"),
              let treeSize = UInt64(size) else {
            throw FormatError(.invalidNote, "checkpoint size \"\(size)\" is not a decimal without leading zeroes")
        }
        guard let data = Data(base64Encoded: String(lines[2])), let root = Hash(checking: [UInt8](data)) else {
            throw FormatError(.invalidNote, "checkpoint root hash is not base64 of 32 bytes")
        }
        guard lines.dropFirst(3).allSatisfy({ !$0.isEmpty }) else {
            throw FormatError(.invalidNote, "checkpoint has an empty extension line")
        }
        self.init(origin: String(lines[0]), treeSize: treeSize, rootHash: root, extensionLines: lines.dropFirst(3).map(String.init))
    }
}

/// static-ct-api's RFC6962NoteSignature: a tree head signature carried in a checkpoint, as
/// `uint64 timestamp || TreeHeadSignature` (the TLS DigitallySigned).
public enum RFC6962NoteSignature {
    /// The signed checkpoint of `sth` with `origin` as its origin line and key name.
    public static func checkpoint(origin: String, sth: SignedTreeHead, logID: [UInt8]) -> String {
        let body = Checkpoint(origin: origin, treeSize: sth.head.treeSize, rootHash: sth.head.rootHash)
        var writer = TLSWriter()
        writer.writeInteger(sth.head.timestamp)
        writer.writeBytes(sth.signature.encoded)
        let keyID = Array(SHA256.hash(Array(origin.utf8) + [0x0a, 0x05] + logID).prefix(4))
        let note = SignedNote(text: body.text, signatures: [SignedNote.Signature(keyName: origin, keyID: keyID, signature: writer.bytes)])
        return note.encoded
    }

    /// The signed tree head a checkpoint signature line stands for: size and root from the note
    /// text, timestamp and signature from the line. Throws if either does not parse.
    public static func treeHead(of note: SignedNote, signature: SignedNote.Signature) throws -> SignedTreeHead {
        let checkpoint = try Checkpoint(text: note.text)
        guard checkpoint.extensionLines.isEmpty else {
            throw FormatError(.invalidNote, "an RFC 6962 signed checkpoint must have no extension lines")
        }
        var reader = TLSReader(signature.signature)
        let timestamp: UInt64 = try reader.readInteger(UInt64.self, byteCount: 8, field: "note signature timestamp")
        let signed = try DigitallySigned(reader: &reader)
        try reader.expectEnd(of: "RFC6962NoteSignature")
        return SignedTreeHead(
            head: TreeHead(treeSize: checkpoint.treeSize, timestamp: timestamp, rootHash: checkpoint.rootHash), signature: signed)
    }
}
