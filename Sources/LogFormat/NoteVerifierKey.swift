import Foundation
import PKI

/// A key that verifies signed-note signatures (C2SP signed-note), written as a verifier key
/// string `<name>+<hex key ID>+<base64(type || key)>`. Two types are understood:
/// 0x01 Ed25519 (the signature is over the note text) and 0x05 RFC 6962 (static-ct-api: the
/// key is the log's SubjectPublicKeyInfo and the signature is a timestamped tree head signature).
public struct NoteVerifierKey: Sendable, Hashable {
    public enum KeyType: UInt8, Sendable {
        case ed25519 = 0x01
        case rfc6962 = 0x05
    }

    public let name: String
    public let type: KeyType
    public let key: VerifyingKey
    /// SHA-256(name || "\n" || type || key bytes)[0..<4].
    public let keyID: [UInt8]

    /// The static-ct-api checkpoint key of a log: named by its origin, typed 0x05, over its SPKI.
    public init(rfc6962Origin origin: String, key: VerifyingKey) {
        self.init(name: origin, type: .rfc6962, key: key, keyBytes: LogID.of(key))
    }

    /// Parses a verifier key string. Throws `.invalidNote` naming the problem.
    public init(vkey: String) throws {
        let parts = vkey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty else { throw FormatError(.invalidNote, "verifier key is not <name>+<id>+<key>") }
        guard let id = Hex.decode(String(parts[1])), id.count == 4 else {
            throw FormatError(.invalidNote, "verifier key ID \(parts[1]) is not 8 hex digits")
        }
        guard let data = Data(base64Encoded: String(parts[2])), let first = data.first, let type = KeyType(rawValue: first) else {
            throw FormatError(.invalidNote, "verifier key material is not base64 of a known key type")
        }
        let material = [UInt8](data.dropFirst())
        let key: VerifyingKey
        let idInput: [UInt8]
        do {
            switch type {
            case .ed25519:
                guard material.count == 32 else { throw FormatError(.invalidNote, "Ed25519 key of \(material.count) bytes, want 32") }
                key = try VerifyingKey(spkiDER: Self.ed25519SPKIPrefix + material)
                idInput = material
            case .rfc6962:
                key = try VerifyingKey(spkiDER: material)
                idInput = LogID.of(key)
            }
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(.invalidNote, "verifier key \(parts[0]): \(error)")
        }
        self.init(name: String(parts[0]), type: type, key: key, keyBytes: idInput)
        guard keyID == id else {
            throw FormatError(.invalidNote, "verifier key ID \(parts[1]) does not match its key (\(Hex.encode(keyID)))")
        }
    }

    private init(name: String, type: KeyType, key: VerifyingKey, keyBytes: [UInt8]) {
        self.name = name
        self.type = type
        self.key = key
        self.keyID = Array(SHA256.hash(Array(name.utf8) + [0x0a, type.rawValue] + keyBytes).prefix(4))
    }

    /// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 key bytes.
    static let ed25519SPKIPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// Returns the signature line of `note` made by this key, after checking it verifies.
    /// Lines of other keys are ignored (C2SP signed-note). Throws `.unverifiedNote` if none verifies.
    public func verify(_ note: SignedNote) throws -> SignedNote.Signature {
        for signature in note.signatures where signature.keyName == name && signature.keyID == keyID {
            switch type {
            case .ed25519:
                if key.verify(signature: signature.signature, message: Array(note.text.utf8)) { return signature }
            case .rfc6962:
                if let head = try? RFC6962NoteSignature.treeHead(of: note, signature: signature),
                   head.verify(key: key) { return signature }
            }
        }
        throw FormatError(.unverifiedNote, "no signature of \(name) (key ID \(Hex.encode(keyID))) verifies this note")
    }
}
