import AsyncHTTPClient
import Foundation
import LogFormat
import Merkle
import PKI

/// A client of one RFC 6962 log that verifies what it fetches: tree head and SCT signatures
/// (when it has the log's key), and every proof against a verified tree head.
public struct LogClient: Sendable {
    /// The log's base URL, without the `/ct/v1` suffix.
    public let baseURL: String
    /// The log's public key, learnt out of band. Without it signatures cannot be checked.
    public let publicKey: VerifyingKey?
    /// The largest response body accepted.
    public var maxResponseBytes = 64 * 1024 * 1024
    let http: HTTPClient

    /// `url` may be given with or without the `/ct/v1` suffix.
    public init(url: String, publicKey: VerifyingKey?, httpClient: HTTPClient = .shared) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/ct/v1") { base.removeLast("/ct/v1".count) }
        self.baseURL = base
        self.publicKey = publicKey
        self.http = httpClient
    }

    /// The log ID this client expects: SHA-256 of the log key's SubjectPublicKeyInfo.
    public var expectedLogID: [UInt8]? { publicKey.map(LogID.of) }

    // MARK: Calls

    /// Submits a chain (DER, leaf first) to add-chain or add-pre-chain. With a key, the SCT's log ID
    /// must be the key's and its signature must verify over `entry` when one is given.
    public func addChain(_ chain: [[UInt8]], precertificate: Bool, entry: SignedEntry? = nil) async throws -> SignedCertificateTimestamp {
        let body = try JSONEncoder().encode(AddChainRequest(certificates: chain))
        let response: AddChainResponse = try await call(precertificate ? "add-pre-chain" : "add-chain", body: body)
        let sct = try Self.decoded("add-chain") { try response.sct() }
        if let expected = expectedLogID, sct.logID != expected {
            throw LogClientError(.badSignature, "SCT names log \(Hex.encode(sct.logID)), want \(Hex.encode(expected))")
        }
        if let publicKey, let entry, !sct.verify(entry: entry, key: publicKey) {
            throw LogClientError(.badSignature, "the SCT signature does not verify with the log's key")
        }
        return sct
    }

    /// Fetches the signed tree head; with a key, its signature must verify.
    public func signedTreeHead() async throws -> SignedTreeHead {
        let response: GetSTHResponse = try await call("get-sth")
        let sth = try Self.decoded("get-sth") { try response.signedTreeHead() }
        if let publicKey, !sth.verify(key: publicKey) {
            throw LogClientError(.badSignature, "the tree head of size \(sth.head.treeSize) does not verify with the log's key")
        }
        return sth
    }

    public func consistencyProof(first: UInt64, second: UInt64) async throws -> [Hash] {
        let response: GetSTHConsistencyResponse = try await call("get-sth-consistency?first=\(first)&second=\(second)")
        return try Self.decoded("get-sth-consistency") { try response.proof() }
    }

    public func proof(forLeafHash leafHash: Hash, treeSize: UInt64) async throws -> (index: UInt64, auditPath: [Hash]) {
        let encoded = Data(leafHash.bytes).base64EncodedString()
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let response: GetProofByHashResponse = try await call("get-proof-by-hash?hash=\(encoded)&tree_size=\(treeSize)")
        return (response.leafIndex, try Self.decoded("get-proof-by-hash") { try response.proof() })
    }

    public func entries(start: UInt64, end: UInt64) async throws -> [(leafInput: [UInt8], extraData: [UInt8])] {
        let response: GetEntriesResponse = try await call("get-entries?start=\(start)&end=\(end)")
        return try Self.decoded("get-entries") { try response.entries.map { (try $0.leafInputBytes(), try $0.extraDataBytes()) } }
    }

    public func roots() async throws -> [[UInt8]] {
        let response: GetRootsResponse = try await call("get-roots")
        return try Self.decoded("get-roots") { try response.decodedCertificates() }
    }

    // MARK: Verified reads

    /// Proves that the leaf with `leafHash` is in the tree `sth` describes; returns its index.
    public func verifyInclusion(leafHash: Hash, in sth: SignedTreeHead) async throws -> UInt64 {
        let (index, path) = try await proof(forLeafHash: leafHash, treeSize: sth.head.treeSize)
        do {
            try ProofVerifier.verifyInclusion(leafHash: leafHash, index: index, treeSize: sth.head.treeSize,
                                              proof: path, root: sth.head.rootHash)
        } catch {
            throw LogClientError(.badProof, "inclusion proof for index \(index) in tree size \(sth.head.treeSize): \(error)")
        }
        return index
    }

    /// Proves that the tree `new` describes extends the tree `old` describes.
    public func verifyConsistency(from old: SignedTreeHead, to new: SignedTreeHead) async throws {
        let (oldHead, newHead) = (old.head, new.head)
        if oldHead.treeSize > newHead.treeSize {
            throw LogClientError(.badProof, "tree head went backwards from size \(oldHead.treeSize) to \(newHead.treeSize)")
        }
        if oldHead.treeSize == 0 { return }
        let proof = oldHead.treeSize == newHead.treeSize
            ? [] : try await consistencyProof(first: oldHead.treeSize, second: newHead.treeSize)
        do {
            try ProofVerifier.verifyConsistency(oldSize: oldHead.treeSize, newSize: newHead.treeSize, proof: proof,
                                                oldRoot: oldHead.rootHash, newRoot: newHead.rootHash)
        } catch {
            throw LogClientError(.badProof, "consistency from size \(oldHead.treeSize) to \(newHead.treeSize): \(error)")
        }
    }

    // MARK: Plumbing

    private func call<Response: Decodable>(_ path: String, body: Data? = nil) async throws -> Response {
        let endpoint = String(path.split(separator: "?")[0])
        let data = try await fetcher.fetch("\(baseURL)/ct/v1/\(path)", name: endpoint, jsonBody: body)
        do {
            return try JSONDecoder().decode(Response.self, from: Data(data))
        } catch {
            throw LogClientError(.malformedResponse, "\(endpoint) response is not RFC 6962 JSON: \(error)")
        }
    }

    private var fetcher: HTTPFetcher { HTTPFetcher(http: http, maxResponseBytes: maxResponseBytes) }

    /// Runs a decoding step of a response, reporting a failure as a malformed response of `endpoint`.
    private static func decoded<T>(_ endpoint: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            throw LogClientError(.malformedResponse, "\(endpoint) response: \(error)")
        }
    }
}
