"""Validates the independent verifier (ctverify) against recorded CT vectors,
before it is trusted to judge the log server."""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import re
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

import conftest
import ctverify as cv
import testca

# ---------------------------------------------------------------- helpers


def read_pem_certs(path: Path) -> list[bytes]:
    return cv.pem_certs(path.read_bytes())


def read_go_pem(path: Path) -> bytes:
    """PEM text extracted from a Go string literal ("...\\n" + lines) made plain."""
    out = []
    for line in path.read_text().splitlines():
        line = line.strip()
        line = re.sub(r'\\n"\s*\+?\s*$', "", line)
        line = line.strip('"')
        if line:
            out.append(line)
    return ("\n".join(out) + "\n").encode()


def flip_bit(data: bytes, bit: int) -> bytes:
    b = bytearray(data)
    b[bit // 8] ^= 1 << (bit % 8)
    return bytes(b)


def vector_files(sub: str) -> list[Path | None]:
    """Files for parametrisation; [None] when the folder is absent (the test then
    asks for the `vectors` fixture, which fails under CI and skips elsewhere)."""
    root = conftest.vectors_path() / sub
    files = sorted(root.rglob("*.json")) if root.is_dir() else []
    return files or [None]


def case_id(p: Path | None) -> str:
    return "missing" if p is None else f"{p.parent.name}/{p.stem}"


def d64(text: str) -> bytes:
    return base64.b64decode(text)


# ---------------------------------------------------------------- Merkle vectors


@pytest.mark.parametrize("path", vector_files("merkle/inclusion"), ids=case_id)
def test_inclusion_vector(vectors, path):
    case = json.loads(path.read_text())
    args = (case["leafIdx"], case["treeSize"], d64(case["leafHash"]),
            [d64(p) for p in case["proof"] or []], d64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(cv.VerifyError):
            cv.verify_inclusion(*args)
    else:
        cv.verify_inclusion(*args)


@pytest.mark.parametrize("path", vector_files("merkle/consistency"), ids=case_id)
def test_consistency_vector(vectors, path):
    case = json.loads(path.read_text())
    args = (case["size1"], case["size2"], [d64(p) for p in case["proof"] or []],
            d64(case["root1"]), d64(case["root2"]))
    if case["wantErr"]:
        with pytest.raises(cv.VerifyError):
            cv.verify_consistency(*args)
    else:
        cv.verify_consistency(*args)


def test_merkle_vector_counts(vectors):
    """Every recorded probe was found, and both outcomes are represented."""
    cases = [json.loads(p.read_text()) for p in (vectors / "merkle").rglob("*.json")
             if p.name != "rfc6962-8leaf.json"]
    assert len(cases) == 196
    assert sum(c["wantErr"] for c in cases) > 100
    assert sum(not c["wantErr"] for c in cases) >= 10


def test_rfc6962_8leaf_roots_and_all_proofs(vectors):
    data = json.loads((vectors / "merkle" / "rfc6962-8leaf.json").read_text())
    inputs = [bytes.fromhex(h) for h in data["leaf_inputs_hex"]]
    roots = [bytes.fromhex(h) for h in data["root_hash_by_tree_size_hex"]]
    tree = cv.MerkleTree(cv.leaf_hash(i) for i in inputs)
    assert roots[0] == cv.EMPTY_ROOT
    for size, want in enumerate(roots):
        assert tree.root(size) == want, size
    for n in range(1, 9):
        for m in range(n):
            proof = tree.inclusion_proof(m, n)
            cv.verify_inclusion(m, n, tree.leaves[m], proof, roots[n])
            for bad_index in {m + 1, m - 1} - {m}:
                if 0 <= bad_index < n:
                    with pytest.raises(cv.VerifyError):
                        cv.verify_inclusion(bad_index, n, tree.leaves[m], proof, roots[n])
        for m in range(1, n + 1):
            proof = tree.consistency_proof(m, n)
            cv.verify_consistency(m, n, proof, roots[m], roots[n])
            for i in range(len(proof)):
                bad = list(proof)
                bad[i] = flip_bit(bad[i], 7)
                with pytest.raises(cv.VerifyError):
                    cv.verify_consistency(m, n, bad, roots[m], roots[n])


def test_generated_trees_round_trip():
    """Proofs built by the RFC 6962 s2.1 recursion verify with the RFC 9162
    procedures for every index and size pair up to 70 leaves; any single
    corruption fails."""
    rng = random.Random(6962)
    tree = cv.MerkleTree(cv.leaf_hash(rng.randbytes(rng.randrange(0, 40))) for _ in range(70))
    for n in range(1, 71):
        root = tree.root(n)
        for m in range(n):
            proof = tree.inclusion_proof(m, n)
            cv.verify_inclusion(m, n, tree.leaves[m], proof, root)
            if proof:
                with pytest.raises(cv.VerifyError):
                    cv.verify_inclusion(m, n, tree.leaves[m], proof[:-1], root)
                with pytest.raises(cv.VerifyError):
                    cv.verify_inclusion(m, n, tree.leaves[m], proof + [root], root)
            if m ^ 1 < n:
                with pytest.raises(cv.VerifyError):
                    cv.verify_inclusion(m ^ 1, n, tree.leaves[m], proof, root)
            if n > 1:
                with pytest.raises(cv.VerifyError):
                    cv.verify_inclusion(m, n, tree.leaves[(m + 1) % n], proof, root)
        for m in range(1, n + 1):
            proof = tree.consistency_proof(m, n)
            cv.verify_consistency(m, n, proof, tree.root(m), root)
            if m < n:
                with pytest.raises(cv.VerifyError):
                    cv.verify_consistency(m, n, proof, tree.root(m - 1) if m > 1 else root, root)
                with pytest.raises(cv.VerifyError):
                    cv.verify_consistency(m, n, proof[:-1], tree.root(m), root)
                with pytest.raises(cv.VerifyError):
                    cv.verify_consistency(m, n, proof, tree.root(m), flip_bit(root, 0))


def test_merkle_tree_root_matches_naive_definition():
    rng = random.Random(9162)
    leaves = [cv.leaf_hash(rng.randbytes(8)) for _ in range(37)]

    def mth(hs):
        if len(hs) == 1:
            return hs[0]
        k = 1
        while k * 2 < len(hs):
            k *= 2
        return cv.node_hash(mth(hs[:k]), mth(hs[k:]))

    tree = cv.MerkleTree(leaves)
    for n in range(1, 38):
        assert tree.root(n) == mth(leaves[:n])


# ---------------------------------------------------------------- SCT vectors (ct-cpp)


CPP = "ct-cpp-testdata"

# (proof file, entry type, submitted chain: certificate first, then issuers)
CPP_SCTS = [
    ("test-cert.proof", "x509", ["test-cert.pem"]),
    ("test-intermediate-cert.proof", "x509", ["test-intermediate-cert.pem"]),
    ("test-embedded-pre-cert.proof", "precert", ["test-embedded-pre-cert.pem", "ca-cert.pem"]),
    ("test-embedded-with-preca-pre-cert.proof", "precert",
     ["test-embedded-with-preca-pre-cert.pem", "ca-pre-cert.pem", "ca-cert.pem"]),
    ("test-embedded-with-intermediate-pre-cert.proof", "precert",
     ["test-embedded-with-intermediate-pre-cert.pem", "intermediate-cert.pem"]),
    ("test-embedded-with-intermediate-preca-pre-cert.proof", "precert",
     ["test-embedded-with-intermediate-preca-pre-cert.pem", "intermediate-pre-cert.pem",
      "intermediate-cert.pem"]),
]


def cpp_case(vectors: Path, proof: str, kind: str, files: list[str]):
    d = vectors / CPP
    sct = cv.SCT.parse((d / proof).read_bytes())
    chain = [read_pem_certs(d / f)[0] for f in files]
    key = cv.load_public_key((d / "ct-server-key-public.pem").read_bytes())
    if kind == "x509":
        return sct, key, cv.ENTRY_TYPE_X509, cv.signed_entry_x509(chain[0]), chain
    return sct, key, cv.ENTRY_TYPE_PRECERT, cv.precert_signed_entry(chain), chain


@pytest.mark.parametrize("proof,kind,files", CPP_SCTS, ids=[c[0] for c in CPP_SCTS])
def test_cpp_sct_verifies(vectors, proof, kind, files):
    sct, key, entry_type, signed_entry, _ = cpp_case(vectors, proof, kind, files)
    assert sct.encode() == (vectors / CPP / proof).read_bytes()
    assert sct.log_id == cv.log_id(key)
    assert sct.extensions == b""
    cv.verify_sct(sct, key, entry_type, signed_entry)


@pytest.mark.parametrize("proof,kind,files", CPP_SCTS, ids=[c[0] for c in CPP_SCTS])
def test_cpp_sct_every_flipped_bit_fails(vectors, proof, kind, files):
    """Every single-bit change to the SCT, and sampled changes to the signed
    entry, make verification fail."""
    raw = (vectors / CPP / proof).read_bytes()
    _, key, entry_type, signed_entry, _ = cpp_case(vectors, proof, kind, files)
    for bit in range(len(raw) * 8):
        with pytest.raises(cv.VerifyError):
            cv.verify_sct(cv.SCT.parse(flip_bit(raw, bit)), key, entry_type, signed_entry)
    sct = cv.SCT.parse(raw)
    rng = random.Random(proof)
    for bit in rng.sample(range(len(signed_entry) * 8), 64):
        with pytest.raises(cv.VerifyError):
            cv.verify_sct(sct, key, entry_type, flip_bit(signed_entry, bit))
    other_type = cv.ENTRY_TYPE_PRECERT if entry_type == cv.ENTRY_TYPE_X509 else cv.ENTRY_TYPE_X509
    with pytest.raises(cv.VerifyError):
        cv.verify_sct(sct, key, other_type, signed_entry)


def test_cpp_sct_wrong_key_fails(vectors):
    sct, _, entry_type, signed_entry, _ = cpp_case(vectors, *CPP_SCTS[0])
    for other in ("google-ct-pilot-server-key-public.pem", "google-ct-dev-server-key-public.pem"):
        key = cv.load_public_key((vectors / CPP / other).read_bytes())
        with pytest.raises(cv.VerifyError):
            cv.verify_sct(sct, key, entry_type, signed_entry)


@pytest.mark.parametrize("proof,files", [
    ("test-embedded-with-preca-pre-cert.proof",
     ["test-embedded-with-preca-pre-cert.pem", "ca-pre-cert.pem", "ca-cert.pem"]),
    ("test-embedded-with-intermediate-preca-pre-cert.proof",
     ["test-embedded-with-intermediate-preca-pre-cert.pem", "intermediate-pre-cert.pem",
      "intermediate-cert.pem"]),
])
def test_cpp_psc_rewrite_is_required(vectors, proof, files):
    """Treating the Precertificate Signing Certificate as the final issuer (no
    issuer/AKI rewrite, its own key hash) must not verify."""
    d = vectors / CPP
    sct = cv.SCT.parse((d / proof).read_bytes())
    chain = [read_pem_certs(d / f)[0] for f in files]
    key = cv.load_public_key((d / "ct-server-key-public.pem").read_bytes())
    assert cv.is_precert_signing_cert(chain[1])
    assert not cv.is_precert_signing_cert(chain[2])
    naive = cv.signed_entry_precert(cv.issuer_key_hash(chain[1]), cv.precert_tbs(chain[0]))
    with pytest.raises(cv.VerifyError):
        cv.verify_sct(sct, key, cv.ENTRY_TYPE_PRECERT, naive)
    half = cv.signed_entry_precert(cv.issuer_key_hash(chain[2]), cv.precert_tbs(chain[0]))
    with pytest.raises(cv.VerifyError):
        cv.verify_sct(sct, key, cv.ENTRY_TYPE_PRECERT, half)


@pytest.mark.parametrize("final,precert,issuers", [
    ("test-embedded-cert.pem", "test-embedded-pre-cert.pem", ["ca-cert.pem"]),
    ("test-embedded-with-preca-cert.pem", "test-embedded-with-preca-pre-cert.pem",
     ["ca-pre-cert.pem", "ca-cert.pem"]),
    ("test-embedded-with-intermediate-cert.pem", "test-embedded-with-intermediate-pre-cert.pem",
     ["intermediate-cert.pem"]),
    ("test-embedded-with-intermediate-preca-cert.pem",
     "test-embedded-with-intermediate-preca-pre-cert.pem",
     ["intermediate-pre-cert.pem", "intermediate-cert.pem"]),
])
def test_cpp_embedded_scts_and_tbs_derivation(vectors, final, precert, issuers):
    """The TBS derived from the precertificate equals the final certificate's
    TBS minus its SCT list, and the embedded SCT verifies over it."""
    d = vectors / CPP
    final_der = read_pem_certs(d / final)[0]
    chain = [read_pem_certs(d / precert)[0]] + [read_pem_certs(d / f)[0] for f in issuers]
    psc = chain[1] if cv.is_precert_signing_cert(chain[1]) else None
    assert cv.final_cert_tbs_without_scts(final_der) == cv.precert_tbs(chain[0], psc)
    key = cv.load_public_key((d / "ct-server-key-public.pem").read_bytes())
    scts = cv.embedded_scts(final_der)
    assert len(scts) == 1
    cv.verify_sct(cv.SCT.parse(scts[0]), key, cv.ENTRY_TYPE_PRECERT, cv.precert_signed_entry(chain))


def test_cpp_invalid_embedded_sct_fails(vectors):
    d = vectors / CPP
    final_der = read_pem_certs(d / "test-invalid-embedded-cert.pem")[0]
    ca = read_pem_certs(d / "ca-cert.pem")[0]
    key = cv.load_public_key((d / "ct-server-key-public.pem").read_bytes())
    scts = cv.embedded_scts(final_der)
    assert scts
    entry = cv.signed_entry_precert(cv.issuer_key_hash(ca), cv.final_cert_tbs_without_scts(final_der))
    for raw in scts:
        with pytest.raises(cv.VerifyError):
            cv.verify_sct(cv.SCT.parse(raw), key, cv.ENTRY_TYPE_PRECERT, entry)


def test_cpp_rsa_log_scts(vectors):
    d = vectors / CPP
    key = cv.load_public_key((d / "rsa" / "ct-server-key-public-rsa.pem").read_bytes())
    cert = read_pem_certs(d / "test-cert.pem")[0]
    sct = cv.SCT.parse((d / "rsa" / "test-cert-rsa.proof").read_bytes())
    cv.verify_sct(sct, key, cv.ENTRY_TYPE_X509, cv.signed_entry_x509(cert))
    pre = [read_pem_certs(d / f)[0] for f in ("test-embedded-pre-cert.pem", "ca-cert.pem")]
    sct = cv.SCT.parse((d / "rsa" / "test-embedded-pre-cert-rsa.proof").read_bytes())
    cv.verify_sct(sct, key, cv.ENTRY_TYPE_PRECERT, cv.precert_signed_entry(pre))
    with pytest.raises(cv.VerifyError):
        cv.verify_sct(sct, key, cv.ENTRY_TYPE_X509, cv.signed_entry_x509(cert))


def test_walker_agrees_with_cryptography_tbs(vectors):
    """The walker's TBS extraction equals cryptography's, and its SCT-list
    removal from final certificates equals cryptography's tbs_precertificate_bytes."""
    d = vectors / CPP
    for name in ("test-embedded-cert.pem", "test-embedded-with-intermediate-cert.pem",
                 "test-embedded-with-preca-cert.pem", "test-embedded-pre-cert.pem",
                 "test-cert.pem"):
        der = read_pem_certs(d / name)[0]
        parsed = x509.load_der_x509_certificate(der)
        assert cv.cert_tbs(der) == parsed.tbs_certificate_bytes
        if "pre-cert" not in name and name != "test-cert.pem":
            assert cv.final_cert_tbs_without_scts(der) == parsed.tbs_precertificate_bytes


def test_precert_tbs_rejects_non_precert(vectors):
    der = read_pem_certs(vectors / CPP / "test-cert.pem")[0]
    with pytest.raises(cv.VerifyError):
        cv.precert_tbs(der)


# ---------------------------------------------------------------- ctgo vectors


def test_ctgo_scts_and_leaf_hashes(vectors):
    d = vectors / "ctgo-testdata"
    consts = json.loads((d / "constants.json").read_text())
    key = cv.load_public_key(read_go_pem(d / "LogPublicKeyPEM.pem"))
    cert = cv.pem_certs(read_go_pem(d / "TestCertPEM.pem"))[0]
    pre = cv.pem_certs(read_go_pem(d / "TestPreCertPEM.pem"))[0]
    ca = cv.pem_certs(read_go_pem(d / "CACertPEM.pem"))[0]
    embedded = cv.pem_certs(read_go_pem(d / "TestEmbeddedCertPEM.pem"))[0]
    invalid = cv.pem_certs(read_go_pem(d / "TestInvalidEmbeddedCertPEM.pem"))[0]

    cert_sct = cv.SCT.parse(bytes.fromhex(consts["TestCertProof"]))
    cert_entry = cv.signed_entry_x509(cert)
    cv.verify_sct(cert_sct, key, cv.ENTRY_TYPE_X509, cert_entry)
    leaf = cv.build_leaf_input(cert_sct.timestamp, cv.ENTRY_TYPE_X509, cert_entry, cert_sct.extensions)
    assert cv.leaf_hash(leaf) == d64(consts["TestCertB64LeafHash"])
    assert cv.MerkleTreeLeaf.parse(leaf).cert_der == cert

    pre_sct = cv.SCT.parse(bytes.fromhex(consts["TestPreCertProof"]))
    pre_entry = cv.precert_signed_entry([pre, ca])
    cv.verify_sct(pre_sct, key, cv.ENTRY_TYPE_PRECERT, pre_entry)
    leaf = cv.build_leaf_input(pre_sct.timestamp, cv.ENTRY_TYPE_PRECERT, pre_entry, pre_sct.extensions)
    assert cv.leaf_hash(leaf) == d64(consts["TestPreCertB64LeafHash"])
    parsed = cv.MerkleTreeLeaf.parse(leaf)
    assert parsed.issuer_key_hash == cv.issuer_key_hash(ca) and parsed.tbs_der == cv.precert_tbs(pre)

    # The final certificate, its SCT list removed, yields the same leaf.
    final_entry = cv.signed_entry_precert(cv.issuer_key_hash(ca), cv.final_cert_tbs_without_scts(embedded))
    assert final_entry == pre_entry

    bad_sct = cv.SCT.parse(bytes.fromhex(consts["TestInvalidProof"]))
    bad_entry = cv.signed_entry_precert(cv.issuer_key_hash(ca), cv.final_cert_tbs_without_scts(invalid))
    with pytest.raises(cv.VerifyError):
        cv.verify_sct(bad_sct, key, cv.ENTRY_TYPE_PRECERT, bad_entry)
    assert cv.leaf_hash(leaf) != d64(consts["TestCertB64LeafHash"])


# ---------------------------------------------------------------- STH vectors


def test_real_get_sth_signature(vectors):
    cases = json.loads((vectors / "signed-note" / "vectors.json").read_text())["rfc6962_sth_json"]
    assert cases
    for case in cases:
        key = cv.load_public_key(d64(case["log_key_spki_b64"]))
        sth = cv.STH.from_json(case["sth"])
        cv.verify_sth(sth, key)
        for tweak in ("tree_size", "timestamp"):
            bad = dict(case["sth"], **{tweak: case["sth"][tweak] + 1})
            with pytest.raises(cv.VerifyError):
                cv.verify_sth(cv.STH.from_json(bad), key)
        bad = dict(case["sth"], sha256_root_hash=cv.b64(flip_bit(sth.root_hash, 3)))
        with pytest.raises(cv.VerifyError):
            cv.verify_sth(cv.STH.from_json(bad), key)


def test_rfc6962_checkpoint_signatures(vectors):
    """A checkpoint's RFC 6962 note signature is keyhash(4) | timestamp(8) |
    DigitallySigned over the same TreeHeadSignature struct as get-sth."""
    cases = json.loads((vectors / "signed-note" / "vectors.json").read_text())["rfc6962_checkpoints"]
    assert cases
    for case in cases:
        key = cv.load_public_key(d64(case["log_key_spki_b64"]))
        body, _, sigs = case["checkpoint"].partition("\n\n")
        _origin, size, root = body.split("\n")[:3]
        sig_line = sigs.strip().split("\n")[0]
        blob = d64(sig_line.split(" ")[-1])
        ts = int.from_bytes(blob[4:12], "big")
        ds = cv.DigitallySigned.parse(blob[12:])
        cv.verify_digitally_signed(key, ds, cv.sth_signature_input(int(size), ts, d64(root)))
        with pytest.raises(cv.VerifyError):
            cv.verify_digitally_signed(key, ds, cv.sth_signature_input(int(size) + 1, ts, d64(root)))


# ---------------------------------------------------------------- static-ct tiles


def _tile_leaves(data: bytes):
    """Yields (leaf_input, pre_certificate or None) from a static-ct-api data tile."""
    r = cv.TLSReader(data)
    while r.remaining():
        start = r.pos
        r.read(8)
        entry_type = r.uint(2)
        if entry_type == cv.ENTRY_TYPE_X509:
            r.opaque(3)
        else:
            r.read(32)
            r.opaque(3)
        r.opaque(2)
        timestamped_entry = r.data[start:r.pos]
        pre = r.opaque(3) if entry_type == cv.ENTRY_TYPE_PRECERT else None
        r.opaque(2)   # issuer fingerprints
        yield b"\x00\x00" + timestamped_entry, pre


def test_static_ct_tiles_leaf_hashes_and_leaf_index(vectors):
    """Real leaves carrying the leaf_index extension: the leaf hash rule
    reproduces the production level-0 tiles, the extension decodes to each
    entry's position, and the precertificate TBS derivation matches the TBS the
    production log stored."""
    d = vectors / "static-ct" / "navigli2025h2" / "tile"
    # 003.p/10 is the 10-entry partial tile that preceded the full tile 003.
    tiles = [("000", 0), ("001", 256), ("002", 512), ("003", 768), ("003.p/10", 768)]
    total = precerts_checked = 0
    for name, first in tiles:
        hashes_ = (d / "0" / name).read_bytes()
        leaves = list(_tile_leaves((d / "data" / name).read_bytes()))
        assert len(hashes_) == 32 * len(leaves)
        for i, (leaf_input, pre) in enumerate(leaves):
            assert cv.leaf_hash(leaf_input) == hashes_[32 * i:32 * i + 32], (name, i)
            leaf = cv.MerkleTreeLeaf.parse(leaf_input)
            assert leaf.leaf_index == first + i
            assert leaf.extensions == cv.leaf_index_extension(first + i)
            assert leaf.encode() == leaf_input
            if pre is not None:
                tbs_fields = cv.TBSFields.parse(leaf.tbs_der)
                pre_fields = cv.TBSFields.parse(cv.cert_tbs(pre))
                if tbs_fields.issuer.raw == pre_fields.issuer.raw:   # not PSC-issued
                    assert cv.precert_tbs(pre) == leaf.tbs_der, (name, i)
                    precerts_checked += 1
            else:
                assert leaf.cert_der and x509.load_der_x509_certificate(leaf.cert_der)
        total += len(leaves)
    assert total == 1034
    assert (d / "data" / "003").read_bytes().startswith((d / "data" / "003.p" / "10").read_bytes())
    assert precerts_checked > 100


# ---------------------------------------------------------------- encodings


def test_leaf_index_extension_encoding():
    assert cv.leaf_index_extension(0) == bytes.fromhex("0000050000000000")
    assert cv.leaf_index_extension(0x0102030405) == bytes.fromhex("0000050102030405")
    assert cv.parse_leaf_index(cv.leaf_index_extension(123456)) == 123456
    for bad in (b"", bytes.fromhex("00000401020304"), bytes.fromhex("000005010203"),
                cv.leaf_index_extension(1) + cv.leaf_index_extension(2),
                bytes.fromhex("0100050000000001")):
        with pytest.raises(cv.VerifyError):
            cv.parse_leaf_index(bad)


def test_der_oid_encoding():
    assert cv.der_oid(cv.OID_CT_POISON) == bytes.fromhex("060a2b06010401d679020403")
    assert cv.der_oid(cv.OID_AUTHORITY_KEY_ID) == bytes.fromhex("0603551d23")


def test_der_walker_rejects_malformed():
    for bad in (b"", b"\x30", b"\x30\x05\x01", b"\x30\x80\x00\x00", b"\x30\x81\x05abcde",
                b"\x30\x00\x00"):
        with pytest.raises(cv.VerifyError):
            cv.der_parse_single(bad)


def test_extra_data_and_leaf_round_trip():
    certs = [b"\x30\x03\x02\x01\x01", b"\x30\x03\x02\x01\x02"]
    chain = cv.tls_opaque(b"".join(cv.tls_opaque(c, 3) for c in certs), 3)
    assert cv.parse_extra_data(cv.ENTRY_TYPE_X509, chain) == (None, certs)
    pre = cv.tls_opaque(b"\x30\x00", 3) + chain
    assert cv.parse_extra_data(cv.ENTRY_TYPE_PRECERT, pre) == (b"\x30\x00", certs)
    with pytest.raises(cv.VerifyError):
        cv.parse_extra_data(cv.ENTRY_TYPE_X509, chain + b"\x00")
    with pytest.raises(cv.VerifyError):
        cv.parse_extra_data(cv.ENTRY_TYPE_X509, chain[:-1])
    leaf = cv.build_leaf_input(42, cv.ENTRY_TYPE_X509, cv.signed_entry_x509(certs[0]),
                               cv.leaf_index_extension(7))
    parsed = cv.MerkleTreeLeaf.parse(leaf)
    assert (parsed.timestamp, parsed.cert_der, parsed.leaf_index) == (42, certs[0], 7)
    with pytest.raises(cv.VerifyError):
        cv.MerkleTreeLeaf.parse(leaf + b"\x00")
    with pytest.raises(cv.VerifyError):
        cv.MerkleTreeLeaf.parse(b"\x01" + leaf[1:])


# ---------------------------------------------------------------- the test PKI


def _sign_sct(key, timestamp: int, entry_type: int, signed_entry: bytes, index: int) -> cv.SCT:
    """What a correct log would return, for checking the verifier end to end."""
    unsigned = cv.SCT(0, cv.log_id(key.public_key()), timestamp, cv.leaf_index_extension(index),
                      cv.DigitallySigned(cv.HASH_SHA256, cv.SIG_ECDSA, b""))
    sig = key.sign(cv.sct_signature_input(unsigned, entry_type, signed_entry),
                   ec.ECDSA(hashes.SHA256()))
    return cv.SCT(0, unsigned.log_id, timestamp, unsigned.extensions,
                  cv.DigitallySigned(cv.HASH_SHA256, cv.SIG_ECDSA, sig))


def test_testca_hierarchy_signatures_and_roles():
    pki = testca.TestPKI("Unit")
    root, inter, psc = pki.root.cert, pki.intermediate.cert, pki.psc.cert
    inter.verify_directly_issued_by(root)
    psc.verify_directly_issued_by(inter)
    assert cv.is_precert_signing_cert(testca.der(psc))
    assert not cv.is_precert_signing_cert(testca.der(inter))
    a, b = pki.leaf(), pki.leaf()
    assert a.cert.serial_number != b.cert.serial_number
    assert a.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value != \
        b.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    a.cert.verify_directly_issued_by(inter)
    pki.leaf(via_intermediate=False).cert.verify_directly_issued_by(root)
    bad = pki.leaf_bad_signature()
    with pytest.raises(Exception):
        bad.cert.verify_directly_issued_by(inter)
    when = dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
    assert pki.leaf(not_after=when).cert.not_valid_after_utc == when


@pytest.mark.parametrize("via_psc,via_intermediate", [(False, True), (False, False), (True, True)])
def test_testca_precert_tbs_equals_final_certificate(via_psc, via_intermediate):
    """The walker turns each test precertificate into exactly the TBS of the
    final certificate the CA would issue (PSC case: issuer and AKI rewritten)."""
    pki = testca.TestPKI("Unit")
    issued = pki.precert(via_psc=via_psc, via_intermediate=via_intermediate)
    ders = issued.ders()
    pre = x509.load_der_x509_certificate(ders[0])
    assert pre.extensions.get_extension_for_class(x509.PrecertPoison).critical
    assert cv.is_precert_signing_cert(ders[1]) == via_psc
    psc = ders[1] if via_psc else None
    assert cv.precert_tbs(ders[0], psc) == issued.final.tbs_certificate_bytes
    final_issuer = pki.intermediate.cert if via_intermediate or via_psc else pki.root.cert
    entry = cv.precert_signed_entry(ders)
    assert entry[:32] == cv.sha256(final_issuer.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    if via_psc:
        assert cv.precert_tbs(ders[0]) != issued.final.tbs_certificate_bytes


def test_expected_entry_accepts_a_correct_log_and_rejects_deviations():
    pki = testca.TestPKI("Unit")
    log_key = ec.generate_private_key(ec.SECP256R1())
    root = testca.der(pki.root.cert)
    for issued, precert in ((pki.leaf(), False), (pki.precert(), True),
                            (pki.precert(via_psc=True), True)):
        for include_root in (True, False):
            submitted = issued.ders(include_root)
            exp = cv.ExpectedEntry.for_submission(submitted, precert, root)
            assert exp.chain[-1] == root and exp.chain == issued.ders()[1:]
            sct = _sign_sct(log_key, 1_700_000_000_123, exp.entry_type, exp.signed_entry, 5)
            exp.check_sct(sct, log_key.public_key())
            assert sct.leaf_index == 5
            leaf = cv.build_leaf_input(sct.timestamp, exp.entry_type, exp.signed_entry,
                                       sct.extensions)
            exp.check_leaf(leaf, sct.timestamp, 5)
            with pytest.raises(cv.VerifyError):
                exp.check_leaf(leaf, sct.timestamp + 1, 5)
            with pytest.raises(cv.VerifyError):
                exp.check_leaf(leaf, sct.timestamp, 6)
            chain_list = cv.tls_opaque(b"".join(cv.tls_opaque(c, 3) for c in exp.chain), 3)
            extra = (cv.tls_opaque(exp.leaf_cert, 3) + chain_list) if precert else chain_list
            exp.check_extra_data(extra)
            short = cv.tls_opaque(b"".join(cv.tls_opaque(c, 3) for c in exp.chain[:-1]), 3)
            with pytest.raises(cv.VerifyError):
                exp.check_extra_data((cv.tls_opaque(exp.leaf_cert, 3) + short) if precert else short)
            other = cv.ExpectedEntry.for_submission(pki.leaf().ders(), False, root)
            with pytest.raises(cv.VerifyError):
                other.check_sct(sct, log_key.public_key())
            with pytest.raises(cv.VerifyError):
                exp.check_sct(sct, ec.generate_private_key(ec.SECP256R1()).public_key())


@pytest.mark.parametrize("psc_has_aki,precert_has_aki", [(False, True), (True, False)])
def test_psc_authority_key_id_drop_and_append(psc_has_aki, precert_has_aki):
    """PSC without an AKI: the precertificate's AKI is dropped. Precertificate
    without an AKI: the PSC's is appended. Either way the result is the final
    certificate's TBS."""
    pki = testca.TestPKI("Unit")
    inter = pki.intermediate
    inter_aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(inter.ski)
    psc_key = ec.generate_private_key(ec.SECP256R1())
    b = (x509.CertificateBuilder().subject_name(x509.Name.from_rfc4514_string("CN=psc"))
         .issuer_name(inter.cert.subject).public_key(psc_key.public_key())
         .serial_number(x509.random_serial_number())
         .not_valid_before(pki.not_before).not_valid_after(pki.default_not_after)
         .add_extension(x509.ExtendedKeyUsage([testca.OID_PRECERT_SIGNING]), critical=True))
    if psc_has_aki:
        b = b.add_extension(inter_aki, critical=False)
    psc = b.sign(inter.key, hashes.SHA256())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    serial = x509.random_serial_number()

    def leaf(issuer_name, aki, poison, key):
        lb = (x509.CertificateBuilder().subject_name(x509.Name.from_rfc4514_string("CN=leaf"))
              .issuer_name(issuer_name).public_key(leaf_key.public_key()).serial_number(serial)
              .not_valid_before(pki.not_before).not_valid_after(pki.default_not_after)
              .add_extension(x509.SubjectAlternativeName([x509.DNSName("leaf.test")]), critical=False))
        if aki is not None:
            lb = lb.add_extension(aki, critical=False)
        if poison:
            lb = lb.add_extension(x509.PrecertPoison(), critical=True)
        return lb.sign(key, hashes.SHA256())

    psc_ski = x509.AuthorityKeyIdentifier.from_issuer_public_key(psc_key.public_key())
    pre = leaf(psc.subject, psc_ski if precert_has_aki else None, True, psc_key)
    final = leaf(inter.cert.subject, inter_aki if psc_has_aki else None, False, inter.key)
    got = cv.precert_tbs(testca.der(pre), testca.der(psc))
    assert got == final.tbs_certificate_bytes
