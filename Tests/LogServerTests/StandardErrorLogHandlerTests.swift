import Logging
import LogServer
import Synchronization
import Testing

/// `StandardErrorLogHandler` writes what swift-log's `StreamLogHandler` writes for the same
/// events, and only at or above its level.
@Suite struct StandardErrorLogHandlerTests {
    final class Lines: TextOutputStream, @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        func write(_ string: String) { lines.withLock { $0.append(string) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// The line without its leading timestamp, which may differ by a second between the two.
    static func untimed(_ line: String) -> Substring {
        line.drop { $0 != " " }
    }

    @Test func linesMatchStreamLogHandler() {
        let ours = Lines(), theirs = Lines()
        let provider = Logger.MetadataProvider { ["trace": "abc"] }
        var mine = Logger(label: "vigil.test") { label in
            var handler = StandardErrorLogHandler(label: label, logLevel: .info) { ours.write($0) }
            handler.metadataProvider = provider
            return handler
        }
        var reference = Logger(label: "vigil.test") { label in
            var handler = StreamLogHandler(label: label, stream: theirs, metadataProvider: provider)
            handler.logLevel = .info
            return handler
        }
        func events(_ logger: inout Logger) {
            logger.info("plain")
            logger[metadataKey: "hb.request.id"] = "7"
            logger[metadataKey: "a"] = .array(["x", "y"])
            logger.notice("with metadata", metadata: ["z": "last", "a": "replaced"])
            logger.debug("below the level")
            logger.error("failed")
        }
        events(&mine)
        events(&reference)
        #expect(ours.all.count == 3)
        #expect(ours.all.map(Self.untimed) == theirs.all.map(Self.untimed))
        #expect(ours.all.allSatisfy { $0.hasSuffix("\n") && $0.first?.isNumber == true })
    }
}
