import Foundation
import HTTPTypes
import Hummingbird
import LogCore
import LogFormat
import Merkle
import NIOCore
import PKI

/// The C2SP static-ct-api monitoring endpoints of one log, mounted under `prefix` (the
/// monitoring prefix, "" for the root): `checkpoint`, `tile/<L>/<N>[.p/<W>]`,
/// `tile/data/<N>[.p/<W>]` and `issuer/<hex fingerprint>` (Specs/log-api.md).
public struct StaticRoutes: Sendable {
    public let log: Log
    public let prefix: String
    /// Data tiles built at once; the rest wait their turn (as get-entries answers do).
    let dataTileLimit: ConcurrencyLimit

    /// Full tiles and issuers never change.
    static let immutable = "public, max-age=31536000, immutable"
    /// The checkpoint changes every sequencing step; partial tiles are soon superseded.
    static let shortLived = "public, max-age=5"

    /// `maxConcurrentDataTiles` bounds the data tiles (up to 256 entries each) being built at
    /// once, by default two per core, which bounds the memory they take under load.
    public init(log: Log, prefix: String = "", maxConcurrentDataTiles: Int = 2 * System.coreCount) {
        self.log = log
        self.prefix = prefix
        dataTileLimit = ConcurrencyLimit(limit: max(1, maxConcurrentDataTiles))
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        let log = self.log
        let dataTileLimit = self.dataTileLimit
        router.get(RouterPath("\(prefix)/checkpoint")) { _, _ in
            await HTTPStatusMapping.respond(retryAfterSeconds: 1) {
                Self.bytes(Array(try log.checkpoint().utf8), type: "text/plain; charset=utf-8", cache: "no-cache")
            }
        }
        router.get(RouterPath("\(prefix)/tile/**")) { _, context in
            await HTTPStatusMapping.respond(retryAfterSeconds: 1) {
                try await Self.tile(context.parameters.getCatchAll(), log: log, dataTileLimit: dataTileLimit)
            }
        }
        router.get(RouterPath("\(prefix)/issuer/:fingerprint")) { _, context in
            await HTTPStatusMapping.respond(retryAfterSeconds: 1) {
                let text = context.parameters.get("fingerprint") ?? ""
                guard text.count == 64, text == text.lowercased(), let fingerprint = Hex.decode(text) else {
                    throw LogError.badRequest("issuer fingerprint must be 64 lower-case hex digits")
                }
                return Self.bytes(try await log.issuer(fingerprint: fingerprint), type: "application/pkix-cert", cache: Self.immutable)
            }
        }
    }

    private static func tile(_ elements: [Substring], log: Log, dataTileLimit: ConcurrencyLimit) async throws -> Response {
        let path: TilePath
        do {
            path = try TilePath(elements: elements)
        } catch let error as FormatError {
            throw LogError.badRequest(error.message)
        }
        let width = path.partialWidth ?? TileID.width
        let cache = path.partialWidth == nil ? immutable : shortLived
        switch path.kind {
        case .hashes(let level):
            let hashes = try await log.hashTile(TileID(level: level, index: path.index), width: width)
            return bytes(Hash.concatenation(of: hashes), type: "application/octet-stream", cache: cache)
        case .data:
            return try await dataTileLimit.run {
                bytes(try await log.dataTile(index: path.index, width: width), type: "application/octet-stream", cache: cache)
            }
        }
    }

    private static func bytes(_ body: [UInt8], type: String, cache: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: cache],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
