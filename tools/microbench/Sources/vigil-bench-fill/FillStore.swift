import Foundation
import LogStorage
import NIOPosix

/// Where a data folder keeps its LevelDB store, and opening it, as `vigil-log` does.
enum FillStore {
    /// `vigil-log serve --data DIR` reads DIR/leveldb (`LogSetup.storePath`).
    static func storePath(dataPath: String) -> String {
        URL(fileURLWithPath: dataPath).appendingPathComponent("leveldb").path
    }

    /// The metadata names `Log.open` keeps (Specs/storage.md).
    static let publicKeyMetadata = "public-key"
    static let originMetadata = "origin"

    /// Runs `body` with the store of data folder `dataPath` (created when `create`), then closes it.
    static func withStore<Result>(dataPath: String, create: Bool, threadPool: NIOThreadPool,
                                  _ body: (LevelDBStorage) async throws -> Result) async throws -> Result {
        if create {
            try FileManager.default.createDirectory(atPath: dataPath, withIntermediateDirectories: true)
        }
        var options = LevelDBStorage.defaultDatabaseOptions
        options.createIfMissing = create
        let storage = try await LevelDBStorage.open(path: storePath(dataPath: dataPath), threadPool: threadPool, options: options)
        do {
            let result = try await body(storage)
            await storage.close()
            return result
        } catch {
            await storage.close()
            throw error
        }
    }
}
