import Endorsement

/// Why an OV, IV or EV certificate may be logged: the endorsements that satisfied the contract in
/// force, and when that was decided. The sequencer writes it to the endorsement ledger, with the
/// certificate's index, in the same commit as the certificate.
public struct Admission: Sendable, Equatable {
    public var level: CertificateLevel
    public var contractID: String
    public var contractVersion: UInt32
    /// Milliseconds since the epoch.
    public var decidedAt: UInt64
    public var endorsements: [SignedEndorsement]

    public init(level: CertificateLevel, contractID: String, contractVersion: UInt32, decidedAt: UInt64,
                endorsements: [SignedEndorsement]) {
        self.level = level
        self.contractID = contractID
        self.contractVersion = contractVersion
        self.decidedAt = decidedAt
        self.endorsements = endorsements
    }

    /// The ledger record of this admission for certificate-tree entry `index`.
    func ledgerRecord(certificateIndex index: UInt64) -> LedgerRecord {
        .bundle(.init(certificateIndex: index, decidedAt: decidedAt, level: level, contractID: contractID,
                      contractVersion: contractVersion, endorsements: endorsements))
    }
}
