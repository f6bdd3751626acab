import Foundation
import Testing

/// Locates the shared CT test vectors (`../shared/vectors` beside the package root).
///
/// Under `CI=true` a missing folder is a test failure; elsewhere the calling test
/// prints a notice and skips, so a checkout without the vectors still builds and tests.
public enum Vectors {
    /// The package root, derived from this file's location (`Tests/TestSupport/Vectors.swift`).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The vectors folder: `$VIGIL_VECTORS` if set, else `<package root>/../shared/vectors`.
    public static var root: URL {
        if let override = ProcessInfo.processInfo.environment["VIGIL_VECTORS"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }

    /// Returns the vectors subfolder `name`, or nil after recording why it is missing.
    /// Call only from inside a test.
    public static func folder(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        let url = root.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return url
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("test vectors missing at \(url.path) (required under CI=true)", sourceLocation: sourceLocation)
        } else {
            print("notice: test vectors missing at \(url.path); skipping")
        }
        return nil
    }

    /// Reads a vector file as bytes; the folder must exist.
    public static func bytes(_ folder: URL, _ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
    }

    /// Reads a vector file as UTF-8 text; the folder must exist.
    public static func text(_ folder: URL, _ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }
}
