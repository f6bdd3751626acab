import ArgumentParser

/// `vigil-log`: the Vigil Certificate Transparency log server.
@main
struct VigilLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-log",
        abstract: "A crash-safe RFC 6962 Certificate Transparency log on LevelDB.",
        subcommands: [Serve.self, Check.self])
}
