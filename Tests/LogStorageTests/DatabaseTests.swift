import Foundation
import LevelDB
import Testing

@Suite struct DatabaseTests {
    @Test func putGetDelete() async throws {
        try await withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/db")
            #expect(try db.get([1]) == nil)
            try db.put([1], [0xaa, 0xbb], sync: false)
            try db.put([], [0xcc], sync: false)
            try db.put([2], [], sync: false)
            #expect(try db.get([1]) == [0xaa, 0xbb])
            #expect(try db.get([]) == [0xcc], "the empty key is a key like any other")
            #expect(try db.get([2]) == [], "an empty value is present, not absent")
            try db.delete([1], sync: false)
            #expect(try db.get([1]) == nil)
            try db.delete([9], sync: false)  // deleting an absent key is fine
        }
    }

    /// A lent value is the value `get` copies out, through the database and a snapshot alike;
    /// an absent key never calls the body, and what the body throws is thrown.
    @Test func aLentValueIsTheStoredOne() async throws {
        try await withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/db")
            let large = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try db.put([1], large, sync: false)
            try db.put([2], [], sync: false)
            let snapshot = try db.makeSnapshot()
            try db.put([1], [7], sync: false)
            #expect(try db.withValue([1], Array.init) == [7])
            #expect(try snapshot.withValue([1], Array.init) == large, "the snapshot lends the value it froze")
            #expect(try db.withValue([2], { $0.count }) == 0, "an empty value is lent, not absent")
            var called = false
            #expect(try db.withValue([3], { _ in called = true }) == nil)
            #expect(!called)
            #expect(throws: CancellationError.self) { try db.withValue([1], { _ in throw CancellationError() }) }
            db.close()
            #expect(throws: LevelDBError.self) { try db.withValue([1], { $0.count }) }
        }
    }

    @Test func batchIsAppliedWhole() async throws {
        try await withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/db")
            try db.put([0], [0], sync: false)
            let batch = WriteBatch()
            for key in UInt64(1)...100 { batch.put(bigEndian(key), [UInt8(key)]) }
            batch.delete([0])
            batch.put([5], [1])
            batch.put([5], [2])
            #expect(batch.count == 103)
            let snapshot = try db.makeSnapshot()
            #expect(try db.get(bigEndian(1)) == nil, "nothing of a batch is visible before the write")
            try db.write(batch, sync: true)
            #expect(try db.scan(prefix: [0, 0, 0, 0, 0, 0, 0]).count == 100)
            #expect(try db.get([0]) == nil)
            #expect(try db.get([5]) == [2], "edits apply in order")
            #expect(try snapshot.get(bigEndian(50)) == nil, "a snapshot from before the batch sees none of it")
            #expect(try snapshot.get([0]) == [0])
            batch.clear()
            #expect(batch.count == 0 && batch.byteCount == 0)
        }
    }

    @Test func iterationIsInByteOrderAndBounded() async throws {
        try await withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/db")
            let keys: [[UInt8]] = [[0x02], [0x01, 0xff], [0x01], [0x01, 0x00], [0x00, 0xff, 0xff], [0xff]]
            for key in keys { try db.put(key, key, sync: false) }
            let all = try db.scan(from: [], to: nil)
            #expect(all.map(\.key) == keys.sorted { $0.lexicographicallyPrecedes($1) })
            #expect(all.allSatisfy { $0.key == $0.value })
            #expect(try db.scan(from: [0x01], to: [0x02]).map(\.key) == [[0x01], [0x01, 0x00], [0x01, 0xff]])
            #expect(try db.scan(from: [0x01, 0x00], to: [0x02], limit: 1).map(\.key) == [[0x01, 0x00]])
            #expect(try db.scan(prefix: [0x01]).count == 3)
            #expect(try db.scan(prefix: [0xff]).map(\.key) == [[0xff]], "an all-0xff prefix scans to the end")
            #expect(try db.scan(from: [0x03], to: [0x04]).isEmpty)

            let iterator = try db.makeIterator(fillCache: false)
            #expect(!iterator.isValid, "a new iterator is unpositioned")
            iterator.seekToLast()
            #expect(iterator.key == [0xff])
            iterator.previous()
            #expect(iterator.key == [0x02])
            iterator.seek(to: [0x01, 0x01])
            #expect(iterator.key == [0x01, 0xff])
            try iterator.checkError()
        }
    }

    @Test func snapshotHidesLaterWrites() async throws {
        try await withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/db")
            try db.put([1], [1], sync: false)
            let snapshot = try db.makeSnapshot()
            let iterator = try db.makeIterator(fillCache: true)  // also a consistent view
            try db.put([1], [2], sync: false)
            try db.put([2], [2], sync: false)
            try db.delete([1], sync: false)
            #expect(try snapshot.get([1]) == [1])
            #expect(try snapshot.get([2]) == nil)
            #expect(try snapshot.scan(from: [], to: nil) == [KeyValue(key: [1], value: [1])])
            iterator.seekToFirst()
            #expect(iterator.key == [1] && iterator.value == [1])
            iterator.next()
            #expect(!iterator.isValid)
            #expect(try db.scan(from: [], to: nil) == [KeyValue(key: [2], value: [2])])
        }
    }

    @Test func reopenSeesSyncedAndUnsyncedWrites() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let db = try Database(path: dir + "/db")
                try db.put([1], [1], sync: true)
                try db.put([2], [2], sync: false)
                db.close()
                #expect(!db.isOpen)
            }
            let db = try Database(path: dir + "/db")
            #expect(try db.get([1]) == [1])
            #expect(try db.get([2]) == [2], "a process that closes cleanly loses nothing")
        }
    }

    @Test func secondOpenOfALockedDatabaseFails() async throws {
        try await withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/db")
            let error = #expect(throws: LevelDBError.self) { try Database(path: dir + "/db") }
            #expect(error?.code == .open)
            #expect(error?.message.contains("already open") == true, "\(String(describing: error))")
            db.close()
            _ = try Database(path: dir + "/db")  // the LOCK is released by close()
        }
    }

    @Test func openingHonoursExistenceOptions() async throws {
        try await withTemporaryDirectory { dir in
            var options = Database.Options()
            options.createIfMissing = false
            let missing = #expect(throws: LevelDBError.self) { try Database(path: dir + "/db", options: options) }
            #expect(missing?.code == .open)
            _ = try Database(path: dir + "/db")  // created, and closed again at once
            options.createIfMissing = true
            options.errorIfExists = true
            let exists = #expect(throws: LevelDBError.self) { try Database(path: dir + "/db", options: options) }
            #expect(exists?.code == .open)
        }
    }

    @Test func callsAfterCloseThrow() async throws {
        try await withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/db")
            try db.put([1], [1], sync: false)
            let snapshot = try db.makeSnapshot()
            db.close()
            db.close()
            #expect(throws: LevelDBError(.closed, "")) { try db.get([1]) }
            #expect(throws: LevelDBError(.closed, "")) { try db.put([1], [1], sync: false) }
            #expect(throws: LevelDBError(.closed, "")) { try db.write(WriteBatch(), sync: true) }
            #expect(try snapshot.get([1]) == [1], "a live snapshot keeps the files open")
        }
    }

    @Test func maintenanceCalls() async throws {
        try await withTemporaryDirectory { dir in
            var options = Database.Options()
            options.writeBufferBytes = 64 << 10
            let db = try Database(path: dir + "/db", options: options)
            let value = [UInt8](repeating: 7, count: 1000)
            for key in UInt64(0)..<2000 { try db.put(bigEndian(key), value, sync: false) }
            try db.compact(from: nil, to: nil)
            #expect(try db.property("leveldb.stats")?.contains("Compactions") == true)
            #expect(try db.property("leveldb.no-such-property") == nil)
            let size = try db.approximateSize(from: bigEndian(0), to: bigEndian(2000))
            #expect(size > 0)
            #expect(size < 2000 * 1000, "snappy shrinks runs of equal bytes; got \(size)")
        }
    }
}
