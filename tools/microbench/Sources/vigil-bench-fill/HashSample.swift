import Foundation
import Merkle

/// Keeps an evenly spread sample of the leaf hashes written, for a read load generator that calls
/// get-proof-by-hash: every `stride`-th new entry, at most `limit` of them.
struct HashSample {
    let stride: UInt64
    let limit: Int
    private let first: UInt64
    private(set) var hashes: [Hash] = []

    /// A sample of up to `limit` of the entries `first ..< first + count`.
    init(first: UInt64, count: UInt64, limit: Int) {
        precondition(limit > 0, "empty sample limit")
        self.first = first
        self.limit = limit
        stride = max(1, (count + UInt64(limit) - 1) / UInt64(limit))
        hashes.reserveCapacity(Int(min(count, UInt64(limit))))
    }

    mutating func offer(index: UInt64, leafHash: Hash) {
        guard (index - first) % stride == 0, hashes.count < limit else { return }
        hashes.append(leafHash)
    }

    /// Writes the sample to `path`: standard base64, one hash per line.
    func write(to path: String) throws {
        var text = ""
        text.reserveCapacity(hashes.count * 45)
        for hash in hashes {
            text += Data(hash.bytes).base64EncodedString()
            text += "\n"
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw FillError(.outputFailed, "cannot write \(hashes.count) hashes to \(path)")
        }
    }
}
