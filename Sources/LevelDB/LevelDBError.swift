/// An error from LevelDB: the operation that failed and LevelDB's own message.
public struct LevelDBError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case open
        case read
        case write
        case iterate
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
