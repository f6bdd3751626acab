import Foundation
import LogCore
import NIOPosix

/// A `StaticSink` that writes plain files under a folder, for nginx or an object-store upload to
/// serve (Specs/log-api.md, "Static export"). Each file is written to a temporary name and renamed
/// into place, so a web server reading concurrently sees a whole file or none. File calls run on the
/// injected thread pool, never on Swift's cooperative pool.
public struct DirectorySink: StaticSink {
    /// The folder that plays the monitoring prefix.
    public let root: URL
    private let threadPool: NIOThreadPool

    /// Creates `path` (and its parents) unless it exists.
    public init(path: String, threadPool: NIOThreadPool) throws {
        self.root = URL(fileURLWithPath: path, isDirectory: true)
        self.threadPool = threadPool
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.io, "cannot create the export folder \(path): \(error.localizedDescription)")
        }
    }

    public func exists(_ path: String) async throws -> Bool {
        let url = root.appendingPathComponent(path)
        return try await threadPool.runIfActive { FileManager.default.fileExists(atPath: url.path) }
    }

    public func read(_ path: String) async throws -> [UInt8]? {
        let url = root.appendingPathComponent(path)
        return try await threadPool.runIfActive {
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            do {
                return Array(try Data(contentsOf: url))
            } catch {
                throw StorageError(.io, "cannot read \(url.path): \(error.localizedDescription)")
            }
        }
    }

    public func write(_ path: String, _ bytes: [UInt8]) async throws {
        let url = root.appendingPathComponent(path)
        try await threadPool.runIfActive {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url, options: .atomic)
            } catch {
                throw StorageError(.io, "cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }
}
