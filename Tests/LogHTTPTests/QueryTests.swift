import Foundation
import HummingbirdCore
import LogCore
@testable import LogHTTP
import Merkle
import Testing

/// `Query` scans the query itself; what it reads is what Hummingbird's `queryParameters`
/// dictionary (the parser it replaced) reads from the same URI.
struct QueryTests {
    static let queries = [
        "", "hash=abc&tree_size=5", "hash=ab%2Bc%2F%3D&tree_size=12", "tree_size=1&&hash=%20A",
        "hash&hash=1", "hash=&tree_size=", "hash=1&hash=2", "=x&hash=y", "a=1&hash%3D=2",
        "hash=%zz", "hash=%2", "hash=100%", "hash=caf%C3%A9", "hash=%FF%FE", "hash=a=b", "x=1",
        "tree_size=7&hash=%41%42%43", "hashes=1&hash=2", "ha=1&hash=3", "hash=1#x=2&tree_size=3", "hash=?1&x=?",
    ]

    @Test(arguments: queries)
    func readsWhatHummingbirdReads(_ query: String) {
        let uri = URI("/ct/v1/get-proof-by-hash" + (query.isEmpty ? "" : "?" + query))
        let reference = uri.queryParameters
        for name in ["hash", "tree_size", "x", "a", ""] {
            #expect(Query(uri).value(ifPresent: name) == reference[Substring(name)], "\(name) in \(query)")
        }
    }

    @Test func aHashIsReadPercentEncodedOrNotAndWithItsPlusSentAsASpace() throws {
        let hash = Hash(checking: Array(repeating: [0xfb, 0xff, 0xbf], count: 10).flatMap { $0 } + [1, 2])!
        let text = Data(hash.bytes).base64EncodedString()
        #expect(text.contains("+") && text.contains("/"))
        let encoded = text.replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F")
            .replacingOccurrences(of: "=", with: "%3D")
        for sent in [text, encoded, text.replacingOccurrences(of: "+", with: "%20")] {
            #expect(try Query(Substring("tree_size=3&hash=" + sent)).hash("hash") == hash, "\(sent)")
        }
    }

    @Test(arguments: [
        ("tree_size=1", "missing query parameter hash"), ("hash=AAAA", "decodes to 3 bytes, want 32"),
        ("hash=%zz", "is not base64"), ("hash=!!!!", "is not base64"),
    ])
    func aBadHashIsRefusedNamingTheProblem(_ query: String, _ message: String) {
        let error = #expect(throws: LogError.self) { try Query(Substring(query)).hash("hash") }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("start=12&end=0", "start", UInt64(12)), ("end=18446744073709551615", "end", .max),
        ("start=%31%32", "start", 12),
    ])
    func integersAreRead(_ query: String, _ name: String, _ value: UInt64) throws {
        #expect(try Query(Substring(query)).integer(name) == value)
    }

    @Test(arguments: ["start=", "start=-1", "start=1x", "start=+1", "start=18446744073709551616", "end=1"])
    func aBadIntegerIsRefused(_ query: String) {
        let error = #expect(throws: LogError.self) { try Query(Substring(query)).integer("start") }
        #expect(error?.code == .badRequest && error?.message.contains("start") == true)
    }
}
