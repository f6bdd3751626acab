import Synchronization

/// The tree head the log serves. Owner: the sequencer writes it, only after the head is
/// durably committed; readers take a copy and never look past its size.
final class PublishedTreeHead: Sendable {
    private let head: Mutex<StoredTreeHead>

    init(_ initial: StoredTreeHead) {
        head = Mutex(initial)
    }

    var current: StoredTreeHead { head.withLock { $0 } }

    /// Publishes `newHead`. Precondition: it does not shrink the tree (the tree head never goes backwards).
    func set(_ newHead: StoredTreeHead) {
        head.withLock { head in
            precondition(newHead.treeSize >= head.treeSize, "tree head would shrink from \(head.treeSize) to \(newHead.treeSize)")
            head = newHead
        }
    }
}
