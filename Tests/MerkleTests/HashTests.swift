import Merkle
import Testing

struct HashTests {
    /// `split` reads hash i from bytes 32i ..< 32i + 32, whichever way the bytes are held, and
    /// `concatenation` puts them back.
    @Test(arguments: [0, 1, 2, 30, 256])
    func splitReadsEachHashFromItsOwnBytes(count: Int) {
        let bytes = (0..<32 * count).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ $0 >> 8) }
        let hashes = Hash.split(bytes)
        #expect(hashes.count == count)
        for (i, hash) in hashes.enumerated() {
            #expect(hash.bytes == Array(bytes[32 * i..<32 * i + 32]), "hash \(i)")
        }
        #expect(bytes.withUnsafeBytes { Hash.split($0) } == hashes)
        #expect(Hash.concatenation(of: hashes) == bytes)
    }
}
