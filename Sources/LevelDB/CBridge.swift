internal import CLevelDB

/// Calls `body` with a C view of `bytes`. leveldb requires non-null pointers even
/// for empty keys and values, so an empty array is passed as a pointer to a zero
/// byte with length 0.
func withCBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>, Int) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes { raw in
        if let base = raw.baseAddress, raw.count > 0 {
            return try body(base.assumingMemoryBound(to: CChar.self), raw.count)
        }
        return try withUnsafePointer(to: CChar(0)) { try body($0, 0) }
    }
}

/// Copies `count` bytes that leveldb owns into a Swift array.
func copyBytes(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> [UInt8] {
    guard let pointer, count > 0 else { return [] }
    return Array(UnsafeRawBufferPointer(start: pointer, count: count))
}

/// Runs a leveldb call that reports failure through a `char** errptr`, and turns a
/// reported error into a `LevelDBError` whose message is `describe(leveldb's message)`.
/// The error string leveldb allocated is freed with `leveldb_free`.
func checkingError<R>(
    _ code: LevelDBError.Code,
    _ describe: (String) -> String,
    _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R
) throws -> R {
    var error: UnsafeMutablePointer<CChar>? = nil
    let result = body(&error)
    if let error {
        let message = String(cString: error)
        leveldb_free(error)
        throw LevelDBError(code, describe(message))
    }
    return result
}
