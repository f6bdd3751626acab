/// The LevelDB key layout of a log (Specs/storage.md). Every key starts with a
/// one-byte table prefix so tables never interleave and range scans stay inside one.
enum StorageKeys {
    /// Placeholder marker so the module has a home for its key layout; the layout is filled in with the store.
    static let version: UInt8 = 1
}
