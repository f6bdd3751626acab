import LogServer
import LogStorage
import NIOPosix

/// Opening the store of a log that no server runs, for the offline commands (`check`, `export`).
enum StoppedLog {
    /// Runs `body` with the existing LevelDB store of data folder `data` and its thread pool, then
    /// closes both, whether `body` returns or throws. A missing store is an error, never created.
    static func withStore<Result>(
        data: String, _ body: (LevelDBStorage, NIOThreadPool) async throws -> Result
    ) async throws -> Result {
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        var options = LevelDBStorage.defaultDatabaseOptions
        options.createIfMissing = false
        let result: Result
        do {
            let storage = try await LevelDBStorage.open(path: LogSetup.storePath(dataPath: data), threadPool: threadPool, options: options)
            do {
                result = try await body(storage, threadPool)
                await storage.close()
            } catch {
                await storage.close()
                throw error
            }
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
        try await threadPool.shutdownGracefully()
        return result
    }
}
