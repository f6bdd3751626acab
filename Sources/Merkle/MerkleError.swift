/// A Merkle computation refused its input: a proof, size or index from the network, or tiles from storage.
///
/// Errors compare equal by `code`: branch on the code, read the message. Broken internal
/// invariants are not errors; they trap.
public struct MerkleError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The proof does not prove the claim: wrong number of hashes, or it leads to another root.
        case invalidProof
        /// A tree size is impossible for the request (for example a consistency proof from size 0).
        case invalidSize
        /// A leaf index is not inside the tree.
        case invalidIndex
        /// A tile the computation needs is absent or shorter than the tree size requires.
        case missingTile
        /// A compact range's hashes do not fit its size.
        case invalidRange
    }

    public let code: Code
    /// What failed and why, with the numbers involved.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func invalidProof(_ message: String) -> MerkleError { MerkleError(.invalidProof, message) }
    public static func invalidSize(_ message: String) -> MerkleError { MerkleError(.invalidSize, message) }
    public static func invalidIndex(_ message: String) -> MerkleError { MerkleError(.invalidIndex, message) }
    public static func missingTile(_ message: String) -> MerkleError { MerkleError(.missingTile, message) }
    public static func invalidRange(_ message: String) -> MerkleError { MerkleError(.invalidRange, message) }

    /// Equal when the codes are: messages are for people.
    public static func == (lhs: MerkleError, rhs: MerkleError) -> Bool { lhs.code == rhs.code }

    public var description: String { "\(code): \(message)" }
}
