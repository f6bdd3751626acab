/// An error of the LevelDB log store itself. LevelDB's own failures (I/O, a closed or
/// locked database) arrive as `LevelDBError`.
public struct StorageError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// `commit` refused a batch that cannot follow the stored tree head; nothing was
        /// written. This is a bug in the caller, never a reason to retry the same batch.
        case invalidBatch
        /// The directory holds a store of a format this build does not read, or data that
        /// is not a log store at all.
        case unsupportedFormat
        /// A stored value has a shape this build never writes.
        case corrupted
        /// A write failed earlier, so the store refuses further commits; reopen it to
        /// continue from what is durably stored.
        case failed
        /// A file of a static export could not be created, read or written.
        case io
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "storage \(code.rawValue): \(message)" }

    public static func == (lhs: StorageError, rhs: StorageError) -> Bool { lhs.code == rhs.code }
}
