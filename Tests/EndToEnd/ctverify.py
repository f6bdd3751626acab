"""Independent Certificate Transparency verification for the end-to-end suites.

Nothing here trusts the log under test: structures are parsed from their TLS
encodings (RFC 6962 s3), signatures are checked with `cryptography`, Merkle
proofs are checked with the RFC 9162 s2.1.3.2 / s2.1.4.2 procedures, and the
precertificate TBS is derived with a small DER walker of our own.

Every verifier raises VerifyError on failure and returns normally on success.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa


class VerifyError(Exception):
    """A structure, signature or proof failed verification."""


# ---------------------------------------------------------------- constants

# RFC 6962 s3.1 / s3.2 / s3.5
SCT_VERSION_V1 = 0
SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP = 0
SIGNATURE_TYPE_TREE_HASH = 1
ENTRY_TYPE_X509 = 0
ENTRY_TYPE_PRECERT = 1
MERKLE_LEAF_TYPE_TIMESTAMPED_ENTRY = 0
# RFC 5246 s7.4.1.4.1
HASH_SHA256 = 4
SIG_RSA = 1
SIG_ECDSA = 3
# static-ct-api: the one defined SCT extension
EXTENSION_TYPE_LEAF_INDEX = 0

OID_CT_POISON = "1.3.6.1.4.1.11129.2.4.3"
OID_CT_SCT_LIST = "1.3.6.1.4.1.11129.2.4.2"
OID_CT_PRECERT_SIGNING = "1.3.6.1.4.1.11129.2.4.4"
OID_AUTHORITY_KEY_ID = "2.5.29.35"
OID_EXTENDED_KEY_USAGE = "2.5.29.37"

EMPTY_ROOT = hashlib.sha256(b"").digest()


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Strict standard base64 (padding required, no stray characters)."""
    if not isinstance(text, str):
        raise VerifyError(f"expected a base64 string, got {type(text).__name__}")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise VerifyError(f"bad base64 {text[:40]!r}: {exc}") from exc


# ---------------------------------------------------------------- TLS codec


