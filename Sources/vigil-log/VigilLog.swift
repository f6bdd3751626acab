import ArgumentParser

/// `vigil-log`: the Vigil Certificate Transparency log server.
@main
struct VigilLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-log",
        abstract: "A crash-safe Certificate Transparency log on LevelDB: RFC 6962 and static-ct-api.",
        subcommands: [Serve.self, Check.self, Export.self, ReplayCommand.self])
}
