import LevelDB
import LogStorage
import NIOPosix

/// Opens a store in `directory`/store on the shared thread pool.
func openStore(_ directory: String) async throws -> LevelDBStorage {
    try await LevelDBStorage.open(path: directory + "/store", threadPool: .singleton)
}

/// Every raw key and value of the closed store in `directory`, read with LevelDB
/// directly, for checking the on-disk layout.
func rawContents(_ directory: String) throws -> [KeyValue] {
    var options = Database.Options()
    options.createIfMissing = false
    let database = try Database(path: directory + "/store", options: options)
    defer { database.close() }
    return try database.scan(from: [], to: nil)
}
