import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs helper programs (the `openssl` CLI) from tests.
///
/// Tests run in parallel, so this avoids two hazards of Foundation's `Process` there: a
/// pipe's write end leaks into other tests' children (reading it to end-of-file then waits
/// for unrelated processes), and concurrent `waitUntilExit` calls can miss a child's exit
/// and wait forever. Instead the child is spawned with posix_spawn, its output goes to a
/// temporary file, and this waits for exactly its pid.
public enum Subprocess {
    /// Runs `arguments[0]` (looked up on PATH) with the rest as arguments, in `directory`,
    /// and returns its exit status and its standard output and error, interleaved.
    public static func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigil-subprocess-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        var command = ["/usr/bin/env"]
        if let directory { command += ["-C", directory.path] }
        command += arguments

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw TestCAError(message: "cannot start \(arguments.joined(separator: " ")): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw TestCAError(message: "waitpid: \(String(cString: strerror(errno)))") }
        }
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (exitStatus, output)
    }
}

/// A long-running child process started with posix_spawn (see `Subprocess` for why not
/// Foundation's `Process`), watched without blocking: `poll()` never waits.
public final class ChildProcess: Sendable {
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    public let pid: pid_t
    /// Owner: the mutex; set once the child has been reaped.
    private let termination = Mutex<Termination?>(nil)

    /// Starts `path` with `arguments` and `environment`; its standard streams go to /dev/null.
    public init(path: String, arguments: [String], environment: [String: String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw TestCAError(message: "cannot start \(path): \(String(cString: strerror(spawned)))") }
        self.pid = pid
    }

    /// How the child ended, or nil while it runs. Reaps it the first time it has ended.
    public func poll() -> Termination? {
        termination.withLock { termination in
            if let termination { return termination }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            termination = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
            return termination
        }
    }

    public var isRunning: Bool { poll() == nil }

    /// Sends `signal` to the child if it still runs.
    public func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits, without blocking a thread, until the child has ended.
    public func waitForExit() async -> Termination {
        while true {
            if let ended = poll() { return ended }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
