import LogFormat
import Merkle
import PKI

/// Signed heads of the endorsement ledger (Specs/endorsement.md, "Ledger checkpoints"). The log key
/// signs them over a context string of their own, so a ledger head can never pass for a
/// certificate-tree head, which is signed over RFC 6962's TreeHeadSignature.
public enum LedgerCheckpoint {
    public static let context: [UInt8] = Array("vigil-endorsement-ledger-v1".utf8) + [0]
    /// The signature type byte in the note key ID.
    public static let signatureType: UInt8 = 0xff

    /// The bytes the log key signs for a ledger head.
    public static func signatureInput(treeSize: UInt64, timestamp: UInt64, rootHash: Hash) -> [UInt8] {
        var writer = TLSWriter()
        writer.writeBytes(context)
        writer.writeInteger(treeSize)
        writer.writeInteger(timestamp)
        writer.writeBytes(rootHash.bytes)
        return writer.bytes
    }

    /// The ledger's checkpoint origin for a log whose certificate-tree origin is `logOrigin`.
    public static func origin(logOrigin: String) -> String { logOrigin + "/endorsements" }

    static func keyID(origin: String, logID: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(Array(origin.utf8) + [0x0a, signatureType] + logID).prefix(4))
    }

    /// The signed note of a ledger head: checkpoint text, one signature line whose signature is
    /// `uint64 timestamp || DER signature`.
    public static func note(origin: String, treeSize: UInt64, timestamp: UInt64, rootHash: Hash, signature: [UInt8],
                            logID: [UInt8]) -> String {
        var signed = TLSWriter()
        signed.writeInteger(timestamp)
        signed.writeBytes(signature)
        let text = Checkpoint(origin: origin, treeSize: treeSize, rootHash: rootHash).text
        return SignedNote(text: text, signatures: [.init(keyName: origin, keyID: keyID(origin: origin, logID: logID),
                                                         signature: signed.bytes)]).encoded
    }

    /// A verified ledger head: size, root and timestamp of a note signed by `key` for `origin`.
    public static func verify(note text: String, origin: String, key: VerifyingKey) throws -> (treeSize: UInt64, timestamp: UInt64, rootHash: Hash) {
        let note = try SignedNote(parsing: text)
        let checkpoint = try Checkpoint(text: note.text)
        guard checkpoint.origin == origin else {
            throw FormatError(.unverifiedNote, "ledger checkpoint origin \"\(checkpoint.origin)\", want \"\(origin)\"")
        }
        let keyID = keyID(origin: origin, logID: SHA256.hash(key.spkiDER))
        for line in note.signatures where line.keyName == origin && line.keyID == keyID && line.signature.count > 8 {
            var reader = TLSReader(line.signature)
            let timestamp: UInt64 = try reader.readInteger(UInt64.self, byteCount: 8, field: "timestamp")
            let signature = Array(line.signature.dropFirst(8))
            let input = signatureInput(treeSize: checkpoint.treeSize, timestamp: timestamp, rootHash: checkpoint.rootHash)
            if key.verify(signature: signature, message: input) {
                return (checkpoint.treeSize, timestamp, checkpoint.rootHash)
            }
        }
        throw FormatError(.unverifiedNote, "no signature of the ledger checkpoint verifies with the log's key")
    }
}
