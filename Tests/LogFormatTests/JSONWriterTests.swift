import Foundation
import LogFormat
import Merkle
import Testing
import TestSupport

/// `JSONWriter` output parses to what Foundation's JSONEncoder gives for the same value, for
/// every body it writes, with strings that need escaping as well as base64.
@Suite struct JSONWriterTests {
    /// Strings a writer must escape or pass through: quotes, backslashes, every control
    /// character, non-ASCII text, slashes, and long base64.
    static func strings(_ random: inout SeededRandom) -> [String] {
        let controls = String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) })
        let base64 = Data((0..<600).map { _ in UInt8.random(in: 0...255, using: &random) }).base64EncodedString()
        return ["", "plain", "quote \" and backslash \\", controls, "é ü ✓ 𝄞", "a/b+c=", base64, "\u{7f}\u{2028}"]
    }

    static func expectSameJSON<T: Codable & Equatable & JSONWritable>(_ value: T) throws {
        let written = Data(value.jsonBytes())
        #expect(try JSONDecoder().decode(T.self, from: written) == value)
        let viaWriter = try JSONSerialization.jsonObject(with: written) as? NSDictionary
        let viaEncoder = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? NSDictionary
        #expect(viaWriter != nil && viaWriter == viaEncoder, "\(String(decoding: written, as: UTF8.self))")
    }

    @Test func everyBodyParsesAsTheEncodersDoes() throws {
        var random = SeededRandom(seed: 8259)
        let texts = Self.strings(&random)
        for (index, text) in texts.enumerated() {
            let number = index == 0 ? UInt64.max : UInt64.random(in: 0...UInt64.max, using: &random)
            try Self.expectSameJSON(AddChainResponse(sctVersion: UInt8(index), id: text, timestamp: number, extensions: text,
                                                     signature: texts[(index + 1) % texts.count]))
            try Self.expectSameJSON(GetSTHResponse(treeSize: number, timestamp: 0, sha256RootHash: text, treeHeadSignature: text))
            try Self.expectSameJSON(GetProofByHashResponse(leafIndex: number, auditPath: Array(texts.prefix(index))))
            try Self.expectSameJSON(GetSTHConsistencyResponse(consistency: Array(texts.suffix(index))))
            try Self.expectSameJSON(GetEntryAndProofResponse(leafInput: text, extraData: texts[0], auditPath: texts))
            try Self.expectSameJSON(GetEntriesResponse(entries: texts.prefix(index).map {
                GetEntriesResponse.Entry(leafInput: $0, extraData: text)
            }))
            try Self.expectSameJSON(ErrorResponse(error: text, message: texts[(index + 2) % texts.count]))
        }
    }

    /// Base64 written straight into the output is Foundation's, at every length modulo 3.
    @Test func base64MatchesFoundation() throws {
        var random = SeededRandom(seed: 4648)
        for length in Array(0...64) + [255, 256, 257, 4_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            var writer = JSONWriter()
            writer.array { $0.base64(bytes); $0.base64([0xff]) }
            let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String]
            #expect(decoded == [Data(bytes).base64EncodedString(), "/w=="], "length \(length)")
        }
    }

    /// The server's proof bodies, written from the hashes, are byte for byte the responses made
    /// from base64 strings, and fit the capacity they ask for.
    @Test func proofBodiesWrittenFromHashesAreTheResponses() throws {
        var random = SeededRandom(seed: 6962)
        for count in [0, 1, 2, 3, 24, 40, 63] {
            let proof = (0..<count).map { _ in Hash((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }) }
            let index = count == 0 ? UInt64.max : UInt64.random(in: 0...UInt64.max, using: &random)
            let byHash = GetProofByHashResponse.Body(leafIndex: index, proof: proof)
            #expect(byHash.jsonBytes() == GetProofByHashResponse(leafIndex: index, proof: proof).jsonBytes())
            #expect(byHash.jsonBytes().count <= byHash.byteCount)
            let decoded = try JSONDecoder().decode(GetProofByHashResponse.self, from: Data(byHash.jsonBytes()))
            #expect(try decoded.proof() == proof && decoded.leafIndex == index)
            let consistency = GetSTHConsistencyResponse.Body(proof: proof)
            #expect(consistency.jsonBytes() == GetSTHConsistencyResponse(proof: proof).jsonBytes())
            #expect(consistency.jsonBytes().count <= consistency.byteCount)
        }
    }

    @Test func exactBytesOfASmallBody() {
        let body = GetProofByHashResponse(leafIndex: 7, auditPath: ["AA==", "a\"b"])
        #expect(String(decoding: body.jsonBytes(), as: UTF8.self) == #"{"leaf_index":7,"audit_path":["AA==","a\"b"]}"#)
        #expect(String(decoding: GetSTHConsistencyResponse(consistency: []).jsonBytes(), as: UTF8.self) == #"{"consistency":[]}"#)
        #expect(String(decoding: GetEntriesResponse(entries: []).jsonBytes(), as: UTF8.self) == #"{"entries":[]}"#)
        #expect(String(decoding: ErrorResponse(error: "badRequest", message: "no \"chain\"").jsonBytes(), as: UTF8.self)
                == #"{"error":"badRequest","message":"no \"chain\""}"#)
    }
}
