internal import CLevelDB

/// Owns a `leveldb_readoptions_t`, optionally bound to a snapshot.
///
/// Safety: configured in `init`, never changed afterwards and only read by leveldb, so
/// concurrent reads may share it. It keeps its snapshot alive for as long as it lives.
final class ReadOptionsHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    private let snapshot: SnapshotHandle?

    init(verifyChecksums: Bool, fillCache: Bool = true, snapshot: SnapshotHandle? = nil) {
        pointer = leveldb_readoptions_create()
        self.snapshot = snapshot
        leveldb_readoptions_set_verify_checksums(pointer, verifyChecksums ? 1 : 0)
        leveldb_readoptions_set_fill_cache(pointer, fillCache ? 1 : 0)
        if let snapshot {
            leveldb_readoptions_set_snapshot(pointer, snapshot.pointer)
        }
    }

    deinit { leveldb_readoptions_destroy(pointer) }
}

/// Owns a `leveldb_writeoptions_t`.
///
/// Safety: configured in `init`, never changed afterwards and only read by leveldb, so
/// concurrent writes may share it.
final class WriteOptionsHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(sync: Bool) {
        pointer = leveldb_writeoptions_create()
        leveldb_writeoptions_set_sync(pointer, sync ? 1 : 0)
    }

    deinit { leveldb_writeoptions_destroy(pointer) }
}
