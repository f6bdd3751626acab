import Synchronization

/// Runs at most `limit` bodies at once; later callers wait for a turn, in arrival order.
///
/// get-entries answers run to about 600 KB (256 entries in base64), and each is held in a few
/// forms while it is built; 256 built at once took the server past 1 GB of RSS. Building is
/// CPU-bound, so queueing beyond a few per core costs no throughput and bounds the memory.
/// A waiting caller waits even if its task is cancelled; its body then runs and ends early.
///
/// Owner: `state`'s mutex, held only to take or pass on a turn.
final class ConcurrencyLimit: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        precondition(limit > 0, "concurrency limit \(limit) must be positive")
        self.limit = limit
    }

    /// Runs `body` once fewer than `limit` others are running.
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state in
                guard state.running < limit else {
                    state.waiting.append(continuation)
                    return false
                }
                state.running += 1
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    /// Passes the turn to the longest waiter, or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
