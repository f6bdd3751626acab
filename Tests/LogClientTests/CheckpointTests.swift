import LogClient
import LogFormat
import Merkle
import PKI
import Testing

/// Checkpoint notes verified offline, as a monitor re-checks one it kept or was handed.
@Suite struct CheckpointTests {
    static let origin = "vigil.test/offline"
    static let key = Result { try SigningKey.generateP256() }

    static func note(size: UInt64, root: Hash, key: SigningKey) throws -> String {
        let sth = try SignedTreeHead.sign(TreeHead(treeSize: size, timestamp: 1_763_683_200_000, rootHash: root), key: key)
        return RFC6962NoteSignature.checkpoint(origin: origin, sth: sth, logID: LogID.of(key.publicKey))
    }

    static func client(_ key: SigningKey, origin: String? = nil) -> StaticLogClient {
        StaticLogClient(monitoringURL: "http://127.0.0.1:1", publicKey: key.publicKey, origin: origin)
    }

    @Test func aKeptNoteVerifiesWithOrWithoutOtherSignatures() throws {
        let key = try Self.key.get()
        let root = Hash.leaf([1, 2, 3])
        let note = try Self.note(size: 7, root: root, key: key)
        let checkpoint = try Self.client(key, origin: Self.origin).verifyCheckpoint(note)
        #expect(checkpoint.origin == Self.origin)
        #expect(checkpoint.treeSize == 7)
        #expect(checkpoint.rootHash == root)
        #expect(checkpoint.treeHead.verify(key: key.publicKey))
        // A witness's cosignature line is ignored.
        let cosigned = note + "\u{2014} witness.example AAAAAQID\n"
        #expect(try Self.client(key).verifyCheckpoint(cosigned).treeHead == checkpoint.treeHead)
    }

    enum Damage: String, CaseIterable, Sendable {
        case changedSize, noSignature, extensionLine

        func apply(to note: String) -> String {
            switch self {
            case .changedSize: note.replacingOccurrences(of: "\n7\n", with: "\n8\n")
            case .noSignature: String(note.prefix(while: { $0 != "\u{2014}" }))
            case .extensionLine: note.replacingOccurrences(of: "=\n\n", with: "=\nextra\n\n")
            }
        }

        var message: String {
            switch self {
            case .changedSize: "does not verify"
            case .noSignature: "not a signed checkpoint note"
            case .extensionLine: "no extension lines"
            }
        }
    }

    @Test(arguments: Damage.allCases)
    func aDamagedNoteIsRefused(_ damage: Damage) throws {
        let key = try Self.key.get()
        let note = try Self.note(size: 7, root: Hash.leaf([1, 2, 3]), key: key)
        #expect(damage.apply(to: note) != note)
        let error = #expect(throws: LogClientError(.badCheckpoint, "")) { try Self.client(key).verifyCheckpoint(damage.apply(to: note)) }
        #expect(error?.message.contains(damage.message) == true, "\(error?.message ?? "no error")")
    }

    /// An empty tree has one root; a signed head claiming another is refused by both readers.
    @Test func anEmptyTreeWithAnotherRootIsRefused() async throws {
        let key = try Self.key.get()
        let note = try Self.note(size: 0, root: Hash.leaf([]), key: key)
        let error = #expect(throws: LogClientError(.badCheckpoint, "")) { try Self.client(key).verifyCheckpoint(note) }
        #expect(error?.message.contains("size 0 has root") == true)
        _ = try Self.client(key).verifyCheckpoint(try Self.note(size: 0, root: Hash.emptyTree, key: key))

        let client = LogClient(url: "http://127.0.0.1:1", publicKey: key.publicKey)
        let wrong = try SignedTreeHead.sign(TreeHead(treeSize: 0, timestamp: 1, rootHash: Hash.leaf([])), key: key)
        await #expect(throws: LogClientError(.badEntries, "")) { try await client.verifyAll(wrong) }
        let empty = try SignedTreeHead.sign(TreeHead(treeSize: 0, timestamp: 1, rootHash: Hash.emptyTree), key: key)
        #expect(try await client.verifyAll(empty) == LogVerification(treeSize: 0, rootHash: Hash.emptyTree, entries: 0))
    }
}