class TLSReader:
    """Reads the TLS presentation-language encodings RFC 6962 uses."""

    def __init__(self, data: bytes):
        self.data = bytes(data)
        self.pos = 0

    def remaining(self) -> int:
        return len(self.data) - self.pos

    def read(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise VerifyError(f"TLS: need {n} bytes at offset {self.pos}, have {self.remaining()}")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def uint(self, nbytes: int) -> int:
        return int.from_bytes(self.read(nbytes), "big")

    def opaque(self, len_bytes: int, min_len: int = 0) -> bytes:
        n = self.uint(len_bytes)
        if n < min_len:
            raise VerifyError(f"TLS: vector of {n} bytes shorter than minimum {min_len}")
        return self.read(n)

    def end(self) -> None:
        if self.remaining():
            raise VerifyError(f"TLS: {self.remaining()} trailing bytes")


def tls_uint(value: int, nbytes: int) -> bytes:
    if value < 0 or value >= 1 << (8 * nbytes):
        raise ValueError(f"{value} does not fit in {nbytes} bytes")
    return value.to_bytes(nbytes, "big")


def tls_opaque(data: bytes, len_bytes: int) -> bytes:
    return tls_uint(len(data), len_bytes) + data


# ---------------------------------------------------------------- signatures


@dataclass(frozen=True)
class DigitallySigned:
    hash_alg: int
    sig_alg: int
    signature: bytes

    @classmethod
    def parse(cls, data: bytes) -> "DigitallySigned":
        r = TLSReader(data)
        hash_alg = r.uint(1)
        sig_alg = r.uint(1)
        sig = r.opaque(2)
        r.end()
        return cls(hash_alg, sig_alg, sig)

    def encode(self) -> bytes:
        return bytes([self.hash_alg, self.sig_alg]) + tls_opaque(self.signature, 2)


def load_public_key(pem_or_der: bytes):
    data = bytes(pem_or_der)
    if b"-----BEGIN" in data:
        return serialization.load_pem_public_key(data)
    return serialization.load_der_public_key(data)


def spki_der(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)


def log_id(public_key) -> bytes:
    """RFC 6962 s3.2: the log ID is SHA-256 of the log key's SubjectPublicKeyInfo."""
    return sha256(spki_der(public_key))


def verify_digitally_signed(public_key, ds: DigitallySigned, data: bytes) -> None:
    if ds.hash_alg != HASH_SHA256:
        raise VerifyError(f"unsupported hash algorithm {ds.hash_alg}")
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            if ds.sig_alg != SIG_ECDSA:
                raise VerifyError(f"signature algorithm {ds.sig_alg} does not match an EC key")
            public_key.verify(ds.signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public_key, rsa.RSAPublicKey):
            if ds.sig_alg != SIG_RSA:
                raise VerifyError(f"signature algorithm {ds.sig_alg} does not match an RSA key")
            public_key.verify(ds.signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise VerifyError(f"unsupported key type {type(public_key).__name__}")
    except InvalidSignature as exc:
        raise VerifyError("signature does not verify") from exc


# ---------------------------------------------------------------- SCT extensions


def parse_extensions(data: bytes) -> list[tuple[int, bytes]]:
    """static-ct-api: CtExtensions is a list of (uint8 type, opaque<0..2^16-1>)."""
    r = TLSReader(data)
    out = []
    while r.remaining():
        ext_type = r.uint(1)
        out.append((ext_type, r.opaque(2)))
    return out


def leaf_index_extension(index: int) -> bytes:
    return bytes([EXTENSION_TYPE_LEAF_INDEX]) + tls_opaque(tls_uint(index, 5), 2)


def parse_leaf_index(extensions: bytes) -> int:
    """Returns the leaf_index extension's value; exactly one must be present."""
    found = [value for ext_type, value in parse_extensions(extensions)
             if ext_type == EXTENSION_TYPE_LEAF_INDEX]
    if len(found) != 1:
        raise VerifyError(f"expected exactly one leaf_index extension, found {len(found)}")
    if len(found[0]) != 5:
        raise VerifyError(f"leaf_index extension has {len(found[0])} bytes, want 5")
    return int.from_bytes(found[0], "big")


# ---------------------------------------------------------------- SCT


@dataclass(frozen=True)
class SCT:
    version: int
    log_id: bytes
    timestamp: int
    extensions: bytes
    signature: DigitallySigned

    @classmethod
    def parse(cls, data: bytes) -> "SCT":
        """Parses a TLS-encoded SignedCertificateTimestamp (RFC 6962 s3.2)."""
        r = TLSReader(data)
        version = r.uint(1)
        if version != SCT_VERSION_V1:
            raise VerifyError(f"unknown SCT version {version}")
        lid = r.read(32)
        ts = r.uint(8)
        exts = r.opaque(2)
        hash_alg = r.uint(1)
        sig_alg = r.uint(1)
        sig = r.opaque(2)
        r.end()
        return cls(version, lid, ts, exts, DigitallySigned(hash_alg, sig_alg, sig))

    @classmethod
    def from_json(cls, obj: dict) -> "SCT":
        """Parses an add-chain / add-pre-chain response (RFC 6962 s4.1)."""
        if not isinstance(obj, dict):
            raise VerifyError(f"SCT JSON must be an object, got {type(obj).__name__}")
        for key in ("sct_version", "id", "timestamp", "extensions", "signature"):
            if key not in obj:
                raise VerifyError(f"SCT JSON lacks {key!r}: {obj}")
        version = obj["sct_version"]
        ts = obj["timestamp"]
        if type(version) is not int or version != SCT_VERSION_V1:
            raise VerifyError(f"bad sct_version {version!r}")
        if type(ts) is not int or not 0 <= ts < 1 << 64:
            raise VerifyError(f"bad timestamp {ts!r}")
        lid = unb64(obj["id"])
        if len(lid) != 32:
            raise VerifyError(f"log id has {len(lid)} bytes")
        return cls(version, lid, ts, unb64(obj["extensions"]),
                   DigitallySigned.parse(unb64(obj["signature"])))

    def encode(self) -> bytes:
        return (bytes([self.version]) + self.log_id + tls_uint(self.timestamp, 8)
                + tls_opaque(self.extensions, 2) + self.signature.encode())

    @property
    def leaf_index(self) -> int:
        return parse_leaf_index(self.extensions)


def signed_entry_x509(cert_der: bytes) -> bytes:
    return tls_opaque(cert_der, 3)


def signed_entry_precert(issuer_key_hash: bytes, tbs_der: bytes) -> bytes:
    if len(issuer_key_hash) != 32:
        raise ValueError("issuer_key_hash must be 32 bytes")
    return issuer_key_hash + tls_opaque(tbs_der, 3)


def sct_signature_input(sct: SCT, entry_type: int, signed_entry: bytes) -> bytes:
    """RFC 6962 s3.2: the digitally-signed struct covered by an SCT signature."""
    return (bytes([sct.version, SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP])
            + tls_uint(sct.timestamp, 8) + tls_uint(entry_type, 2)
            + signed_entry + tls_opaque(sct.extensions, 2))


def verify_sct(sct: SCT, public_key, entry_type: int, signed_entry: bytes) -> None:
    if sct.version != SCT_VERSION_V1:
        raise VerifyError(f"unknown SCT version {sct.version}")
    if sct.log_id != log_id(public_key):
        raise VerifyError("SCT log id does not match the log key")
    verify_digitally_signed(public_key, sct.signature,
                            sct_signature_input(sct, entry_type, signed_entry))


# ---------------------------------------------------------------- STH


@dataclass(frozen=True)
class STH:
    tree_size: int
    timestamp: int
    root_hash: bytes
    signature: DigitallySigned

    @classmethod
    def from_json(cls, obj: dict) -> "STH":
        """Parses a get-sth response (RFC 6962 s4.3)."""
        if not isinstance(obj, dict):
            raise VerifyError(f"STH JSON must be an object, got {type(obj).__name__}")
        for key in ("tree_size", "timestamp", "sha256_root_hash", "tree_head_signature"):
            if key not in obj:
                raise VerifyError(f"STH JSON lacks {key!r}: {obj}")
        size, ts = obj["tree_size"], obj["timestamp"]
        for name, value in (("tree_size", size), ("timestamp", ts)):
            if type(value) is not int or not 0 <= value < 1 << 64:
                raise VerifyError(f"bad {name} {value!r}")
        root = unb64(obj["sha256_root_hash"])
        if len(root) != 32:
            raise VerifyError(f"root hash has {len(root)} bytes")
        return cls(size, ts, root, DigitallySigned.parse(unb64(obj["tree_head_signature"])))


def sth_signature_input(tree_size: int, timestamp: int, root_hash: bytes) -> bytes:
    """RFC 6962 s3.5: the TreeHeadSignature struct."""
    if len(root_hash) != 32:
        raise ValueError("root hash must be 32 bytes")
    return (bytes([SCT_VERSION_V1, SIGNATURE_TYPE_TREE_HASH]) + tls_uint(timestamp, 8)
            + tls_uint(tree_size, 8) + root_hash)


def verify_sth(sth: STH, public_key) -> None:
    verify_digitally_signed(public_key, sth.signature,
                            sth_signature_input(sth.tree_size, sth.timestamp, sth.root_hash))


# ---------------------------------------------------------------- Merkle leaves


@dataclass(frozen=True)
class MerkleTreeLeaf:
    timestamp: int
    entry_type: int
    signed_entry: bytes          # exactly as encoded in the leaf
    extensions: bytes
    cert_der: bytes | None = None          # x509 entries
    issuer_key_hash: bytes | None = None   # precert entries
    tbs_der: bytes | None = None           # precert entries

    @classmethod
    def parse(cls, data: bytes) -> "MerkleTreeLeaf":
        """Parses a MerkleTreeLeaf (RFC 6962 s3.4) holding a TimestampedEntry."""
        r = TLSReader(data)
        version = r.uint(1)
        if version != SCT_VERSION_V1:
            raise VerifyError(f"leaf version {version}")
        leaf_type = r.uint(1)
        if leaf_type != MERKLE_LEAF_TYPE_TIMESTAMPED_ENTRY:
            raise VerifyError(f"leaf type {leaf_type}")
        ts = r.uint(8)
        entry_type = r.uint(2)
        start = r.pos
        cert = ikh = tbs = None
        if entry_type == ENTRY_TYPE_X509:
            cert = r.opaque(3, min_len=1)
        elif entry_type == ENTRY_TYPE_PRECERT:
            ikh = r.read(32)
            tbs = r.opaque(3, min_len=1)
        else:
            raise VerifyError(f"unknown entry type {entry_type}")
        signed_entry = r.data[start:r.pos]
        exts = r.opaque(2)
        r.end()
        return cls(ts, entry_type, signed_entry, exts, cert, ikh, tbs)

    def encode(self) -> bytes:
        return build_leaf_input(self.timestamp, self.entry_type, self.signed_entry, self.extensions)

    @property
    def leaf_index(self) -> int:
        return parse_leaf_index(self.extensions)


def build_leaf_input(timestamp: int, entry_type: int, signed_entry: bytes, extensions: bytes) -> bytes:
    return (bytes([SCT_VERSION_V1, MERKLE_LEAF_TYPE_TIMESTAMPED_ENTRY]) + tls_uint(timestamp, 8)
            + tls_uint(entry_type, 2) + signed_entry + tls_opaque(extensions, 2))


def parse_cert_list(data: bytes) -> list[bytes]:
    """ASN.1Cert list<0..2^24-1> of ASN.1Cert<1..2^24-1>."""
    r = TLSReader(TLSReader(data).opaque(3))
    out = []
    while r.remaining():
        out.append(r.opaque(3, min_len=1))
    return out


def parse_extra_data(entry_type: int, data: bytes) -> tuple[bytes | None, list[bytes]]:
    """Returns (pre_certificate or None, chain) from a get-entries extra_data."""
    r = TLSReader(data)
    if entry_type == ENTRY_TYPE_X509:
        chain_bytes = r.opaque(3)
        r.end()
        return None, parse_cert_list(tls_opaque(chain_bytes, 3))
    if entry_type == ENTRY_TYPE_PRECERT:
        pre = r.opaque(3, min_len=1)
        chain_bytes = r.opaque(3)
        r.end()
        return pre, parse_cert_list(tls_opaque(chain_bytes, 3))
    raise VerifyError(f"unknown entry type {entry_type}")


# ---------------------------------------------------------------- DER walker


@dataclass(frozen=True)
class TLV:
    tag: int
    raw: bytes          # the whole element, header included
    header_len: int

    @property
    def content(self) -> bytes:
        return self.raw[self.header_len:]

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)


def der_read(data: bytes, pos: int = 0) -> TLV:
    """Reads one DER element at pos (single-byte tags, definite lengths only)."""
    if pos + 2 > len(data):
        raise VerifyError(f"DER: truncated header at {pos}")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise VerifyError("DER: multi-byte tags are not supported")
    first = data[pos + 1]
    if first < 0x80:
        length, header = first, 2
    elif first == 0x80:
        raise VerifyError("DER: indefinite length")
    else:
        n = first & 0x7F
        if n > 4 or pos + 2 + n > len(data):
            raise VerifyError("DER: bad long-form length")
        length = int.from_bytes(data[pos + 2:pos + 2 + n], "big")
        if length < 0x80 or data[pos + 2] == 0:
            raise VerifyError("DER: non-minimal length")
        header = 2 + n
    end = pos + header + length
    if end > len(data):
        raise VerifyError(f"DER: element at {pos} overruns its container")
    return TLV(tag, bytes(data[pos:end]), header)


def der_children(content: bytes) -> list[TLV]:
    out, pos = [], 0
    while pos < len(content):
        tlv = der_read(content, pos)
        out.append(tlv)
        pos += len(tlv.raw)
    return out


def der_parse_single(data: bytes) -> TLV:
    tlv = der_read(data, 0)
    if len(tlv.raw) != len(data):
        raise VerifyError("DER: trailing bytes after element")
    return tlv


def der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def der_encode(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + der_length(len(content)) + content


def der_oid(dotted: str) -> bytes:
    """The complete DER encoding (tag 06) of an OBJECT IDENTIFIER."""
    arcs = [int(a) for a in dotted.split(".")]
    if len(arcs) < 2:
        raise ValueError(dotted)
    values = [arcs[0] * 40 + arcs[1]] + arcs[2:]
    body = bytearray()
    for v in values:
        chunk = [v & 0x7F]
        v >>= 7
        while v:
            chunk.append(0x80 | (v & 0x7F))
            v >>= 7
        body.extend(reversed(chunk))
    return der_encode(0x06, bytes(body))


TAG_SEQUENCE = 0x30
TAG_OCTET_STRING = 0x04
TAG_BOOLEAN = 0x01
TAG_TBS_VERSION = 0xA0
TAG_TBS_EXTENSIONS = 0xA3


def cert_tbs(cert_der: bytes) -> bytes:
    """The raw tbsCertificate element of a Certificate."""
    cert = der_parse_single(cert_der)
    if cert.tag != TAG_SEQUENCE:
        raise VerifyError("certificate is not a SEQUENCE")
    parts = der_children(cert.content)
    if len(parts) != 3 or parts[0].tag != TAG_SEQUENCE:
        raise VerifyError("certificate does not have tbs, algorithm, signature")
    return parts[0].raw


@dataclass
class TBSFields:
    """A tbsCertificate split into its fields, for rewriting."""
    fields: list[TLV]
    version_present: bool

    @classmethod
    def parse(cls, tbs_der: bytes) -> "TBSFields":
        tbs = der_parse_single(tbs_der)
        if tbs.tag != TAG_SEQUENCE:
            raise VerifyError("tbsCertificate is not a SEQUENCE")
        fields = der_children(tbs.content)
        version_present = bool(fields) and fields[0].tag == TAG_TBS_VERSION
        if len(fields) < 6 + int(version_present):
            raise VerifyError("tbsCertificate has too few fields")
        return cls(fields, version_present)

    def _index(self, offset: int) -> int:
        return offset + int(self.version_present)

    @property
    def issuer(self) -> TLV:
        return self.fields[self._index(2)]

    @property
    def subject(self) -> TLV:
        return self.fields[self._index(4)]

    @property
    def spki(self) -> TLV:
        return self.fields[self._index(5)]

    def set_issuer(self, issuer_raw: bytes) -> None:
        self.fields[self._index(2)] = der_parse_single(issuer_raw)

    def extensions(self) -> list[TLV]:
        for f in self.fields:
            if f.tag == TAG_TBS_EXTENSIONS:
                inner = der_parse_single(f.content)
                if inner.tag != TAG_SEQUENCE:
                    raise VerifyError("extensions are not a SEQUENCE")
                return der_children(inner.content)
        return []

    def set_extensions(self, exts: list[TLV]) -> None:
        kept = [f for f in self.fields if f.tag != TAG_TBS_EXTENSIONS]
        if exts:
            seq = der_encode(TAG_SEQUENCE, b"".join(e.raw for e in exts))
            kept.append(der_parse_single(der_encode(TAG_TBS_EXTENSIONS, seq)))
        self.fields = kept

    def encode(self) -> bytes:
        return der_encode(TAG_SEQUENCE, b"".join(f.raw for f in self.fields))


def extension_oid(ext: TLV) -> bytes:
    parts = der_children(ext.content)
    if not parts or parts[0].tag != 0x06:
        raise VerifyError("extension does not start with an OID")
    return parts[0].raw


def extension_value(ext: TLV) -> bytes:
    """The contents of an Extension's extnValue OCTET STRING."""
    parts = der_children(ext.content)
    if parts[-1].tag != TAG_OCTET_STRING:
        raise VerifyError("extension value is not an OCTET STRING")
    return parts[-1].content


def replace_extension_value(ext: TLV, value: bytes) -> TLV:
    parts = der_children(ext.content)
    parts[-1] = der_parse_single(der_encode(TAG_OCTET_STRING, value))
    return der_parse_single(der_encode(TAG_SEQUENCE, b"".join(p.raw for p in parts)))


def find_extension(tbs: TBSFields, oid: str) -> TLV | None:
    want = der_oid(oid)
    matches = [e for e in tbs.extensions() if extension_oid(e) == want]
    if len(matches) > 1:
        raise VerifyError(f"extension {oid} appears {len(matches)} times")
    return matches[0] if matches else None


def tbs_spki(cert_der: bytes) -> bytes:
    """The raw SubjectPublicKeyInfo element of a certificate."""
    return TBSFields.parse(cert_tbs(cert_der)).spki.raw


def issuer_key_hash(issuer_cert_der: bytes) -> bytes:
    return sha256(tbs_spki(issuer_cert_der))


def is_precert_signing_cert(cert_der: bytes) -> bool:
    """True when the certificate's EKU lists the CT precertificate signing purpose."""
    eku = find_extension(TBSFields.parse(cert_tbs(cert_der)), OID_EXTENDED_KEY_USAGE)
    if eku is None:
        return False
    seq = der_parse_single(extension_value(eku))
    return any(p.raw == der_oid(OID_CT_PRECERT_SIGNING) for p in der_children(seq.content))


def precert_tbs(precert_der: bytes, psc_der: bytes | None = None) -> bytes:
    """The TBSCertificate an SCT for a precertificate signs (RFC 6962 s3.2).

    The critical poison extension is removed. When a Precertificate Signing
    Certificate (psc_der) issued the precertificate, the issuer becomes the
    PSC's issuer and the AuthorityKeyIdentifier becomes the PSC's (dropped if
    the PSC has none, appended if only the PSC has one).
    """
    tbs = TBSFields.parse(cert_tbs(precert_der))
    poison = der_oid(OID_CT_POISON)
    exts = tbs.extensions()
    poisons = [e for e in exts if extension_oid(e) == poison]
    if len(poisons) != 1:
        raise VerifyError(f"precertificate has {len(poisons)} poison extensions")
    exts = [e for e in exts if extension_oid(e) != poison]
    if psc_der is not None:
        psc = TBSFields.parse(cert_tbs(psc_der))
        tbs.set_issuer(psc.issuer.raw)
        psc_aki = find_extension(psc, OID_AUTHORITY_KEY_ID)
        aki_oid = der_oid(OID_AUTHORITY_KEY_ID)
        positions = [i for i, e in enumerate(exts) if extension_oid(e) == aki_oid]
        if positions:
            i = positions[0]
            if psc_aki is not None:
                exts[i] = replace_extension_value(exts[i], extension_value(psc_aki))
            else:
                del exts[i]
        elif psc_aki is not None:
            exts.append(der_parse_single(der_encode(
                TAG_SEQUENCE, aki_oid + der_encode(TAG_OCTET_STRING, extension_value(psc_aki)))))
    tbs.set_extensions(exts)
    return tbs.encode()


def final_cert_tbs_without_scts(cert_der: bytes) -> bytes:
    """A final certificate's TBS with its embedded SCT list removed (RFC 6962 s3.3)."""
    tbs = TBSFields.parse(cert_tbs(cert_der))
    sct_oid = der_oid(OID_CT_SCT_LIST)
    tbs.set_extensions([e for e in tbs.extensions() if extension_oid(e) != sct_oid])
    return tbs.encode()


def embedded_scts(cert_der: bytes) -> list[bytes]:
    """The TLS-encoded SCTs of a final certificate's SCT list extension."""
    ext = find_extension(TBSFields.parse(cert_tbs(cert_der)), OID_CT_SCT_LIST)
    if ext is None:
        return []
    octets = der_parse_single(extension_value(ext))
    if octets.tag != TAG_OCTET_STRING:
        raise VerifyError("SCT list is not wrapped in an OCTET STRING")
    r = TLSReader(TLSReader(octets.content).opaque(2))
    out = []
    while r.remaining():
        out.append(r.opaque(2, min_len=1))
    return out


def precert_signed_entry(chain_ders: Sequence[bytes]) -> bytes:
    """The PreCert signed_entry for a submitted precertificate chain.

    chain_ders[0] is the precertificate; chain_ders[1] its issuer. When that
    issuer is a Precertificate Signing Certificate, chain_ders[2] is the final
    CA whose key hash the entry carries.
    """
    if len(chain_ders) < 2:
        raise VerifyError("a precertificate chain needs at least its issuer")
    if is_precert_signing_cert(chain_ders[1]):
        if len(chain_ders) < 3:
            raise VerifyError("a PSC-issued precertificate chain needs the PSC's issuer")
        return signed_entry_precert(issuer_key_hash(chain_ders[2]),
                                    precert_tbs(chain_ders[0], chain_ders[1]))
    return signed_entry_precert(issuer_key_hash(chain_ders[1]), precert_tbs(chain_ders[0]))


# ---------------------------------------------------------------- Merkle trees


def leaf_hash(leaf_input: bytes) -> bytes:
    return sha256(b"\x00" + leaf_input)


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


def _largest_power_of_two_below(n: int) -> int:
    """k with k < n <= 2k, for n >= 2."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """An in-memory RFC 6962 tree: roots and proofs for any prefix size.

    Used to recompute what the log should have served, from the entries alone.
    Perfect aligned subtrees are memoised so many root/proof queries stay cheap.
    """

    def __init__(self, leaf_hashes: Iterable[bytes] = ()):
        self.leaves: list[bytes] = list(leaf_hashes)
        self._perfect: dict[tuple[int, int], bytes] = {}

    def append(self, leaf_hash_value: bytes) -> None:
        self.leaves.append(leaf_hash_value)

    def __len__(self) -> int:
        return len(self.leaves)

    def _hash(self, start: int, n: int) -> bytes:
        if n == 1:
            return self.leaves[start]
        perfect = n & (n - 1) == 0
        if perfect and (start, n) in self._perfect:
            return self._perfect[(start, n)]
        k = _largest_power_of_two_below(n)
        h = node_hash(self._hash(start, k), self._hash(start + k, n - k))
        if perfect:
            self._perfect[(start, n)] = h
        return h

    def root(self, size: int | None = None) -> bytes:
        size = len(self.leaves) if size is None else size
        if not 0 <= size <= len(self.leaves):
            raise ValueError(f"size {size} outside 0..{len(self.leaves)}")
        return EMPTY_ROOT if size == 0 else self._hash(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """RFC 6962 s2.1.1 PATH(m, D[n])."""
        if not 0 <= index < size <= len(self.leaves):
            raise ValueError("index/size out of range")
        return self._path(index, 0, size)

    def _path(self, m: int, start: int, n: int) -> list[bytes]:
        if n == 1:
            return []
        k = _largest_power_of_two_below(n)
        if m < k:
            return self._path(m, start, k) + [self._hash(start + k, n - k)]
        return self._path(m - k, start + k, n - k) + [self._hash(start, k)]

    def consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """RFC 6962 s2.1.2 PROOF(m, D[n])."""
        if not 0 < size1 <= size2 <= len(self.leaves):
            raise ValueError("sizes out of range")
        return self._subproof(size1, 0, size2, True)

    def _subproof(self, m: int, start: int, n: int, whole: bool) -> list[bytes]:
        if m == n:
            return [] if whole else [self._hash(start, n)]
        k = _largest_power_of_two_below(n)
        if m <= k:
            return self._subproof(m, start, k, whole) + [self._hash(start + k, n - k)]
        return self._subproof(m - k, start + k, n - k, False) + [self._hash(start, k)]


def _check_proof_hashes(proof: Sequence[bytes]) -> None:
    for i, p in enumerate(proof):
        if len(p) != 32:
            raise VerifyError(f"proof element {i} has {len(p)} bytes")


def verify_inclusion(leaf_index: int, tree_size: int, leaf_hash_value: bytes,
                     proof: Sequence[bytes], root: bytes) -> None:
    """RFC 9162 s2.1.3.2."""
    if leaf_index < 0 or leaf_index >= tree_size:
        raise VerifyError(f"leaf index {leaf_index} not below tree size {tree_size}")
    if len(leaf_hash_value) != 32:
        raise VerifyError(f"leaf hash has {len(leaf_hash_value)} bytes")
    _check_proof_hashes(proof)
    fn, sn, r = leaf_index, tree_size - 1, leaf_hash_value
    for p in proof:
        if sn == 0:
            raise VerifyError("inclusion proof is longer than the path")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerifyError("inclusion proof is shorter than the path")
    if r != root:
        raise VerifyError("inclusion proof does not lead to the root")


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes],
                       root1: bytes, root2: bytes) -> None:
    """RFC 9162 s2.1.4.2. A consistency proof from size 0 is rejected as meaningless."""
    if size1 < 0 or size2 < 0:
        raise VerifyError("negative tree size")
    if size1 > size2:
        raise VerifyError(f"first size {size1} exceeds second size {size2}")
    if size1 == 0:
        raise VerifyError("consistency from an empty tree proves nothing")
    if size1 == size2:
        if proof:
            raise VerifyError("equal sizes need an empty proof")
        if root1 != root2:
            raise VerifyError("equal sizes with different roots")
        return
    if not proof:
        raise VerifyError("empty consistency proof")
    _check_proof_hashes(proof)
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerifyError("consistency proof is longer than the path")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerifyError("consistency proof is shorter than the path")
    if fr != root1:
        raise VerifyError("consistency proof does not reproduce the first root")
    if sr != root2:
        raise VerifyError("consistency proof does not reproduce the second root")


# ---------------------------------------------------------------- certificates


_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.S)


def pem_certs(data: bytes | str) -> list[bytes]:
    """DER certificates from a PEM bundle (decoded here, not by an X.509 parser,
    so legacy test certificates load too)."""
    if isinstance(data, str):
        data = data.encode()
    out = []
    for body in _PEM_CERT.findall(data):
        der = base64.b64decode(b"".join(body.split()), validate=True)
        der_parse_single(der)
        out.append(der)
    return out


def der_to_pem(ders: Iterable[bytes]) -> bytes:
    out = b""
    for der in ders:
        out += x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
    return out


@dataclass
class ExpectedEntry:
    """What the log must hold for one accepted submission."""
    entry_type: int
    signed_entry: bytes
    leaf_cert: bytes                  # the certificate or precertificate submitted
    chain: list[bytes] = field(default_factory=list)  # issuers up to and including the root

    @classmethod
    def for_submission(cls, chain_ders: Sequence[bytes], precert: bool,
                       root_der: bytes) -> "ExpectedEntry":
        """chain_ders as submitted (root optional); root_der the accepted root."""
        full = list(chain_ders)
        if full[-1] != root_der:
            full.append(root_der)
        if precert:
            return cls(ENTRY_TYPE_PRECERT, precert_signed_entry(full), full[0], full[1:])
        return cls(ENTRY_TYPE_X509, signed_entry_x509(full[0]), full[0], full[1:])

    def check_sct(self, sct: SCT, public_key) -> None:
        verify_sct(sct, public_key, self.entry_type, self.signed_entry)

    def check_leaf(self, leaf_input: bytes, timestamp: int, index: int) -> MerkleTreeLeaf:
        leaf = MerkleTreeLeaf.parse(leaf_input)
        if leaf.entry_type != self.entry_type:
            raise VerifyError(f"entry type {leaf.entry_type}, want {self.entry_type}")
        if leaf.signed_entry != self.signed_entry:
            raise VerifyError("signed entry differs from the submission")
        if leaf.timestamp != timestamp:
            raise VerifyError(f"leaf timestamp {leaf.timestamp}, SCT says {timestamp}")
        if leaf.extensions != leaf_index_extension(index):
            raise VerifyError(f"leaf extensions {leaf.extensions.hex()} are not leaf_index {index}")
        return leaf

    def check_extra_data(self, extra_data: bytes) -> None:
        pre, chain = parse_extra_data(self.entry_type, extra_data)
        if self.entry_type == ENTRY_TYPE_PRECERT and pre != self.leaf_cert:
            raise VerifyError("pre_certificate differs from the submission")
        if chain != self.chain:
            raise VerifyError(f"extra_data chain of {len(chain)} certificates differs from the "
                              f"{len(self.chain)} submitted issuers plus root")
