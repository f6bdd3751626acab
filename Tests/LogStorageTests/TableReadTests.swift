import Foundation
import LevelDB
import LogStorage
import Testing

/// Table files read through memory maps or with pread: the same bytes either way, and only
/// the mapped reads leave the tables in the process's address space.
@Suite struct TableReadTests {
    /// A value no compression shrinks, different for every key.
    private static func value(_ key: UInt64) -> [UInt8] {
        var state = key &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<600).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    private static let count: UInt64 = 3000

    /// Writes `count` keys into compacted tables, reopens the database read `reads`, reads
    /// every key back and returns how many mappings of the directory's table files the
    /// process then holds.
    private func readBack(_ reads: Database.TableReads) async throws -> Int {
        try await withTemporaryDirectory { dir in
            let path = dir + "/db"
            var options = Database.Options()
            options.writeBufferBytes = 64 << 10
            do {
                let db = try Database(path: path, options: options)
                for key in 0..<Self.count { try db.put(bigEndian(key), Self.value(key), sync: false) }
                try db.compact(from: nil, to: nil)
                db.close()
            }
            let tables = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".ldb") }
            #expect(tables.count > 1, "the test needs several table files; got \(tables)")
            options.tableReads = reads
            let db = try Database(path: path, options: options)
            for key in (0..<Self.count).reversed() {
                let got = try db.get(bigEndian(key))
                #expect(got == Self.value(key), "key \(key) read \(reads)")
            }
            #expect(try db.get(bigEndian(Self.count)) == nil)
            #expect(try db.scan(from: [], to: nil, limit: Int(Self.count) + 1).count == Int(Self.count))
            let mappings = try Self.mappings(ofTablesIn: path)
            db.close()
            return mappings
        }
    }

    /// How many of the process's mappings are of `directory`'s table files. The kernel names a
    /// mapped file by its resolved path, which differs from `directory` when the temporary
    /// directory is reached through a symbolic link, so mappings are matched by inode and name.
    private static func mappings(ofTablesIn directory: String) throws -> Int {
        var tables: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".ldb") {
            var status = stat()
            #expect(stat(directory + "/" + name, &status) == 0, "stat \(name)")
            tables.insert("\(status.st_ino) \(name)")
        }
        // Read to the end: the kernel hands /proc/self/maps out a page at a time, and
        // String(contentsOfFile:) stops after the first read.
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/maps"))
        defer { try? handle.close() }
        let maps = try handle.readToEnd() ?? Data()
        // address perms offset device inode path
        return String(decoding: maps, as: UTF8.self).split(separator: "\n").filter { line in
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, let name = fields[5].split(separator: "/").last else { return false }
            return tables.contains("\(fields[4]) \(name)")
        }.count
    }

    @Test func mappedReadsMapTheTables() async throws {
        #expect(try await readBack(.mapped) > 0, "leveldb's default maps the tables it reads")
    }

    @Test func preadReadsMapNothing() async throws {
        #expect(try await readBack(.pread()) == 0)
    }

    /// With no descriptors to keep, every read opens its table file, reads and closes it; with
    /// one, the first table opened keeps its descriptor and the others open for each read.
    @Test func preadWithoutDescriptorsOpensForEachRead() async throws {
        #expect(try await readBack(.pread(descriptors: 0)) == 0)
        #expect(try await readBack(.pread(descriptors: 1)) == 0)
    }

    /// A log store reads its tables with pread, so its resident set is its own memory.
    @Test func logStoresReadWithPread() {
        #expect(LevelDBStorage.defaultDatabaseOptions.tableReads == .pread())
    }
}
