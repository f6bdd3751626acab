import Foundation
@testable import LogFormat
import Merkle
import Testing
import TestSupport

@Suite struct JSONBodyTests {
    static let sct = SignedCertificateTimestamp(
        logID: Array(repeating: 0xdf, count: 32), timestamp: 1_365_181_456_089,
        extensions: CTExtensions(leafIndex: 9).encoded,
        signature: DigitallySigned(hashAlgorithm: .sha256, signatureAlgorithm: .ecdsa, signature: [0x30, 0x00]))

    static func roundTrip<T: Codable & Equatable>(_ value: T, keys: Set<String>) throws -> Data {
        let data = try JSONEncoder().encode(value)
        #expect(try Fixtures.jsonKeys(data) == keys)
        #expect(try JSONDecoder().decode(T.self, from: data) == value)
        return data
    }

    @Test func addChainRequest() throws {
        let request = AddChainRequest(certificates: [[0x30, 0x00], [0x30, 0x01, 0xff]])
        #expect(request.chain == ["MAA=", "MAH/"])
        _ = try Self.roundTrip(request, keys: ["chain"])
        #expect(try request.decodedChain() == [[0x30, 0x00], [0x30, 0x01, 0xff]])
        let decoded = try JSONDecoder().decode(AddChainRequest.self, from: Data(#"{"chain":["MAA=","%%%"]}"#.utf8))
        let error = try #require(throws: FormatError.self) { try decoded.decodedChain() }
        #expect(error.code == .invalidBase64)
        #expect(error.message == "chain[1] is not valid base64")
    }

    @Test func addChainResponseCarriesTheSCT() throws {
        let response = AddChainResponse(sct: Self.sct)
        #expect(response.sctVersion == 0)
        #expect(response.extensions == "AAAFAAAAAAk=")
        #expect(response.signature == "BAMAAjAA")
        _ = try Self.roundTrip(response, keys: ["sct_version", "id", "timestamp", "extensions", "signature"])
        #expect(try response.sct() == Self.sct)
        var badVersion = response
        badVersion.sctVersion = 1
        #expect(throws: FormatError(.unsupportedVersion, "")) { try badVersion.sct() }
        var shortID = response
        shortID.id = "AAAA"
        #expect(throws: FormatError(.invalidLength, "")) { try shortID.sct() }
        var badSignature = response
        badSignature.signature = "BAMAAzAA"
        #expect(throws: FormatError(.truncated, "")) { try badSignature.sct() }
    }

    @Test func getSTHFromARealLog() throws {
        guard let folder = Vectors.folder("signed-note") else { return }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(Vectors.bytes(folder, "vectors.json"))) as? [String: Any])
        let vector = try #require((object["rfc6962_sth_json"] as? [[String: Any]])?.first)
        let sthJSON = try JSONSerialization.data(withJSONObject: try #require(vector["sth"]))
        let response = try JSONDecoder().decode(GetSTHResponse.self, from: sthJSON)
        #expect(response.treeSize == 1_267_285_836)
        #expect(response.timestamp == 1_711_642_477_482)
        let sth = try response.signedTreeHead()
        #expect(sth.head.rootHash.bytes.count == 32)
        #expect(sth.signature.hashAlgorithm == 4 && sth.signature.signatureAlgorithm == 3)
        #expect(GetSTHResponse(sth: sth) == response)
        _ = try Self.roundTrip(response, keys: ["tree_size", "timestamp", "sha256_root_hash", "tree_head_signature"])
    }

    @Test func getSTHRejectsAShortRoot() throws {
        let sth = SignedTreeHead(head: TreeHead(treeSize: 1, timestamp: 2, rootHash: Hash.emptyTree),
                                 signature: DigitallySigned(hashAlgorithm: .sha256, signatureAlgorithm: .ecdsa, signature: []))
        var response = GetSTHResponse(sth: sth)
        #expect(try response.signedTreeHead() == sth)
        response.sha256RootHash = "AAAA"
        let error = try #require(throws: FormatError.self) { try response.signedTreeHead() }
        #expect(error.message == "sha256_root_hash is 3 bytes, want 32")
    }

    @Test func proofBodies() throws {
        let proof = [Hash.emptyTree, Hash.leaf([1]), Hash.leaf([2])]
        let consistency = GetSTHConsistencyResponse(proof: proof)
        _ = try Self.roundTrip(consistency, keys: ["consistency"])
        #expect(try consistency.proof() == proof)
        let byHash = GetProofByHashResponse(leafIndex: 12, proof: proof)
        _ = try Self.roundTrip(byHash, keys: ["leaf_index", "audit_path"])
        #expect(try byHash.proof() == proof)
        var bad = byHash
        bad.auditPath[2] = "AAAA"
        let error = try #require(throws: FormatError.self) { try bad.proof() }
        #expect(error.message == "audit_path[2] is 3 bytes, want 32")
    }

    @Test func entriesBodies() throws {
        let entry = GetEntriesResponse.Entry(leafInput: [0, 0, 1], extraData: [0, 0, 0])
        let entries = GetEntriesResponse(entries: [entry, entry])
        let data = try Self.roundTrip(entries, keys: ["entries"])
        let inner = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [[String: String]]])
        #expect(inner["entries"]?.first.map { Set($0.keys) } == ["leaf_input", "extra_data"])
        #expect(try entry.leafInputBytes() == [0, 0, 1])
        #expect(try entry.extraDataBytes() == [0, 0, 0])

        let withProof = GetEntryAndProofResponse(leafInput: [1], extraData: [2], proof: [Hash.emptyTree])
        _ = try Self.roundTrip(withProof, keys: ["leaf_input", "extra_data", "audit_path"])
        #expect(try withProof.leafInputBytes() == [1])
        #expect(try withProof.extraDataBytes() == [2])
        #expect(try withProof.proof() == [Hash.emptyTree])
    }

    @Test func rootsFromARealLog() throws {
        guard let folder = Vectors.folder("ct-cpp-testdata") else { return }
        let response = try JSONDecoder().decode(GetRootsResponse.self, from: Data(Vectors.bytes(folder, "test-root-certs")))
        let roots = try response.decodedCertificates()
        #expect(!roots.isEmpty)
        #expect(roots.allSatisfy { $0.first == 0x30 })
        #expect(GetRootsResponse(roots: roots) == response)
        _ = try Self.roundTrip(response, keys: ["certificates"])
    }

    @Test func errorBody() throws {
        let body = ErrorResponse(error: "badRequest", message: "chain[0] is not valid base64")
        let data = try Self.roundTrip(body, keys: ["error", "message"])
        #expect(String(decoding: data, as: UTF8.self).contains(#""error":"badRequest""#))
    }
}
