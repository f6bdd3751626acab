import ArgumentParser
import Endorsement
import Foundation

/// `vigil contract check FILE`: validates an endorser contract and prints what it decides.
struct ContractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "Work with endorser contracts.",
        subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a contract file (YAML or JSON) and print its endorsers and expanded rules.")

        @Argument(help: "The contract file.")
        var file: String

        func run() async throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            let contract: ValidatedContract
            do {
                contract = try Contract.parse(text).validated()
            } catch let error as EndorsementError {
                FileHandle.standardError.write(Data("\(file): \(error.message)\n".utf8))
                throw ExitCode(1)
            }
            print("contract \(contract.id) version \(contract.version): valid")
            print("pending requests live \(contract.contract.pendingLifetime) s")
            for endorser in contract.endorsers.values.sorted(by: { $0.id < $1.id }) {
                let levels = endorser.levels.sorted().map(\.rawValue).joined(separator: ",")
                print("endorser \(endorser.id): operator \"\(endorser.operatorName)\", \(endorser.key.algorithm), levels \(levels)")
            }
            for level in CertificateLevel.allCases where level.needsEndorsement {
                if let policy = contract.policies[level] {
                    print("\(level.rawValue): \(policy.rule), at least \(policy.minOperators) operator(s)")
                } else {
                    print("\(level.rawValue): no rule; such certificates are refused")
                }
            }
        }
    }
}
