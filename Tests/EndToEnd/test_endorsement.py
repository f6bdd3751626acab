"""Endorser contracts end to end, with the real binaries: DV logs at once; OV without endorsements
gets 202 and is logged once 2 of 3 endorsers approve; EV with an inline bundle is logged at once; a
bundle that counts one endorser twice is refused; the ledger's checkpoint and proofs verify
independently; replay finds no violation, and finds one in a copy whose bundle was tampered with."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

import ctverify
import logserver
import testca
from conftest import _missing

OV_POLICY, EV_POLICY = "2.23.140.1.2.2", "2.23.140.1.1"
LEDGER_ENTRIES_TAG = 0x32   # Specs/storage.md: ledger entries
ENDORSERS = {"registry": ("Business Registry", "p256"), "notary": ("Notaries Inc", "ed25519"), "auditor": ("Audit Partners", "p256")}


def public_pem(key) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.fixture(scope="module")
def endorsed(bin_dir, pki, tmp_path_factory):
    folder = tmp_path_factory.mktemp("endorsers")
    keys, lines = {}, ["id: vigil-e2e", "version: 1", "pending_lifetime: 600", "endorsers:"]
    for name, (operator, kind) in ENDORSERS.items():
        key = ec.generate_private_key(ec.SECP256R1()) if kind == "p256" else ed25519.Ed25519PrivateKey.generate()
        keys[name] = folder / f"{name}.pem"
        keys[name].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
        lines += [f"  - id: {name}", f"    operator: {operator}", "    key: |"]
        lines += ["      " + line for line in public_pem(key).strip().splitlines()]
        lines += ["    levels: [OV, EV]", "    valid_from: 2020-01-01T00:00:00Z", "    valid_until: 2099-01-01T00:00:00Z"]
    lines += ["levels:", '  OV: {rule: "2-of(registry, notary, auditor)", min_operators: 2}',
              '  EV: {rule: "all(registry, notary)", min_operators: 2}']
    contract = folder / "contract.yaml"
    contract.write_text("\n".join(lines) + "\n")
    check = subprocess.run([str(bin_dir / "vigil"), "contract", "check", str(contract)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and "valid" in check.stdout, check.stdout + check.stderr

    server = logserver.LogServer(bin_dir, roots=[pki.root.cert], sequence_interval="50ms", extra_args=["--contract", str(contract)])
    server.start()
    yield server, keys, folder
    server.cleanup()


def vigil(server, *args, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([server.vigil, *args], capture_output=True, text=True, timeout=timeout)


def chain_file(folder: Path, item) -> Path:
    path = folder / f"chain-{item.der[-8:].hex()}.pem"
    path.write_bytes(testca.pem(item.chain[:-1]))
    return path


def verified_sct(server, body: dict, der: bytes) -> ctverify.SCT:
    sct = ctverify.SCT.from_json(body)
    ctverify.verify_sct(sct, server.public_key, ctverify.ENTRY_TYPE_X509, ctverify.signed_entry_x509(der))
    return sct


def test_dv_is_logged_at_once(endorsed, pki):
    server, _, _ = endorsed
    item = pki.leaf(cn_only=True)
    response = server.client.add_chain(item.ders(include_root=False))
    assert response.status == 200, response.describe()
    verified_sct(server, response.json, item.der)


def test_ov_waits_until_two_of_three_endorsers_approve(endorsed, pki):
    server, keys, _ = endorsed
    item = pki.leaf(organization="Example B.V.", policies=[OV_POLICY])
    pending = server.client.add_chain(item.ders(include_root=False))
    assert pending.status == 202, pending.describe()
    body = pending.json
    assert body["state"] == "pending" and body["level"] == "OV" and body["approvals"] == []

    # The statement to sign is the fixed layout, about this log and this certificate.
    statement = base64.b64decode(body["statement"])
    assert statement[:21] == b"vigil-endorsement-v1\x00"
    assert statement[21:53] == server.log_id
    assert statement[53] == 0 and statement[54:86] == hashlib.sha256(item.der).digest() and statement[86:118] == bytes(32)
    assert statement[118] == 2                                   # OV
    assert statement[119] == len(b"vigil-e2e") and statement[120:129] == b"vigil-e2e"
    assert int.from_bytes(statement[129:133], "big") == 1 and statement[133] == 1
    assert int.from_bytes(statement[134:142], "big") == body["expiry"] and len(statement) == 142

    request = body["request_id"]
    first = vigil(server, "endorse", "--key", str(keys["registry"]), "--log", server.url, "--request", request)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"request_id": request, "state": "pending", "approvals": 1}
    again = server.client.add_chain(item.ders(include_root=False))
    assert again.status == 202 and again.json["request_id"] == request and again.json["approvals"] == ["registry"]

    second = vigil(server, "endorse", "--key", str(keys["notary"]), "--log", server.url, "--request", request)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["state"] == "logged"
    status = server.client.request("GET", f"/endorsement/v1/requests/{request}")
    assert status.status == 200 and status.json["state"] == "logged"
    sct = verified_sct(server, status.json["sct"], item.der)
    # A repeated add-chain now gets the logged entry's SCT from the dedup index.
    logged = server.client.add_chain(item.ders(include_root=False))
    assert logged.status == 200 and verified_sct(server, logged.json, item.der).leaf_index == sct.leaf_index


def test_an_endorser_that_approves_and_rejects_is_caught(endorsed, pki):
    server, keys, _ = endorsed
    item = pki.leaf(organization="Flip-Flop Ltd", policies=[OV_POLICY])
    request = server.client.add_chain(item.ders(include_root=False)).json["request_id"]
    assert vigil(server, "endorse", "--key", str(keys["auditor"]), "--log", server.url, "--request", request).returncode == 0
    flip = vigil(server, "endorse", "--key", str(keys["auditor"]), "--log", server.url, "--request", request, "--reject")
    assert flip.returncode != 0 and "409" in flip.stderr and "equivocation" in flip.stderr
    status = server.client.request("GET", f"/endorsement/v1/requests/{request}").json
    assert status["approvals"] == [] and [e["endorser"] for e in status["equivocations"]] == ["auditor"]
    twice = vigil(server, "endorse", "--key", str(keys["registry"]), "--log", server.url, "--request", request)
    assert twice.returncode == 0
    repeat = vigil(server, "endorse", "--key", str(keys["registry"]), "--log", server.url, "--request", request)
    assert repeat.returncode != 0 and "duplicateEndorser" in repeat.stderr


def test_ev_with_an_inline_bundle_is_logged_at_once_and_a_doubled_one_is_refused(endorsed, pki):
    server, keys, folder = endorsed
    item = pki.leaf(organization="Example Bank N.V.", policies=[EV_POLICY])
    chain = chain_file(folder, item)
    files = []
    for name in ("registry", "notary"):
        out = folder / f"{name}-{item.der[-4:].hex()}.json"
        made = vigil(server, "endorse", "--key", str(keys[name]), "--log", server.url, "--chain", str(chain), "--out", str(out))
        assert made.returncode == 0 and "approved EV certificate" in made.stderr, made.stderr
        files.append(out)

    endorsements = [json.loads(f.read_text()) for f in files]
    doubled = server.client.post_json("add-chain", {"chain": [ctverify.b64(d) for d in item.ders(include_root=False)],
                                                    "endorsements": [endorsements[0], endorsements[0]]})
    assert doubled.status == 400 and doubled.json["error"] == "duplicateEndorser", doubled.describe()
    stranger = dict(endorsements[0], endorser="stranger")
    unknown = server.client.post_json("add-chain", {"chain": [ctverify.b64(d) for d in item.ders(include_root=False)],
                                                    "endorsements": [stranger, endorsements[1]]})
    assert unknown.status == 400 and unknown.json["error"] == "unknownEndorser", unknown.describe()

    submitted = vigil(server, "submit", "--log", server.url, "--chain", str(chain), "--key", str(server.pub_path),
                      "--endorsement", str(files[0]), "--endorsement", str(files[1]))
    assert submitted.returncode == 0, submitted.stderr
    verified_sct(server, json.loads(submitted.stdout), item.der)


def test_the_ledger_verifies_independently(endorsed):
    server, _, _ = endorsed
    response = server.client.request("GET", "/endorsement/v1/checkpoint")
    assert response.status == 200
    text = response.body.decode()
    body, _, signatures = text.rpartition("\n\n")
    origin, size, root = body.split("\n")[0], int(body.split("\n")[1]), base64.b64decode(body.split("\n")[2])
    assert origin.endswith("/endorsements") and size == 3        # the contract and two bundles
    raw = base64.b64decode(signatures.strip().split(" ")[2])
    timestamp = int.from_bytes(raw[4:12], "big")
    signed = b"vigil-endorsement-ledger-v1\x00" + size.to_bytes(8, "big") + timestamp.to_bytes(8, "big") + root
    server.public_key.verify(raw[12:], signed, ec.ECDSA(ctverify.hashes.SHA256()))

    entries = [base64.b64decode(e) for e in server.client.request("GET", "/endorsement/v1/get-entries",
                                                                  params={"start": 0, "end": size - 1}).json["entries"]]
    assert [e[0] for e in entries] == [1, 2, 2]
    tree = ctverify.MerkleTree(ctverify.leaf_hash(e) for e in entries)
    assert tree.root() == root
    for index in range(size):
        proof = server.client.request("GET", "/endorsement/v1/get-proof", params={"leaf_index": index, "tree_size": size}).json
        ctverify.verify_inclusion(index, size, ctverify.leaf_hash(entries[index]),
                                  [base64.b64decode(h) for h in proof["audit_path"]], root)
    for first in range(1, size):
        proof = server.client.request("GET", "/endorsement/v1/get-consistency", params={"first": first, "second": size}).json
        ctverify.verify_consistency(first, size, [base64.b64decode(h) for h in proof["consistency"]], tree.root(first), root)
    assert server.client.request("GET", "/endorsement/v1/get-proof", params={"leaf_index": 0, "tree_size": size + 1}).status == 400


def test_replay_is_clean_and_catches_a_tampered_bundle(endorsed, tmp_path):
    try:
        import plyvel
    except ImportError:
        _missing("the plyvel package is not installed (tools/setup installs it)")
    server, _, _ = endorsed
    assert server.stop() == 0
    clean = server.run([server.vigil_log, "replay", "--data", str(server.data_dir)])
    assert clean.returncode == 0 and "no violations" in clean.stdout, clean.stdout + clean.stderr
    assert "2 endorsed" in clean.stdout
    check = server.check(key_path=server.pub_path)
    assert check.returncode == 0 and "consistent" in check.stdout, check.stdout

    copy = tmp_path / "copy"
    shutil.copytree(server.data_dir, copy)
    db = plyvel.DB(str(copy / "leveldb"))
    tampered = False
    for key, value in db:
        if key[0] == LEDGER_ENTRIES_TAG and value[0] == 2:          # a bundle record
            db.put(key, value[:-5] + bytes([value[-5] ^ 1]) + value[-4:])   # inside its last signature
            tampered = True
            break
    db.close()
    assert tampered
    found = server.run([server.vigil_log, "replay", "--data", str(copy)])
    assert found.returncode == 1 and "violation:" in found.stdout and "badSignature" in found.stdout, found.stdout + found.stderr
