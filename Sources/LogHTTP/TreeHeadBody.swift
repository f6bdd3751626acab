import Foundation
import LogCore
import LogFormat
import NIOCore
import Synchronization

/// The get-sth answer, encoded once for each tree head rather than once a request: the head
/// changes once a sequencing interval at most, and get-sth is what every monitor and auditor
/// polls.
///
/// Owner: `latest`'s mutex, held only to read or replace the pair.
final class TreeHeadBody: Sendable {
    private let latest = Mutex<(head: StoredTreeHead, body: ByteBuffer)?>(nil)

    /// The RFC 6962 section 4.3 JSON of `head`.
    func body(for head: StoredTreeHead) -> ByteBuffer {
        if let cached = latest.withLock({ $0 }), cached.head == head { return cached.body }
        let body = ByteBuffer(bytes: GetSTHResponse(
            treeSize: head.treeSize, timestamp: head.timestamp,
            sha256RootHash: Data(head.rootHash.bytes).base64EncodedString(),
            treeHeadSignature: Data(head.signature).base64EncodedString()).jsonBytes())
        latest.withLock { $0 = (head, body) }
        return body
    }
}
