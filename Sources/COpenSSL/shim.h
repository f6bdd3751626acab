#ifndef VIGIL_COPENSSL_SHIM_H
#define VIGIL_COPENSSL_SHIM_H

// OpenSSL 3 marks the low-level SHA-2 functions deprecated in favour of EVP, but keeps
// them; vigil_sha256 and vigil_sha2 below need them (see there). Declared without the attribute.
#define OPENSSL_SUPPRESS_DEPRECATED

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// OpenSSL exposes these as macros, which Swift cannot call. Each shim is a
// one-line static inline function with the macro's meaning.

static inline int vigil_sk_X509_EXTENSION_num(const STACK_OF(X509_EXTENSION) *sk) {
    return sk_X509_EXTENSION_num(sk);
}

static inline int vigil_sk_ASN1_OBJECT_num(const STACK_OF(ASN1_OBJECT) *sk) {
    return sk_ASN1_OBJECT_num(sk);
}

static inline ASN1_OBJECT *vigil_sk_ASN1_OBJECT_value(const STACK_OF(ASN1_OBJECT) *sk, int i) {
    return sk_ASN1_OBJECT_value(sk, i);
}

static inline void vigil_EXTENDED_KEY_USAGE_free(EXTENDED_KEY_USAGE *eku) {
    EXTENDED_KEY_USAGE_free(eku);
}

static inline int vigil_sk_POLICYINFO_num(const CERTIFICATEPOLICIES *sk) {
    return sk_POLICYINFO_num(sk);
}

static inline POLICYINFO *vigil_sk_POLICYINFO_value(const CERTIFICATEPOLICIES *sk, int i) {
    return sk_POLICYINFO_value(sk, i);
}

static inline long vigil_BIO_get_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}

static inline void vigil_OPENSSL_free(void *p) {
    OPENSSL_free(p);
}

// One SHA-256 of `length` bytes into `digest` (32 bytes) with the low-level functions, which
// run the same assembly as EVP without EVP's per-call context allocation and provider
// dispatch: for a 65-byte Merkle node that overhead costs more than the hashing itself.
static inline void vigil_sha256(const void *data, size_t length, unsigned char *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, length);
    SHA256_Final(digest, &context);
}

// One SHA-256, SHA-384 or SHA-512 (`bits`) of `length` bytes into `digest` (32, 48 or 64
// bytes), the same way: the digest a certificate signature is checked over. Returns the
// digest's length, or 0 for any other `bits`.
static inline size_t vigil_sha2(int bits, const void *data, size_t length, unsigned char *digest) {
    switch (bits) {
    case 256: vigil_sha256(data, length, digest); return 32;
    case 384: SHA384(data, length, digest); return 48;
    case 512: SHA512(data, length, digest); return 64;
    default: return 0;
    }
}

#endif
