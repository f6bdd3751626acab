import Endorsement
import Foundation
import HTTPTypes
import Hummingbird
import LogCore
import LogFormat
import Merkle

/// The endorsement API of one log, under `prefix` (normally `/endorsement/v1`; Specs/endorsement.md):
/// Flow B requests, the contract in force, and the read-only endorsement ledger.
public struct EndorsementRoutes: Sendable {
    public let log: Log
    public let prefix: String
    public let maxBodyBytes: Int

    public init(log: Log, prefix: String = "/endorsement/v1", maxBodyBytes: Int = 64 * 1024) {
        self.log = log
        self.prefix = prefix
        self.maxBodyBytes = maxBodyBytes
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        let (log, prefix, limit) = (self.log, self.prefix, self.maxBodyBytes)
        router.post(RouterPath("\(prefix)/requests/:id")) { request, context in
            await HTTPStatusMapping.respond(retryAfterSeconds: 1) {
                let id = context.parameters.get("id") ?? ""
                let body = try await request.body.collect(upTo: limit)
                let endorsement: SignedEndorsement
                do {
                    endorsement = try JSONDecoder().decode(SignedEndorsement.self, from: Data(body.readableBytesView))
                } catch let error as EndorsementError {
                    throw LogError(.endorsementRefused, error.message, detail: error.code.rawValue)
                } catch {
                    throw LogError.badRequest("body is not an endorsement {\"endorser\", \"statement\", \"signature\"}: \(error)")
                }
                let status = try await log.endorse(request: id, with: endorsement)
                return JSONBody.response(EndorsementRequestBody(status, statusURL: "\(prefix)/requests/\(id)"))
            }
        }
        router.get(RouterPath("\(prefix)/requests/:id")) { _, context in
            await HTTPStatusMapping.respond(retryAfterSeconds: 1) {
                let id = context.parameters.get("id") ?? ""
                return JSONBody.response(EndorsementRequestBody(try log.endorsementRequest(id), statusURL: "\(prefix)/requests/\(id)"))
            }
        }
        router.get(RouterPath("\(prefix)/contract")) { _, _ in
            await HTTPStatusMapping.respond(retryAfterSeconds: 1) {
                guard let contract = log.contractInForce else { throw LogError.notFound("this log has no endorser contract") }
                return JSONBody.response(ContractBody(logID: Data(log.logID).base64EncodedString(), contract: contract.contract))
            }
        }
        router.get(RouterPath("\(prefix)/checkpoint")) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(log.ledgerCheckpoint().utf8))))
        }
        router.get(RouterPath("\(prefix)/get-entries")) { request, _ in
            await HTTPStatusMapping.respond(retryAfterSeconds: 1) {
                let query = Query(request.uri)
                let entries = try await log.ledgerEntries(start: try query.integer("start"), end: try query.integer("end"))
                return JSONBody.response(LedgerEntriesBody(entries: entries.map { Data($0).base64EncodedString() }))
            }
        }
        router.get(RouterPath("\(prefix)/get-proof")) { request, _ in
            await HTTPStatusMapping.respond(retryAfterSeconds: 1) {
                let query = Query(request.uri)
                let index = try query.integer("leaf_index")
                let path = try await log.ledgerInclusionProof(index: index, treeSize: try query.integer("tree_size"))
                return JSONBody.response(LedgerProofBody(leafIndex: index, auditPath: path.map { Data($0.bytes).base64EncodedString() }))
            }
        }
        router.get(RouterPath("\(prefix)/get-consistency")) { request, _ in
            await HTTPStatusMapping.respond(retryAfterSeconds: 1) {
                let query = Query(request.uri)
                let proof = try await log.ledgerConsistencyProof(first: try query.integer("first"), second: try query.integer("second"))
                return JSONBody.response(LedgerConsistencyBody(consistency: proof.map { Data($0.bytes).base64EncodedString() }))
            }
        }
    }
}
