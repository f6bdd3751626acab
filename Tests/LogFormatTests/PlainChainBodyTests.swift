import Foundation
import LogFormat
import Testing
import TestSupport

/// `PlainChainBody` reads only what the full decoder (JSONDecoder, then Foundation's base64)
/// reads, to the same chain: on generated bodies, on bodies of every other shape, and on byte
/// mutants of both.
@Suite struct PlainChainBodyTests {
    static func plain(_ text: String) -> [[UInt8]]? {
        Array(text.utf8).withUnsafeBytes(PlainChainBody.chain)
    }

    /// The chain the full decoder reads from `body`, or nil when it refuses the body.
    static func full(_ body: [UInt8]) -> [[UInt8]]? {
        try? JSONDecoder().decode(AddChainRequest.self, from: Data(body)).decodedChain()
    }

    @Test func generatedBodiesReadAsTheFullDecoderReadsThem() throws {
        var random = SeededRandom(seed: 4648)
        let spaces = ["", " ", "\n", "\t", "\r\n  "]
        for round in 0..<300 {
            // Lengths 0...40 cover every padding; some certificate-sized ones too.
            let chain = (0..<(round % 5)).map { _ in
                let count = round % 7 == 0 ? Int.random(in: 500...3000, using: &random) : Int.random(in: 0...40, using: &random)
                return (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
            func space() -> String { spaces[Int.random(in: 0..<spaces.count, using: &random)] }
            let items = chain.map { "\(space())\"\(Data($0).base64EncodedString())\"\(space())" }.joined(separator: ",")
            let body = "\(space()){\(space())\"chain\"\(space()):\(space())[\(items)]\(space())}\(space())"
            let read = Self.plain(body)
            #expect(read == chain, "\(body.prefix(120))")
            #expect(read == Self.full(Array(body.utf8)))
        }
    }

    /// Every other shape is left to the full decoder, whether it accepts the body or not.
    @Test(arguments: [
        #"{"chain":["AAAA"],"endorsements":[]}"#,  // another key
        #"{"endorsements":[],"chain":["AAAA"]}"#,
        #"{"chain":["AAAA"],"chain":["AAAA"]}"#,  // a repeated key
        #"{"chain":["AA\/A"]}"#,  // an escape, even one that decodes to base64
        #"{"ch\u0061in":["AAAA"]}"#,
        #"{"chain":["QR=="]}"#,  // pad bits that are not zero
        #"{"chain":["QUJ="]}"#,
        #"{"chain":["QQ"]}"#,  // no padding
        #"{"chain":["QQ=="," "]}"#, #"{"chain":["AA AA"]}"#, #"{"chain":["AAA=AAAA"]}"#, #"{"chain":["===="]}"#,
        #"{"chain":["AAAA"]} x"#, #"{"chain":["AAAA"]"#, #"{"chain":["AAAA]}"#, #"{"chain":"AAAA"}"#,
        #"{"chain":[1]}"#, #"{"chain":null}"#, #"{"chain":["AAAA",]}"#, #"{"chain":[,"AAAA"]}"#, #"["AAAA"]"#,
        "\u{FEFF}{\"chain\":[\"AAAA\"]}", "", "{}", #"{"chain":["-_-_"]}"#,
    ])
    func otherShapesAreLeftToTheFullDecoder(_ body: String) {
        #expect(Self.plain(body) == nil)
    }

    /// The encoder the JSON bodies use writes what Foundation writes, for every padding.
    @Test func encodedChainsAreFoundationsBase64() {
        var random = SeededRandom(seed: 4)
        let chain = (0..<100).map { count in (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
        #expect(AddChainRequest(certificates: chain).chain == chain.map { Data($0).base64EncodedString() })
    }

    @Test func theEmptyChainAndEmptyStringsAreRead() {
        #expect(Self.plain(#"{"chain":[]}"#) == [])
        #expect(Self.plain(#" { "chain" : [ "" , "AAAA" ] } "#) == [[], [0, 0, 0]])
        #expect(Self.plain(#"{"chain":["/+8="]}"#) == [[0xFF, 0xEF]])
    }

    /// Whatever a changed byte makes of a body, the plain reading is nil or the full one.
    @Test func mutantsAreReadAsTheFullDecoderReadsThemOrNotAtAll() {
        var random = SeededRandom(seed: 8259)
        let chain = (0..<3).map { index in (0..<(10 + index)).map { _ in UInt8.random(in: 0...255, using: &random) } }
        let body = Array((#"{"chain": ["# + chain.map { "\"\(Data($0).base64EncodedString())\"" }.joined(separator: ", ") + "]}").utf8)
        let replacements = Array("{}[]\":, =\\/+AQz09\n\u{7f}".utf8) + [0x00, 0xC3, 0xFF]
        var read = 0
        for _ in 0..<4000 {
            var mutant = body
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                let position = Int.random(in: 0..<mutant.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: mutant[position] = replacements[Int.random(in: 0..<replacements.count, using: &random)]
                case 1: mutant.remove(at: position)
                default: mutant.insert(replacements[Int.random(in: 0..<replacements.count, using: &random)], at: position)
                }
            }
            let plain = mutant.withUnsafeBytes(PlainChainBody.chain)
            if let plain {
                read += 1
                #expect(plain == Self.full(mutant), "\(String(decoding: mutant, as: UTF8.self))")
            }
        }
        #expect(read > 100, "only \(read) mutants were of the plain shape")
    }
}
