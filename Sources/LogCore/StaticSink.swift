/// Where an exported static-ct-api tree goes: a folder, an object store. Paths are relative to
/// the monitoring prefix, without a leading slash (`checkpoint`, `tile/0/x001/234`, `issuer/<hex>`).
///
/// Contract: `write` replaces the whole file atomically, so a reader sees the old bytes or the new
/// ones, never a mix; `exists` and `read` see every write that returned.
public protocol StaticSink: Sendable {
    func exists(_ path: String) async throws -> Bool
    func read(_ path: String) async throws -> [UInt8]?
    func write(_ path: String, _ bytes: [UInt8]) async throws
}
