import AsyncHTTPClient
import LogFormat
import Merkle
import PKI

/// A client of one log's C2SP static-ct-api monitoring prefix that verifies what it fetches:
/// the checkpoint's note signature, issuers against their fingerprints, and tiles against the
/// tree the checkpoint signs (`inclusionProof`, `consistencyProof`, `verifyAll`).
///
/// `hashTile` and `dataTile` on their own check only a tile's shape: its contents are proven
/// by the verified reads, which fetch tiles through them.
public struct StaticLogClient: Sendable {
    /// The monitoring prefix, without a trailing slash.
    public let monitoringURL: String
    /// The log's public key, learnt out of band.
    public let publicKey: VerifyingKey
    /// The origin the checkpoint must carry; nil accepts the one it names.
    public let origin: String?
    /// The largest response body accepted.
    public var maxResponseBytes = 64 * 1024 * 1024
    let http: HTTPClient

    /// `monitoringURL` may be given with or without a trailing slash.
    public init(monitoringURL: String, publicKey: VerifyingKey, origin: String? = nil, httpClient: HTTPClient = .shared) {
        var prefix = monitoringURL
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.monitoringURL = prefix
        self.publicKey = publicKey
        self.origin = origin
        self.http = httpClient
    }

    /// Fetches the checkpoint and verifies it (see `verifyCheckpoint(_:)`).
    public func checkpoint() async throws -> VerifiedCheckpoint {
        let bytes = try await fetch("checkpoint")
        guard let note = String(validating: bytes, as: UTF8.self) else {
            throw LogClientError(.badCheckpoint, "the checkpoint is not UTF-8 text")
        }
        return try verifyCheckpoint(note)
    }

    /// Verifies a checkpoint note, fetched or kept from earlier: a signed note (C2SP signed-note)
    /// whose text is a checkpoint without extension lines, of the expected origin when one was
    /// given, with an RFC 6962 note signature (key type 0x05, key ID SHA-256(origin || 0x0A || 0x05
    /// || log ID)[0:4]) whose TreeHeadSignature verifies with the log's key. Signatures of other
    /// keys (witnesses) are ignored. Throws `.badCheckpoint` naming what failed.
    public func verifyCheckpoint(_ text: String) throws -> VerifiedCheckpoint {
        let note: SignedNote
        let body: Checkpoint
        do {
            note = try SignedNote(parsing: text)
            body = try Checkpoint(text: note.text)
        } catch {
            throw LogClientError(.badCheckpoint, "the checkpoint is not a signed checkpoint note: \(error)")
        }
        if let origin, body.origin != origin {
            throw LogClientError(.badCheckpoint, "the checkpoint's origin is \"\(body.origin)\", want \"\(origin)\"")
        }
        if body.treeSize == 0 && body.rootHash != Hash.emptyTree {
            throw LogClientError(.badCheckpoint, "the checkpoint of size 0 has root \(body.rootHash), want \(Hash.emptyTree)")
        }
        let verifier = NoteVerifierKey(rfc6962Origin: body.origin, key: publicKey)
        let lines = note.signatures.filter { $0.keyName == body.origin && $0.keyID == verifier.keyID }
        guard !lines.isEmpty else {
            let found = note.signatures.map { "\($0.keyName)/\(Hex.encode($0.keyID))" }.joined(separator: ", ")
            throw LogClientError(.badCheckpoint,
                "no signature of \(body.origin) with the log key's ID \(Hex.encode(verifier.keyID)); the note is signed by \(found)")
        }
        for line in lines {
            let treeHead: SignedTreeHead
            do {
                treeHead = try RFC6962NoteSignature.treeHead(of: note, signature: line)
            } catch {
                throw LogClientError(.badCheckpoint, "the signature of \(body.origin) is not an RFC 6962 note signature: \(error)")
            }
            if treeHead.verify(key: publicKey) {
                return VerifiedCheckpoint(origin: body.origin, treeHead: treeHead, note: text)
            }
        }
        throw LogClientError(.badCheckpoint,
            "the signature of \(body.origin) (key ID \(Hex.encode(verifier.keyID))) on the checkpoint of size \(body.treeSize) does not verify with the log's key")
    }

    /// Hash tile `id`, `width` hashes wide (256 for a full tile). Throws `.badTile` unless the
    /// body is exactly `width` hashes; the hashes themselves are not checked here.
    ///
    /// Precondition: `width` is 1...256.
    public func hashTile(_ id: TileID, width: Int = TileID.width) async throws -> [Hash] {
        let path = Self.path(.hashes(level: id.level), index: id.index, width: width)
        let bytes = try await fetch(path.description)
        guard bytes.count == width * 32 else {
            throw LogClientError(.badTile, "\(path) has \(bytes.count) bytes, want \(width * 32) for \(width) hashes")
        }
        return Hash.split(bytes)
    }

    /// Data tile `index`, `width` entries wide (256 for a full tile), parsed. Throws `.badTile`
    /// unless it is exactly `width` TileLeaf entries; they are not checked against the tree here.
    ///
    /// Precondition: `width` is 1...256.
    public func dataTile(index: UInt64, width: Int = TileID.width) async throws -> [TileLeaf] {
        let path = Self.path(.data, index: index, width: width)
        let leaves: [TileLeaf]
        do {
            leaves = try TileLeaf.parseAll(try await fetch(path.description))
        } catch let error as FormatError {
            throw LogClientError(.badTile, "\(path) does not parse: \(error)")
        }
        guard leaves.count == width else {
            throw LogClientError(.badTile, "\(path) holds \(leaves.count) entries, want \(width)")
        }
        return leaves
    }

    /// The issuer certificate (DER) with this SHA-256 fingerprint. Throws `.badIssuer` unless the
    /// bytes served hash to it.
    public func issuer(fingerprint: [UInt8]) async throws -> [UInt8] {
        let der = try await fetch("issuer/\(Hex.encode(fingerprint))")
        let hash = SHA256.hash(der)
        guard hash == fingerprint else {
            throw LogClientError(.badIssuer, "issuer/\(Hex.encode(fingerprint)) serves a certificate whose SHA-256 is \(Hex.encode(hash))")
        }
        return der
    }

    // MARK: Plumbing

    static func path(_ kind: TilePath.Kind, index: UInt64, width: Int) -> TilePath {
        precondition((1...TileID.width).contains(width), "tile width \(width) outside 1...\(TileID.width)")
        return TilePath(kind: kind, index: index, partialWidth: width == TileID.width ? nil : width)
    }

    private func fetch(_ path: String) async throws -> [UInt8] {
        try await HTTPFetcher(http: http, maxResponseBytes: maxResponseBytes).fetch("\(monitoringURL)/\(path)", name: path)
    }
}
