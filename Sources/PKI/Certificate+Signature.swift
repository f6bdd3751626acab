internal import COpenSSL

extension Certificate {
    /// Checks that `issuer` issued this certificate: `issuer`'s subject Name must
    /// equal this issuer Name (byte for byte, or after RFC 5280 s7.1 canonical
    /// comparison as OpenSSL's `X509_NAME_cmp` does), and this signature must verify
    /// with `issuer`'s public key. Works for RSA and ECDSA issuers with SHA-1, SHA-256
    /// and SHA-384; algorithms OpenSSL no longer provides, such as MD2, fail.
    ///
    /// ECDSA and RSA PKCS#1 v1.5 signatures with SHA-256, SHA-384 or SHA-512 on a certificate
    /// read without OpenSSL are checked over `tbsDER` directly (`CertificateSignatureAlgorithm`);
    /// every other one through OpenSSL's `X509_verify`, which gives the same answer for those.
    ///
    /// Throws `.invalidChain` naming both subjects and, for a bad signature, the
    /// signature algorithm and OpenSSL's reason.
    public func verifySignature(issuedBy issuer: Certificate) throws {
        guard isNamedAsIssued(by: issuer) else {
            throw PKIError(.invalidChain,
                           "\(subjectSummary) is not issued by \(issuer.subjectSummary): its issuer is \(issuerSummary)")
        }
        if let bits = signatureBits, let algorithm = CertificateSignatureAlgorithm(tbs.signature),
           let key = issuer.issuerKey(), key.type == algorithm.keyType {
            guard key.verifies(bits, of: tbsDER, with: algorithm) else {
                throw PKIError(.invalidChain,
                               "signature (\(signatureAlgorithmName)) of \(subjectSummary) does not verify with the key of \(issuer.subjectSummary)")
            }
            return
        }
        try verifySignatureWithOpenSSL(issuedBy: issuer)
    }

    /// The signature check of `verifySignature` by OpenSSL's `X509_verify` alone.
    func verifySignatureWithOpenSSL(issuedBy issuer: Certificate) throws {
        defer { OpenSSLErrors.clear() }
        let subject: X509Handle, issuing: X509Handle
        do {
            (subject, issuing) = (try openSSL(), try issuer.openSSL())
        } catch let error as PKIError {
            throw PKIError(.invalidChain, "couldn't check \(subjectSummary) against \(issuer.subjectSummary): \(error.message)")
        }
        guard let key = X509_get0_pubkey(issuing.pointer) else {
            throw OpenSSLErrors.error(.invalidChain,
                                      "couldn't check \(subjectSummary) against \(issuer.subjectSummary): issuer public key unreadable")
        }
        guard X509_verify(subject.pointer, key) == 1 else {
            throw OpenSSLErrors.error(.invalidChain,
                                      "signature (\(signatureAlgorithmName)) of \(subjectSummary) does not verify with the key of \(issuer.subjectSummary)")
        }
    }

    /// True when this certificate's issuer Name matches `issuer`'s subject Name,
    /// byte for byte or canonically (case and whitespace folded, RFC 5280 s7.1).
    func isNamedAsIssued(by issuer: Certificate) -> Bool {
        if issuerDER == issuer.subjectDER { return true }
        guard let named = issuerName(), let actual = issuer.subjectName() else { return false }
        return named.matches(actual)
    }

    /// True when the issuer and subject Names match: a self-issued certificate,
    /// such as a root (RFC 5280 s6.1).
    var isSelfIssued: Bool { isNamedAsIssued(by: self) }
}
