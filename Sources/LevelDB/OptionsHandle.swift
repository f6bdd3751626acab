internal import CLevelDB
internal import CLevelDBEnv

/// Owns a `leveldb_options_t` and the cache, filter policy and environment it points to, which
/// must outlive every database opened with it (the database handle keeps this alive).
///
/// Safety: the pointers are set up in `init`, never changed afterwards and only read
/// by leveldb, so sharing this object across threads is safe.
final class OptionsHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    private let cache: CacheHandle
    private let filterPolicy: FilterPolicyHandle?
    /// The pread environment of `TableReads.pread`; nil for leveldb's default one.
    private let environment: PreadEnvironmentHandle?

    init(_ options: Database.Options) {
        precondition(options.blockCacheBytes >= 0, "negative block cache size")
        precondition(options.writeBufferBytes > 0, "write buffer size must be positive")
        precondition(options.maxOpenFiles > 0, "max open files must be positive")
        pointer = leveldb_options_create()
        cache = CacheHandle(capacity: options.blockCacheBytes)
        filterPolicy = options.bloomFilterBitsPerKey.map(FilterPolicyHandle.init(bloomBitsPerKey:))
        leveldb_options_set_create_if_missing(pointer, options.createIfMissing ? 1 : 0)
        leveldb_options_set_error_if_exists(pointer, options.errorIfExists ? 1 : 0)
        leveldb_options_set_paranoid_checks(pointer, options.paranoidChecks ? 1 : 0)
        leveldb_options_set_cache(pointer, cache.pointer)
        leveldb_options_set_write_buffer_size(pointer, options.writeBufferBytes)
        leveldb_options_set_max_open_files(pointer, Int32(clamping: options.maxOpenFiles))
        leveldb_options_set_compression(
            pointer, Int32(options.compression ? leveldb_snappy_compression : leveldb_no_compression))
        switch options.tableReads {
        case .mapped:
            environment = nil
        case .pread(let descriptors):
            let environment = PreadEnvironmentHandle(descriptors: descriptors)
            leveldb_options_set_env(pointer, environment.pointer)
            self.environment = environment
        }
        if let filterPolicy {
            leveldb_options_set_filter_policy(pointer, filterPolicy.pointer)
        }
    }

    deinit { leveldb_options_destroy(pointer) }
}

/// Owns a leveldb LRU block cache.
final class CacheHandle {
    let pointer: OpaquePointer

    init(capacity: Int) { pointer = leveldb_cache_create_lru(capacity) }

    deinit { leveldb_cache_destroy(pointer) }
}

/// Owns a leveldb bloom filter policy.
final class FilterPolicyHandle {
    let pointer: OpaquePointer

    init(bloomBitsPerKey: Int) {
        precondition(bloomBitsPerKey > 0, "bloom filter needs a positive number of bits per key")
        pointer = leveldb_filterpolicy_create_bloom(Int32(clamping: bloomBitsPerKey))
    }

    deinit { leveldb_filterpolicy_destroy(pointer) }
}

/// Owns a leveldb environment that reads table files with pread (Sources/CLevelDBEnv).
final class PreadEnvironmentHandle {
    let pointer: OpaquePointer

    /// `descriptors` nil shares the process's descriptor budget.
    init(descriptors: Int?) {
        precondition((descriptors ?? 0) >= 0, "negative table file descriptor budget")
        pointer = vigil_leveldb_pread_env_create(descriptors.map { Int32(clamping: $0) } ?? -1)
    }

    deinit { vigil_leveldb_pread_env_destroy(pointer) }
}
