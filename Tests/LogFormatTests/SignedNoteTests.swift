import Foundation
import LogFormat
import Merkle
import PKI
import Testing
import TestSupport

/// C2SP signed notes and static-ct-api checkpoints, from real logs and the reference implementations.
@Suite struct SignedNoteTests {
    struct Vectors: Decodable {
        struct Ed25519Note: Decodable { let vkey: String; let note: String }
        struct RFC6962Checkpoint: Decodable { let log_key_spki_b64: String; let vkey: String?; let checkpoint: String }
        struct STHJSON: Decodable { let log_url: String; let log_key_spki_b64: String; let vkey: String; let sth: GetSTHResponse }
        let ed25519_notes: [Ed25519Note]
        let rfc6962_checkpoints: [RFC6962Checkpoint]
        let rfc6962_sth_json: [STHJSON]
    }

    static func load() throws -> Vectors? {
        guard let folder = TestSupport.Vectors.folder("signed-note") else { return nil }
        return try JSONDecoder().decode(Vectors.self, from: Data(TestSupport.Vectors.bytes(folder, "vectors.json")))
    }

    @Test func ed25519NotesVerifyAndTamperedOnesDoNot() throws {
        guard let vectors = try Self.load() else { return }
        #expect(vectors.ed25519_notes.count == 3)
        for vector in vectors.ed25519_notes {
            let key = try NoteVerifierKey(vkey: vector.vkey)
            let note = try SignedNote(parsing: vector.note)
            #expect(note.encoded == vector.note)
            _ = try key.verify(note)
            var tampered = note
            tampered.text = tampered.text.replacingOccurrences(of: "e", with: "E")
            #expect(throws: FormatError(.unverifiedNote, "")) { try key.verify(tampered) }
        }
    }

    @Test func realRFC6962CheckpointsVerify() throws {
        guard let vectors = try Self.load() else { return }
        for vector in vectors.rfc6962_checkpoints {
            let note = try SignedNote(parsing: vector.checkpoint)
            let checkpoint = try Checkpoint(text: note.text)
            let logKey = try VerifyingKey(spkiDER: [UInt8](Data(base64Encoded: vector.log_key_spki_b64)!))
            let derived = NoteVerifierKey(rfc6962Origin: checkpoint.origin, key: logKey)
            if let vkey = vector.vkey {
                #expect(try NoteVerifierKey(vkey: vkey).keyID == derived.keyID)
            }
            let line = try derived.verify(note)
            let sth = try RFC6962NoteSignature.treeHead(of: note, signature: line)
            #expect(sth.verify(key: logKey))
            // Re-encoding the head gives back the very same checkpoint.
            #expect(RFC6962NoteSignature.checkpoint(origin: checkpoint.origin, sth: sth, logID: LogID.of(logKey)) == vector.checkpoint)
            // Another size or root with the same signature must not verify.
            var bigger = checkpoint
            bigger.treeSize += 1
            #expect(throws: FormatError(.unverifiedNote, "")) {
                try derived.verify(SignedNote(text: bigger.text, signatures: note.signatures))
            }
        }
    }

    @Test func aRealGetSTHConvertsToAVerifiableCheckpoint() throws {
        guard let vectors = try Self.load() else { return }
        for vector in vectors.rfc6962_sth_json {
            let key = try NoteVerifierKey(vkey: vector.vkey)
            var origin = vector.log_url.replacingOccurrences(of: "https://", with: "")
            while origin.hasSuffix("/") { origin.removeLast() }
            let sth = try vector.sth.signedTreeHead()
            let text = RFC6962NoteSignature.checkpoint(origin: origin, sth: sth, logID: LogID.of(key.key))
            let note = try SignedNote(parsing: text)
            let line = try key.verify(note)
            #expect(try RFC6962NoteSignature.treeHead(of: note, signature: line) == sth)
        }
    }

    @Test func theSkylightCheckpointVerifiesWithItsLogListKey() throws {
        guard let folder = TestSupport.Vectors.folder("static-ct/skylight-tree") else { return }
        let text = try TestSupport.Vectors.text(folder, "checkpoint")
        let logList = try JSONSerialization.jsonObject(with: Data(TestSupport.Vectors.bytes(folder, "log.v3.json"))) as! [String: Any]
        let key = try VerifyingKey(spkiDER: [UInt8](Data(base64Encoded: logList["key"] as! String)!))
        #expect(Data(LogID.of(key)).base64EncodedString() == logList["log_id"] as? String)
        let note = try SignedNote(parsing: text)
        let checkpoint = try Checkpoint(text: note.text)
        #expect(checkpoint.treeSize == 300)
        _ = try NoteVerifierKey(rfc6962Origin: checkpoint.origin, key: key).verify(note)
    }

    @Test(arguments: [
        "no blank line\n— a AAAAAAAA\n",
        "text\n\n",
        "text\n\n— a AAAAAAAA",
        "text\n\n- a AAAAAAAAAA==\n",
        "text\n\n— a+b AAAAAAAAAA==\n",
        "text\n\n— a !!!!\n",
        "text\n\n— a AAAA\n",
        "te\u{07}xt\n\n— a AAAAAAAAAA==\n",
    ])
    func malformedNotesAreRefused(_ text: String) {
        #expect(throws: FormatError(.invalidNote, "")) { try SignedNote(parsing: text) }
    }

    @Test(arguments: [
        "origin\n12\n", "origin\n012\nAAAA\n", "\n1\n\(Data(count: 32).base64EncodedString())\n",
        "origin\n1\nAAAA\n", "origin\n-1\n\(Data(count: 32).base64EncodedString())\n",
        "origin\n1\n\(Data(count: 32).base64EncodedString())",
    ])
    func malformedCheckpointsAreRefused(_ text: String) {
        #expect(throws: FormatError(.invalidNote, "")) { try Checkpoint(text: text) }
    }

    @Test func ourCheckpointsRoundTripAndVerify() throws {
        let key = try SigningKey.generateP256()
        let sth = try SignedTreeHead.sign(TreeHead(treeSize: 70_000, timestamp: 1_763_683_200_000, rootHash: Hash.leaf([1])), key: key)
        let text = RFC6962NoteSignature.checkpoint(origin: "log.example/2026", sth: sth, logID: LogID.of(key.publicKey))
        let note = try SignedNote(parsing: text)
        #expect(note.encoded == text)
        let verifier = NoteVerifierKey(rfc6962Origin: "log.example/2026", key: key.publicKey)
        #expect(try RFC6962NoteSignature.treeHead(of: note, signature: verifier.verify(note)) == sth)
        let other = NoteVerifierKey(rfc6962Origin: "log.example/2027", key: key.publicKey)
        #expect(throws: FormatError(.unverifiedNote, "")) { try other.verify(note) }
    }
}
