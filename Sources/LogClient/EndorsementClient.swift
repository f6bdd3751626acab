import AsyncHTTPClient
import Endorsement
import Foundation
import LogFormat
import PKI

/// What a submission came to: an SCT, or a request waiting for endorsements (HTTP 202).
public enum SubmissionOutcome: Sendable {
    case logged(SignedCertificateTimestamp)
    case pending(EndorsementRequestBody)
}

/// A client of a log's endorsement API (`<log>/endorsement/v1/`) and of add-chain with endorsements.
public struct EndorsementClient: Sendable {
    /// The log's base URL (without `/ct/v1`).
    public let baseURL: String
    let fetcher: HTTPFetcher

    public init(url: String, httpClient: HTTPClient = .shared) {
        baseURL = LogClient(url: url, publicKey: nil).baseURL
        fetcher = HTTPFetcher(http: httpClient, maxResponseBytes: 4 * 1024 * 1024)
    }

    /// The contract in force and the log ID it binds.
    public func contract() async throws -> (logID: [UInt8], contract: Contract) {
        struct Body: Decodable {
            let log_id: String
            let contract: Contract
        }
        let body: Body = try decode(try await fetcher.fetch("\(baseURL)/endorsement/v1/contract", name: "contract"), "contract")
        guard let logID = Data(base64Encoded: body.log_id), logID.count == 32 else {
            throw LogClientError(.malformedResponse, "contract: log_id is not a base64 SHA-256")
        }
        return (Array(logID), body.contract)
    }

    public func request(_ id: String) async throws -> EndorsementRequestBody {
        try decode(try await fetcher.fetch("\(baseURL)/endorsement/v1/requests/\(id)", name: "request \(id)"), "request")
    }

    /// Posts `endorsement` to request `id`; returns the request as it stands afterwards.
    public func endorse(_ id: String, with endorsement: SignedEndorsement) async throws -> EndorsementRequestBody {
        let body = try JSONEncoder().encode(endorsement)
        return try decode(try await fetcher.fetch("\(baseURL)/endorsement/v1/requests/\(id)", name: "endorse \(id)", jsonBody: body),
                                "endorse")
    }

    /// add-chain (or add-pre-chain) with inline endorsements: an SCT, or a 202 request.
    public func submit(_ chain: [[UInt8]], precertificate: Bool, endorsements: [SignedEndorsement]) async throws -> SubmissionOutcome {
        struct Body: Encodable {
            let chain: [String]
            let endorsements: [SignedEndorsement]
        }
        let body = try JSONEncoder().encode(Body(chain: AddChainRequest(certificates: chain).chain, endorsements: endorsements))
        let endpoint = precertificate ? "add-pre-chain" : "add-chain"
        let (status, data) = try await fetcher.fetch("\(baseURL)/ct/v1/\(endpoint)", name: endpoint, jsonBody: body, accepting: [200, 202])
        if status == 202 { return .pending(try decode(data, endpoint)) }
        let response: AddChainResponse = try decode(data, endpoint)
        do {
            return .logged(try response.sct())
        } catch {
            throw LogClientError(.malformedResponse, "\(endpoint): \(error)")
        }
    }

    private func decode<T: Decodable>(_ data: [UInt8], _ what: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(data))
        } catch {
            throw LogClientError(.malformedResponse, "\(what) response: \(error)")
        }
    }
}
