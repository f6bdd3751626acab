import Foundation

/// Runs `body` with the path of a fresh, empty directory and removes the directory
/// afterwards, whether `body` returns or throws.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("vigil-storage-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url.path)
}

/// Big-endian bytes of `value`, for building ordered test keys.
func bigEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
}
