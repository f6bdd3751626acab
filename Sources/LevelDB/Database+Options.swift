extension Database {
    /// How a database is opened and tuned. The defaults suit a log: point lookups by
    /// hash (bloom filter), snappy-compressed blocks, an 8 MiB block cache.
    public struct Options: Sendable, Equatable {
        /// Create the database directory and files when they do not exist.
        public var createIfMissing = true
        /// Refuse to open a database that already exists.
        public var errorIfExists = false
        /// Stop at the first sign of corruption instead of skipping damaged data: a
        /// damaged write-ahead-log record fails `open` rather than being dropped. An
        /// incomplete record at the very end of the log (a write cut short by a crash)
        /// is never an error.
        public var paranoidChecks = false
        /// Verify block checksums on every read, not only during compaction.
        public var verifyChecksums = false
        /// Capacity of the LRU cache of uncompressed blocks, in bytes.
        public var blockCacheBytes = 8 << 20
        /// Bytes buffered in the memtable (and its write-ahead log) before it is
        /// written out as a sorted table.
        public var writeBufferBytes = 4 << 20
        /// Table files kept open at once.
        public var maxOpenFiles = 1000
        /// How table files are read.
        public var tableReads = TableReads.mapped
        /// Snappy-compress blocks. leveldb falls back to storing a block uncompressed
        /// when it was built without snappy or when compression does not pay.
        public var compression = true
        /// Bits per key of a bloom filter on every table, which spares most disk reads
        /// for keys that are absent; nil for no filter. 10 gives about 1% false positives.
        public var bloomFilterBitsPerKey: Int? = 10

        public init() {}
    }

    /// How a database reads its table files.
    public enum TableReads: Sendable, Equatable {
        /// Through memory maps, as leveldb does for up to 1000 tables (its default). Every
        /// page a read touched counts in the process's resident set.
        case mapped
        /// With pread(2): the pages read stay in the kernel's page cache, outside the
        /// resident set, for a system call and a copy each block read. An open table keeps
        /// its descriptor while `descriptors` allows, else its file is opened for each read.
        /// nil shares one budget across the process: a fifth of its limit on open files, after
        /// the first such database raised the soft limit to the hard one (up to 1,048,576).
        case pread(descriptors: Int? = nil)
    }
}
