extension Certificate {
    /// The TBSCertificate a log signs for this precertificate (RFC 6962 s3.2): this
    /// TBS with the poison extension removed, every other byte unchanged.
    ///
    /// When the precertificate was issued by a Precertificate Signing Certificate,
    /// pass it as `signingCertificate`; the TBS then describes the final certificate
    /// its issuer will sign (RFC 6962 s3.1): the issuer Name becomes the PSC's issuer
    /// Name, and the authorityKeyIdentifier value becomes the PSC's own
    /// authorityKeyIdentifier value, keeping this extension's place and critical flag.
    ///
    /// Edge cases follow the C++ reference log (`TbsCertificate::CopyIssuerFrom`,
    /// `PreCertChain::IsWellFormed`): a precertificate with an authorityKeyIdentifier
    /// and a PSC without one is an error; a precertificate without one keeps none.
    /// (certificate-transparency-go instead drops or appends the extension there.)
    /// When removing the poison leaves no extensions, the `[3]` field is omitted.
    ///
    /// Throws `.invalidPrecertificate` unless `poison` is `.valid`, or when
    /// `signingCertificate` lacks the Precertificate Signing EKU.
    public func precertificateTBS(signingCertificate: Certificate?) throws -> [UInt8] {
        guard poison == .valid else {
            let problem = poison == .absent ? "has no poison extension" : "has a malformed poison extension"
            throw PKIError(.invalidPrecertificate, "precertificate \(subjectSummary) \(problem)")
        }
        let kept = tbs.extensions(withoutOID: OID.poison)
        var extensions = kept.map { Array($0.raw) }
        guard let psc = signingCertificate else {
            return tbs.rebuilt(issuer: tbs.issuer, extensions: extensions)
        }
        guard psc.isPrecertificateSigningCertificate else {
            throw PKIError(.invalidPrecertificate,
                           "\(psc.subjectSummary) is not a Precertificate Signing Certificate: no EKU \(OID.precertificateSigningDotted)")
        }
        if let index = kept.firstIndex(where: { $0.oid.elementsEqual(OID.authorityKeyIdentifier) }) {
            guard let replacement = psc.tbs.firstExtension(withOID: OID.authorityKeyIdentifier) else {
                throw PKIError(.invalidPrecertificate,
                               "precertificate \(subjectSummary) has an authorityKeyIdentifier but its Precertificate Signing Certificate \(psc.subjectSummary) has none to copy")
            }
            extensions[index] = kept[index].replacingValue(with: replacement)
        }
        return tbs.rebuilt(issuer: psc.tbs.issuer, extensions: extensions)
    }

    /// This certificate's TBSCertificate with the embedded SCT list extension
    /// (1.3.6.1.4.1.11129.2.4.2) removed: RFC 6962 s3.2 notes this reconstructs the
    /// precertificate TBS a log signed, which checking an embedded SCT needs.
    ///
    /// Throws `.invalidCertificate` unless exactly one such extension is present.
    public func tbsWithoutEmbeddedSCTList() throws -> [UInt8] {
        let count = tbs.extensions(withOID: OID.embeddedSCTList).count
        guard count == 1 else {
            throw PKIError(.invalidCertificate, "certificate \(subjectSummary) has \(count) embedded SCT list extensions, want 1")
        }
        return tbs.rebuilt(issuer: tbs.issuer, extensions: tbs.extensions(withoutOID: OID.embeddedSCTList).map { Array($0.raw) })
    }
}
