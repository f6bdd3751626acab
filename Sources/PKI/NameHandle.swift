internal import COpenSSL

/// One owned OpenSSL `X509_NAME`, parsed from a Name element alone, for RFC 5280 s7.1 name
/// comparison (`X509_NAME_cmp`) without parsing the whole certificate around it.
///
/// Safety: `@unchecked Sendable` because the name is never modified after `init`, which also
/// computes the canonical encoding that comparison reads.
final class NameHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Nil when OpenSSL cannot parse `der` as one Name filling it.
    init?(der: [UInt8]) {
        defer { OpenSSLErrors.clear() }
        let (parsed, consumed) = OpenSSLBuffers.decode(der) { d2i_X509_NAME(nil, $0, $1) }
        guard let parsed else { return nil }
        guard consumed == der.count else {
            X509_NAME_free(parsed)
            return nil
        }
        pointer = parsed
    }

    deinit { X509_NAME_free(pointer) }

    /// A hash of the canonical encoding that `matches` compares (`X509_NAME_hash_ex`, the
    /// first bytes of its SHA-1): equal for names that match, so it can index them. Nil
    /// when OpenSSL cannot compute it.
    var canonicalHash: UInt? {
        defer { OpenSSLErrors.clear() }
        var ok: Int32 = 0
        let hash = X509_NAME_hash_ex(pointer, nil, nil, &ok)
        return ok == 1 ? hash : nil
    }

    /// True when the two names are equal after canonical comparison.
    func matches(_ other: NameHandle) -> Bool {
        X509_NAME_cmp(pointer, other.pointer) == 0
    }
}
