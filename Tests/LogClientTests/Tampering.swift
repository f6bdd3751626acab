import Foundation
import Hummingbird
import LogFormat
import PKI

/// One way a test server lies: it changes one byte of what it serves at one path, keeping
/// the body's length, so that only a verifying client can tell.
enum Tampering: String, CaseIterable, Sendable {
    /// A hash in the first full level-0 tile.
    case levelZeroTile
    /// A certificate byte of the first entry of the first full data tile.
    case dataTile
    /// A certificate byte of the first entry of the partial data tile at the right edge.
    case edgeDataTile
    /// A hash in the partial level-1 tile.
    case levelOneTile
    /// A byte of the intermediate certificate served under its fingerprint.
    case issuer
    /// A byte of the ECDSA signature inside the checkpoint's note signature.
    case checkpointSignature
    /// A certificate byte of the first entry of every get-entries answer.
    case getEntries

    /// The path below the monitoring prefix (or the log URL) whose body changes, in the log of `TestLog.standard`.
    func target(issuer fingerprint: [UInt8]) -> String {
        switch self {
        case .levelZeroTile: "tile/0/000"
        case .dataTile: "tile/data/000"
        case .edgeDataTile: "tile/data/002.p/93"
        case .levelOneTile: "tile/1/000.p/2"
        case .issuer: "issuer/\(Hex.encode(fingerprint))"
        case .checkpointSignature: "checkpoint"
        case .getEntries: "ct/v1/get-entries"
        }
    }

    /// The body as served after tampering.
    func apply(to body: [UInt8]) -> [UInt8] {
        var body = body
        switch self {
        case .levelZeroTile: body[3 * 32 + 7] ^= 0x01
        // TileLeaf: timestamp (8), entry type (2), certificate length (3), then the certificate.
        case .dataTile, .edgeDataTile: body[8 + 2 + 3 + 20] ^= 0x01
        case .levelOneTile: body[32 + 9] ^= 0x01
        case .issuer: body[body.count / 2] ^= 0x01
        case .checkpointSignature: body = Self.flippingSignature(body)
        case .getEntries: body = Self.flippingFirstLeafInput(body)
        }
        return body
    }

    /// Flips the last byte of the DigitallySigned in the note's signature line: still a
    /// well-formed note and DER signature, no longer a valid one.
    private static func flippingSignature(_ body: [UInt8]) -> [UInt8] {
        let text = String(decoding: body, as: UTF8.self)
        guard let note = try? SignedNote(parsing: text), var signature = note.signatures.first else { return body }
        signature.signature[signature.signature.count - 1] ^= 0x01
        return Array(SignedNote(text: note.text, signatures: [signature]).encoded.utf8)
    }

    /// Flips a certificate byte in the first leaf_input, re-encoded in place (base64 keeps the length).
    private static func flippingFirstLeafInput(_ body: [UInt8]) -> [UInt8] {
        guard let response = try? JSONDecoder().decode(GetEntriesResponse.self, from: Data(body)),
              let first = response.entries.first, var leafInput = try? first.leafInputBytes() else { return body }
        // MerkleTreeLeaf: version, leaf type, timestamp (8), entry type (2), certificate length (3), certificate.
        leafInput[1 + 1 + 8 + 2 + 3 + 20] ^= 0x01
        let text = String(decoding: body, as: UTF8.self)
        let tampered = text.replacingOccurrences(of: first.leafInput, with: Data(leafInput).base64EncodedString())
        return Array(tampered.utf8)
    }
}

/// Serves `/tampered/<case>/<path>` like `/<path>`, applying the case's tampering to its target path.
struct TamperingMiddleware<Context: RequestContext>: RouterMiddleware {
    let issuerFingerprint: [UInt8]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let elements = request.uri.path.split(separator: "/", maxSplits: 2)
        guard elements.count == 3, elements[0] == "tampered", let tampering = Tampering(rawValue: String(elements[1])),
              elements[2] == tampering.target(issuer: issuerFingerprint), response.status == .ok else {
            return response
        }
        response.body = response.body.map { buffer in
            ByteBuffer(bytes: tampering.apply(to: Array(buffer.readableBytesView)))
        }
        return response
    }
}
