/// An error from LevelDB: the operation that failed and LevelDB's own message.
///
/// Branch on `code`; `message` says what failed and why, for people.
public struct LevelDBError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The database could not be opened: missing, already exists, locked, corrupt.
        case open
        /// A point read or a property read failed.
        case read
        /// A put, delete or batch write failed; nothing of that write is visible.
        case write
        /// An iterator hit an error while scanning (I/O or corruption).
        case iterate
        /// The database was closed before the call.
        case closed
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "leveldb \(code.rawValue): \(message)" }

    public static func == (lhs: LevelDBError, rhs: LevelDBError) -> Bool { lhs.code == rhs.code }
}
