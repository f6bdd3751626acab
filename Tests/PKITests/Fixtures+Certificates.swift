import Foundation
import PKI
import TestSupport

/// Certificate loading over the shared vectors; callers have already `guard let`-ed the folder.
extension Fixtures {
    /// Every certificate in a PEM file of `folder`.
    static func certificates(_ folder: URL, _ file: String) throws -> [Certificate] {
        try Certificate.fromPEM(Vectors.text(folder, file))
    }

    /// The only certificate in a PEM file of `folder`.
    static func certificate(_ folder: URL, _ file: String) throws -> Certificate {
        let certificates = try certificates(folder, file)
        guard certificates.count == 1 else { throw FixtureError("\(file): \(certificates.count) certificates, want 1") }
        return certificates[0]
    }
}
