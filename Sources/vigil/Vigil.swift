import ArgumentParser

/// `vigil`: the Vigil command-line client.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Vigil's Certificate Transparency client: keys, submissions, verified tree heads and logs, log lists.",
        subcommands: [Keygen.self, Submit.self, STH.self, VerifyLog.self, LogListCommand.self, ContractCommand.self, Endorse.self])
}
