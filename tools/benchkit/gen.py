"""Makes the inputs of a Vigil load benchmark, before any timing starts.

    python3 gen.py --out DIR --count N [--issuer ecdsa|rsa] [--other-roots M] [--endorsed --log-key KEY.pem]

Writes into DIR:
  root.pem              the roots the log accepts: M others (default none), then the one that
                        issued the chains, as a production log accepts hundreds of roots
  bodies.jsonl          N add-chain bodies, one JSON object a line, each [leaf, intermediate]
  cert-bytes            total DER bytes of the N leaves plus the intermediate and root once
With --endorsed, the leaves are OV (2.23.140.1.2.2 and an O= subject) and each body carries an
inline bundle from two of three endorsers, signed over the statement of Specs/endorsement.md
(written here from the spec, not by Vigil's code); DIR also gets contract.yaml.

Every leaf has its own serial and DNS name, so none is a duplicate of another.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import struct
import time
from concurrent.futures import ProcessPoolExecutor

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

UTC = dt.timezone.utc
DV = ObjectIdentifier("2.23.140.1.2.1")
OV = ObjectIdentifier("2.23.140.1.2.2")
CONTRACT_ID = "vigil-bench"
ENDORSERS = ("registry", "notary", "auditor")


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def spki(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def ca_cert(subject: str | x509.Name, key, issuer_name: x509.Name | None, issuer_key, now: dt.datetime) -> x509.Certificate:
    """A CA certificate for `subject` (a Name, or the CN under O=Vigil Benchmark); self-signed
    when `issuer_name` is None."""
    name = subject if isinstance(subject, x509.Name) else x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Vigil Benchmark"), x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder()
               .subject_name(name).issuer_name(issuer_name or name).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None if issuer_name is None else 0), True)
               .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False))
    return builder.sign(issuer_key, hashes.SHA256())


def statement(log_id: bytes, cert_hash: bytes, level: int, expiry_ms: int) -> bytes:
    """Specs/endorsement.md, "Statement": an approval of an x509 entry."""
    cid = CONTRACT_ID.encode()
    return (b"vigil-endorsement-v1\x00" + log_id + b"\x00" + cert_hash + bytes(32) + bytes([level])
            + bytes([len(cid)]) + cid + struct.pack(">I", 1) + b"\x01" + struct.pack(">Q", expiry_ms))


_state: dict = {}


def _init(state: dict) -> None:
    _state.update(state)
    _state["int_key"] = serialization.load_pem_private_key(state["int_key_pem"], None)
    _state["int_cert"] = x509.load_der_x509_certificate(state["int_der"])
    _state["endorser_keys"] = [serialization.load_pem_private_key(p, None) for p in state["endorser_pems"]]


def _leaves(span: tuple[int, int]) -> tuple[list[str], int]:
    s = _state
    now = dt.datetime.fromtimestamp(s["now"], UTC)
    int_cert, int_key = s["int_cert"], s["int_key"]
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(int_key.public_key())
    int_b64 = base64.b64encode(s["int_der"]).decode()
    lines, total = [], 0
    for i in range(*span):
        host = f"host-{i:08d}.bench.vigil.test"
        leaf_key = ec.generate_private_key(ec.SECP256R1())   # every leaf its own key, as in real logs
        ski = x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key())
        attributes = [x509.NameAttribute(NameOID.COMMON_NAME, host)]
        if s["endorsed"]:
            attributes.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Bench Org {i}"))
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name(attributes)).issuer_name(int_cert.subject)
                   .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=90))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
                   .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
                   .add_extension(ski, False).add_extension(aki, False)
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(host), x509.DNSName("www." + host)]), False)
                   .add_extension(x509.CertificatePolicies([x509.PolicyInformation(OV if s["endorsed"] else DV, None)]), False)
                   .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                       x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
                       x509.UniformResourceIdentifier("http://ca.bench.vigil.test/intermediate.der"))]), False))
        leaf = der(builder.sign(int_key, hashes.SHA256()))
        total += len(leaf)
        body: dict = {"chain": [base64.b64encode(leaf).decode(), int_b64]}
        if s["endorsed"]:
            subject = statement(s["log_id"], hashlib.sha256(leaf).digest(), 2, s["expiry_ms"])
            pair = ((0, 1), (1, 2), (0, 2))[i % 3]
            bundle = []
            for e in pair:
                key = s["endorser_keys"][e]
                signature = key.sign(subject) if isinstance(key, ed25519.Ed25519PrivateKey) \
                    else key.sign(subject, ec.ECDSA(hashes.SHA256()))
                bundle.append({"endorser": ENDORSERS[e], "statement": base64.b64encode(subject).decode(),
                               "signature": base64.b64encode(signature).decode()})
            body["endorsements"] = bundle
        lines.append(json.dumps(body, separators=(",", ":")))
    return lines, total


def pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def contract_yaml(endorser_keys, now: dt.datetime) -> str:
    lines = [f"id: {CONTRACT_ID}", "version: 1", "pending_lifetime: 3600", "endorsers:"]
    for name, key in zip(ENDORSERS, endorser_keys):
        lines += [f"  - id: {name}", f"    operator: {name.capitalize()} Operator",
                  f"    key: {base64.b64encode(spki(key)).decode()}", "    levels: [OV, EV]",
                  f"    valid_from: {(now - dt.timedelta(days=1)).strftime('%Y-%m-%dT%H:%M:%SZ')}",
                  f"    valid_until: {(now + dt.timedelta(days=365)).strftime('%Y-%m-%dT%H:%M:%SZ')}"]
    lines += ["levels:", '  OV: {rule: "2-of(registry, notary, auditor)", min_operators: 2}',
              '  EV: {rule: "2-of(registry, notary, auditor)", min_operators: 2}']
    return "\n".join(lines) + "\n"


def other_roots(count: int, now: dt.datetime) -> list[x509.Certificate]:
    """`count` self-signed roots that issued nothing here, with names of varied lengths, in
    threes under one organization (as CAs keep several roots), all under one key."""
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Example Trust Services {index // 3}"),
                        x509.NameAttribute(NameOID.COMMON_NAME, f"Example Root CA {'G' * (1 + index % 37)}{index}")])
             for index in range(count)]
    return [ca_cert(name, key, None, key, now) for name in names]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--issuer", choices=("ecdsa", "rsa"), default="ecdsa")
    parser.add_argument("--other-roots", type=int, default=0, help="accepted roots besides the one that issued the chains")
    parser.add_argument("--endorsed", action="store_true")
    parser.add_argument("--log-key", help="the log's private key PEM (needed with --endorsed: statements name the log)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    started = time.time()
    now = dt.datetime.now(UTC)

    root_key = ec.generate_private_key(ec.SECP256R1())
    root = ca_cert("Vigil Benchmark Root", root_key, None, root_key, now)
    int_key = rsa.generate_private_key(65537, 2048) if args.issuer == "rsa" else ec.generate_private_key(ec.SECP256R1())
    intermediate = ca_cert(f"Vigil Benchmark {args.issuer.upper()} Intermediate", int_key, root.subject, root_key, now)
    endorser_keys = [ec.generate_private_key(ec.SECP256R1()), ed25519.Ed25519PrivateKey.generate(),
                     ec.generate_private_key(ec.SECP256R1())]
    log_id = b""
    if args.endorsed:
        if not args.log_key:
            parser.error("--endorsed needs --log-key")
        with open(args.log_key, "rb") as f:
            log_id = hashlib.sha256(spki(serialization.load_pem_private_key(f.read(), None))).digest()
        with open(os.path.join(args.out, "contract.yaml"), "w") as f:
            f.write(contract_yaml(endorser_keys, now))

    with open(os.path.join(args.out, "root.pem"), "wb") as f:
        for other in other_roots(args.other_roots, now):
            f.write(other.public_bytes(serialization.Encoding.PEM))
        f.write(root.public_bytes(serialization.Encoding.PEM))
    state = {"now": now.timestamp(), "int_key_pem": pem_key(int_key), "int_der": der(intermediate), "endorsed": args.endorsed, "log_id": log_id,
             "expiry_ms": int((now + dt.timedelta(days=1)).timestamp() * 1000),
             "endorser_pems": [pem_key(k) for k in endorser_keys]}
    chunk = 2000
    spans = [(start, min(start + chunk, args.count)) for start in range(0, args.count, chunk)]
    total = len(der(intermediate)) + len(der(root))
    with open(os.path.join(args.out, "bodies.jsonl"), "w") as out, \
            ProcessPoolExecutor(max_workers=os.cpu_count(), initializer=_init, initargs=(state,)) as pool:
        for lines, size in pool.map(_leaves, spans):
            out.write("\n".join(lines) + "\n")
            total += size
    with open(os.path.join(args.out, "cert-bytes"), "w") as f:
        f.write(f"{total}\n")
    print(f"gen: {args.count} {'endorsed OV' if args.endorsed else 'DV'} chains ({args.issuer} issuer) "
          f"in {time.time() - started:.1f} s, {total} certificate bytes")


if __name__ == "__main__":
    main()
