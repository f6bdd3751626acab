internal import COpenSSL

/// One owned, parsed OpenSSL `X509`: the certificate as OpenSSL understands it,
/// for signature checks and extension decoding.
///
/// Safety: `@unchecked Sendable` because nothing modifies the `X509` after `init`,
/// which also fills OpenSSL's lazily computed extension cache; afterwards it is
/// only read (name comparison, `X509_verify`), which OpenSSL 3 allows from many
/// threads at once.
final class X509Handle: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Parses `der`, which must hold one certificate and nothing after it.
    init(der: [UInt8]) throws {
        let (parsed, consumed) = OpenSSLBuffers.decode(der) { d2i_X509(nil, $0, $1) }
        guard let parsed else {
            throw OpenSSLErrors.error(.invalidCertificate, "couldn't parse \(der.count)-byte certificate")
        }
        guard consumed == der.count else {
            X509_free(parsed)
            throw PKIError(.invalidCertificate, "certificate is \(consumed) bytes but \(der.count - consumed) trailing bytes follow")
        }
        pointer = parsed
        // Decode the extensions now, while no other thread can see this object.
        _ = X509_get_extension_flags(pointer)
        _ = X509_get0_pubkey(pointer)
        OpenSSLErrors.clear()
    }

    deinit { X509_free(pointer) }

    /// True when basicConstraints is present with cA TRUE (RFC 5280 s4.2.1.9).
    var isCA: Bool {
        X509_get_extension_flags(pointer) & UInt32(EXFLAG_CA) != 0
    }

    /// basicConstraints pathLenConstraint, or nil when absent.
    var pathLengthConstraint: Int? {
        let length = X509_get_pathlen(pointer)
        return length < 0 ? nil : length
    }

    /// The long name of the signature algorithm, such as "sha1WithRSAEncryption".
    var signatureAlgorithmName: String {
        let nid = X509_get_signature_nid(pointer)
        return OBJ_nid2ln(nid).map { String(cString: $0) } ?? "unknown algorithm (NID \(nid))"
    }

    /// Validity bounds as Unix seconds (RFC 5280 s4.1.2.5).
    func validity() throws -> (notBefore: Int64, notAfter: Int64) {
        guard let epoch = ASN1_TIME_set(nil, 0) else { throw OpenSSLErrors.error(.openSSL, "ASN1_TIME_set failed") }
        defer { ASN1_STRING_free(epoch) }
        func seconds(_ time: UnsafePointer<ASN1_TIME>?, _ what: String) throws -> Int64 {
            var days: Int32 = 0
            var seconds: Int32 = 0
            guard let time, ASN1_TIME_diff(&days, &seconds, epoch, time) == 1 else {
                throw OpenSSLErrors.error(.invalidCertificate, "couldn't read \(what)")
            }
            return Int64(days) * 86_400 + Int64(seconds)
        }
        return try (seconds(X509_get0_notBefore(pointer), "notBefore"), seconds(X509_get0_notAfter(pointer), "notAfter"))
    }

    /// The subject's attributes in order, as (short name, UTF-8 value) pairs;
    /// attributes OpenSSL does not name use the dotted OID.
    func subjectAttributes() -> [(type: String, value: String)] {
        Self.attributes(of: X509_get_subject_name(pointer))
    }

    /// The issuer's attributes, as for `subjectAttributes()`.
    func issuerAttributes() -> [(type: String, value: String)] {
        Self.attributes(of: X509_get_issuer_name(pointer))
    }

    private static func attributes(of name: OpaquePointer?) -> [(type: String, value: String)] {
        defer { OpenSSLErrors.clear() }  // an undecodable value leaves errors queued
        guard let name else { return [] }
        return (0..<X509_NAME_entry_count(name)).compactMap { index in
            guard let entry = X509_NAME_get_entry(name, index),
                  let object = X509_NAME_ENTRY_get_object(entry),
                  let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
            let nid = OBJ_obj2nid(object)
            let type = nid == NID_undef ? dotted(object) : String(cString: OBJ_nid2sn(nid))
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, data)
            guard length >= 0, let utf8 else { return (type, "?") }
            defer { vigil_OPENSSL_free(utf8) }
            return (type, String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self))
        }
    }

    /// The dotted OIDs listed in extendedKeyUsage (RFC 5280 s4.2.1.12).
    func extendedKeyUsages() -> [String] {
        defer { OpenSSLErrors.clear() }  // a malformed extension leaves errors queued
        var critical: Int32 = 0
        guard let usages = X509_get_ext_d2i(pointer, NID_ext_key_usage, &critical, nil) else { return [] }
        let stack = OpaquePointer(usages)
        defer { vigil_EXTENDED_KEY_USAGE_free(stack) }
        return (0..<vigil_sk_ASN1_OBJECT_num(stack)).compactMap { vigil_sk_ASN1_OBJECT_value(stack, $0).map(Self.dotted) }
    }

    /// The dotted policy OIDs in certificatePolicies (RFC 5280 s4.2.1.4).
    func policyOIDs() -> [String] {
        defer { OpenSSLErrors.clear() }  // a malformed extension leaves errors queued
        var critical: Int32 = 0
        guard let policies = X509_get_ext_d2i(pointer, NID_certificate_policies, &critical, nil) else { return [] }
        let stack = OpaquePointer(policies)
        defer { CERTIFICATEPOLICIES_free(stack) }
        return (0..<vigil_sk_POLICYINFO_num(stack)).compactMap { index in
            vigil_sk_POLICYINFO_value(stack, index)?.pointee.policyid.map(Self.dotted)
        }
    }

    /// `object` as a dotted decimal OID.
    static func dotted(_ object: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        guard length > 0 else { return "?" }
        if Int(length) >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        }
        return String(nulTerminated: buffer)
    }
}
