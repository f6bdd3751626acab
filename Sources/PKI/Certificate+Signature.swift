internal import COpenSSL

extension Certificate {
    /// Checks that `issuer` issued this certificate: `issuer`'s subject Name must
    /// equal this issuer Name (byte for byte, or after RFC 5280 s7.1 canonical
    /// comparison as OpenSSL's `X509_NAME_cmp` does), and this signature must verify
    /// with `issuer`'s public key. Works for RSA and ECDSA issuers with SHA-1, SHA-256
    /// and SHA-384; algorithms OpenSSL no longer provides, such as MD2, fail.
    ///
    /// Throws `.invalidChain` naming both subjects and, for a bad signature, the
    /// signature algorithm and OpenSSL's reason.
    public func verifySignature(issuedBy issuer: Certificate) throws {
        guard isNamedAsIssued(by: issuer) else {
            throw PKIError(.invalidChain,
                           "\(subjectSummary) is not issued by \(issuer.subjectSummary): its issuer is \(issuerSummary)")
        }
        guard let key = X509_get0_pubkey(issuer.x509.pointer) else {
            throw OpenSSLErrors.error(.invalidChain,
                                      "couldn't check \(subjectSummary) against \(issuer.subjectSummary): issuer public key unreadable")
        }
        guard X509_verify(x509.pointer, key) == 1 else {
            throw OpenSSLErrors.error(.invalidChain,
                                      "signature (\(signatureAlgorithmName)) of \(subjectSummary) does not verify with the key of \(issuer.subjectSummary)")
        }
        OpenSSLErrors.clear()
    }

    /// True when this certificate's issuer Name matches `issuer`'s subject Name,
    /// byte for byte or canonically (case and whitespace folded, RFC 5280 s7.1).
    func isNamedAsIssued(by issuer: Certificate) -> Bool {
        if issuerDER == issuer.subjectDER { return true }
        return X509_NAME_cmp(X509_get_issuer_name(x509.pointer), X509_get_subject_name(issuer.x509.pointer)) == 0
    }

    /// True when the issuer and subject Names match: a self-issued certificate,
    /// such as a root (RFC 5280 s6.1).
    var isSelfIssued: Bool { isNamedAsIssued(by: self) }

    /// basicConstraints pathLenConstraint: how many non-self-issued intermediate CA
    /// certificates may follow this one on the way to a leaf (RFC 5280 s4.2.1.9).
    var pathLengthConstraint: Int? { x509.pathLengthConstraint }
}
