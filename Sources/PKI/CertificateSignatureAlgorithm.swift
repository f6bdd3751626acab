internal import COpenSSL

/// The certificate signature algorithms checked straight over the TBSCertificate bytes with
/// the issuer's key, without an OpenSSL X509 object: ECDSA and RSA PKCS#1 v1.5 with SHA-256,
/// SHA-384 or SHA-512, in the AlgorithmIdentifier encodings RFC 5758 s3.2 and RFC 4055 s5
/// give them (no parameters for ECDSA, NULL parameters for RSA). Any other algorithm or
/// encoding is checked by OpenSSL's `X509_verify`.
enum CertificateSignatureAlgorithm: Equatable {
    case ecdsa(Digest)
    case rsaPKCS1(Digest)

    enum Digest: Equatable, Hashable, CaseIterable {
        case sha256, sha384, sha512

        /// Output bits, as `vigil_sha2` takes them.
        private var bits: Int32 {
            switch self {
            case .sha256: 256
            case .sha384: 384
            case .sha512: 512
            }
        }

        /// The digest of `message`, through OpenSSL's low-level one-shot functions.
        func hash(_ message: [UInt8]) -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: 64)
            let length = message.withUnsafeBytes { bytes in
                digest.withUnsafeMutableBufferPointer { vigil_sha2(bits, bytes.baseAddress, bytes.count, $0.baseAddress) }
            }
            precondition(length > 0, "vigil_sha2 refused \(bits) bits")
            digest.removeLast(digest.count - length)
            return digest
        }

        var md: OpaquePointer? {
            switch self {
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            }
        }
    }

    /// Recognises a complete AlgorithmIdentifier element, tag and length included.
    init?(_ element: ArraySlice<UInt8>) {
        guard let match = Self.known.first(where: { $0.encoding.elementsEqual(element) }) else { return nil }
        self = match.algorithm
    }

    /// The key type (`EVP_PKEY_get_base_id`) the issuer's key must have.
    var keyType: Int32 {
        switch self {
        case .ecdsa: EVP_PKEY_EC
        case .rsaPKCS1: EVP_PKEY_RSA
        }
    }

    var digest: Digest {
        switch self {
        case .ecdsa(let digest), .rsaPKCS1(let digest): digest
        }
    }

    // ecdsa-with-SHA256/384/512 are 1.2.840.10045.4.3.2/3/4 (RFC 5758 s3.2);
    // sha256/384/512WithRSAEncryption are 1.2.840.113549.1.1.11/12/13 (RFC 4055 s5).
    private static let known: [(encoding: [UInt8], algorithm: CertificateSignatureAlgorithm)] = [
        ([0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02], .ecdsa(.sha256)),
        ([0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03], .ecdsa(.sha384)),
        ([0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04], .ecdsa(.sha512)),
        ([0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00], .rsaPKCS1(.sha256)),
        ([0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C, 0x05, 0x00], .rsaPKCS1(.sha384)),
        ([0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D, 0x05, 0x00], .rsaPKCS1(.sha512)),
    ]
}
