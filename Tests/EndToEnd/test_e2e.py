"""End-to-end tests: the release `vigil-log` and `vigil` binaries on loopback,
judged only by the independent verifier (ctverify) and the test PKI."""

from __future__ import annotations

import base64
import datetime as dt
import json
import stat
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import ctverify as cv
import testca
from ledger import Ledger, LedgerError, Record, expect_error
from logserver import CTClient, LogServer, write_public_key

UTC = dt.timezone.utc


def assert_unchanged(before: cv.STH, after: cv.STH, what: str) -> None:
    assert (after.tree_size, after.root_hash) == (before.tree_size, before.root_hash), \
        f"{what} changed the tree: size {before.tree_size} -> {after.tree_size}"


def json_from_output(text: str):
    """The JSON object a CLI printed on stdout (alone, or among other lines)."""
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        start, end = text.find("{"), text.rfind("}")
        assert start >= 0 and end > start, f"no JSON object in output: {text!r}"
        return json.loads(text[start:end + 1])


def mixed_batch(pki: testca.TestPKI, other: testca.TestPKI, n: int):
    """n unique submissions cycling through every kind the log accepts."""
    kinds = [
        lambda: (pki.leaf(), False),
        lambda: (pki.leaf(), True),
        lambda: (pki.leaf(via_intermediate=False), False),
        lambda: (other.leaf(), True),
        lambda: (pki.precert(), False),
        lambda: (pki.precert(), True),
        lambda: (pki.precert(via_psc=True), False),
        lambda: (pki.precert(via_psc=True), True),
        lambda: (pki.precert(via_intermediate=False), True),
    ]
    return [kinds[i % len(kinds)]() for i in range(n)]


# ---------------------------------------------------------------- a populated log


@pytest.fixture(scope="module")
def populated(bin_dir, pki, other_pki):
    """A log fed every kind of submission, one at a time (checking each entry is
    in the served tree when its SCT arrives) and then concurrently."""
    server = LogServer(bin_dir, roots=[pki.root.cert, other_pki.root.cert])
    try:
        server.start()
        ledger = Ledger(server)
        empty = ledger.observe()
        assert empty.tree_size == 0 and empty.root_hash == cv.EMPTY_ROOT
        sequential = [
            (pki.leaf(), False), (pki.leaf(), False), (pki.leaf(), True), (pki.leaf(), True),
            (pki.leaf(via_intermediate=False), False), (pki.leaf(via_intermediate=False), True),
            (other_pki.leaf(), False), (other_pki.leaf(), True),
            (pki.precert(), False), (pki.precert(), True),
            (pki.precert(via_intermediate=False), False),
            (pki.precert(via_psc=True), False), (pki.precert(via_psc=True), True),
            (other_pki.precert(via_psc=True), True),
        ]
        for i, (issued, include_root) in enumerate(sequential):
            ledger.submit(issued, include_root, check_visible=True)
            if i % 3 == 2:
                ledger.observe()
        batch = mixed_batch(pki, other_pki, 27)
        with ThreadPoolExecutor(max_workers=9) as pool:
            list(pool.map(lambda s: ledger.submit(*s), batch))
        ledger.observe()
        yield server, ledger, len(sequential)
    finally:
        server.cleanup()


def test_every_sct_verifies_independently(populated):
    server, ledger, _ = populated
    assert len(ledger.records) == 14 + 27
    for r in ledger.records:
        assert r.sct.version == 0
        assert r.sct.log_id == server.log_id, "SCT log id is not SHA-256 of the log key's SPKI"
        assert r.sct.signature.hash_alg == cv.HASH_SHA256 and r.sct.signature.sig_alg == cv.SIG_ECDSA
        r.expected.check_sct(r.sct, server.public_key)
        assert r.sct.extensions == cv.leaf_index_extension(r.leaf_index)


def test_leaf_indices_are_dense_and_unique(populated):
    server, ledger, _ = populated
    sth = ledger.observe()
    indices = [r.leaf_index for r in ledger.records]
    assert len(set(indices)) == len(indices), "two submissions share a leaf index"
    assert sorted(indices) == list(range(sth.tree_size))


def test_entry_in_tree_when_sct_returned(populated):
    server, ledger, n_sequential = populated
    checked = 0
    for r in ledger.records[:n_sequential]:
        assert r.sth_after is not None and r.sth_after.tree_size > r.leaf_index
        checked += 1
    assert checked == n_sequential


def test_batch_timestamp_is_the_tree_head_timestamp(populated):
    """Submitted one at a time, each SCT's batch is the last one in the tree
    head fetched right after: that head carries the SCT's timestamp."""
    server, ledger, n_sequential = populated
    matched = 0
    for r in ledger.records[:n_sequential]:
        if r.sth_after.tree_size == r.leaf_index + 1:
            assert r.sth_after.timestamp == r.sct.timestamp, \
                f"leaf {r.leaf_index}: SCT timestamp {r.sct.timestamp}, tree head {r.sth_after.timestamp}"
            matched += 1
    assert matched == n_sequential


def test_whole_log_matches_submissions(populated):
    """get-entries over the whole log: every leaf_input is exactly what was
    submitted (timestamp, entry, leaf_index extension), every extra_data is the
    submitted chain completed with the root, and the leaves hash to the STH."""
    server, ledger, _ = populated
    audit = ledger.audit()
    assert audit.sth.tree_size == len(ledger.records)
    root_ders = {testca.der(c) for c in server.roots}
    omitted = 0
    for r in ledger.records:
        pre, chain = cv.parse_extra_data(r.expected.entry_type, audit.entries[r.leaf_index][1])
        assert chain[-1] == testca.der(r.issued.chain[-1])
        if r.submitted[-1] not in root_ders:
            omitted += 1
            assert chain == r.submitted[1:] + [chain[-1]], "root-omitted chain not completed"
        else:
            assert chain == r.submitted[1:]
        leaf = audit.leaves[r.leaf_index]
        if r.precert:
            assert leaf.entry_type == cv.ENTRY_TYPE_PRECERT
            assert pre == r.submitted[0]
        else:
            assert leaf.entry_type == cv.ENTRY_TYPE_X509
            assert leaf.cert_der == r.submitted[0]
    assert omitted >= 5


def test_precert_entries_hold_the_final_certificate_tbs(populated):
    """For precertificates (including PSC-issued ones) the logged TBS is the
    TBS of the final certificate the test CA issued alongside, and the issuer
    key hash is that of the final issuer: no DER walking involved."""
    server, ledger, _ = populated
    audit = ledger.audit(inclusion_proofs=False)
    checked = psc = 0
    for r in ledger.records:
        if not r.precert:
            continue
        leaf = audit.leaves[r.leaf_index]
        final = r.issued.final
        assert leaf.tbs_der == final.tbs_certificate_bytes
        final_issuer = next(c for c in r.issued.chain if c.subject == final.issuer)
        spki = final_issuer.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        assert leaf.issuer_key_hash == cv.sha256(spki)
        checked += 1
        psc += r.issued.chain[1].subject != final.issuer
    assert checked >= 10 and psc >= 3


def test_inclusion_proofs_for_every_entry_at_every_size(populated):
    """get-proof-by-hash and get-entry-and-proof for every entry at every tree
    size observed, verified against that size's signed root."""
    server, ledger, _ = populated
    audit = ledger.audit(inclusion_proofs=False)
    heads = {}
    for _, sth in ledger.sths:
        if sth.tree_size:
            heads[sth.tree_size] = sth
    assert len(heads) >= 4, f"only saw tree sizes {sorted(heads)}"
    client = server.client
    for size, sth in sorted(heads.items()):
        assert audit.tree.root(size) == sth.root_hash
        for i in range(size):
            leaf_input, extra = audit.entries[i]
            h = cv.leaf_hash(leaf_input)
            resp = client.get_proof_by_hash(h, size)
            assert resp.status == 200, f"get-proof-by-hash leaf {i} size {size}: {resp.describe()}"
            ledger.check_inclusion_response(resp.json, i, h, sth)
            assert ledger.hashes(resp.json["audit_path"], "audit_path") == audit.tree.inclusion_proof(i, size)
            resp = client.get_entry_and_proof(i, size)
            assert resp.status == 200, f"get-entry-and-proof {i} {size}: {resp.describe()}"
            body = resp.json
            assert cv.unb64(body["leaf_input"]) == leaf_input
            assert cv.unb64(body["extra_data"]) == extra
            cv.verify_inclusion(i, size, h, ledger.hashes(body["audit_path"], "audit_path"),
                                sth.root_hash)


def test_consistency_between_every_pair_of_sizes(populated):
    server, ledger, _ = populated
    audit = ledger.audit(inclusion_proofs=False)
    heads = sorted({sth.tree_size: sth for _, sth in ledger.sths if sth.tree_size}.items())
    assert len(heads) >= 4
    pairs = 0
    for a, (m, older) in enumerate(heads):
        for n, newer in heads[a + 1:]:
            resp = server.client.get_sth_consistency(m, n)
            assert resp.status == 200, f"get-sth-consistency {m} {n}: {resp.describe()}"
            proof = ledger.hashes(resp.json["consistency"], "consistency")
            cv.verify_consistency(m, n, proof, older.root_hash, newer.root_hash)
            assert proof == audit.tree.consistency_proof(m, n)
            pairs += 1
    assert pairs == len(heads) * (len(heads) - 1) // 2


def test_get_entries_clamping(populated):
    server, ledger, _ = populated
    sth = ledger.observe()
    n = sth.tree_size
    audit = ledger.audit(inclusion_proofs=False)
    resp = server.client.get_entries(n - 1, n + 50)
    assert resp.status == 200, resp.describe()
    assert len(resp.json["entries"]) == 1
    assert cv.unb64(resp.json["entries"][0]["leaf_input"]) == audit.entries[n - 1][0]
    resp = server.client.get_entries(0, n + 5000)
    assert resp.status == 200, resp.describe()
    got = resp.json["entries"]
    assert 1 <= len(got) <= min(n, 1000)
    for i, e in enumerate(got):
        assert cv.unb64(e["leaf_input"]) == audit.entries[i][0]
    resp = server.client.get_entries(3, 3)
    assert resp.status == 200 and len(resp.json["entries"]) == 1
    assert cv.unb64(resp.json["entries"][0]["leaf_input"]) == audit.entries[3][0]


def submissions_counted(client: CTClient, result: str) -> int:
    """The sum of vigil_submissions_total over every series with this result label."""
    resp = client.request("GET", "/metrics")
    assert resp.status == 200, resp.describe()
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in resp.body.decode().splitlines()
               if line.startswith("vigil_submissions_total{") and f'result="{result}"' in line)


def test_duplicates_return_the_original_sct(populated, pki):
    server, ledger, n_sequential = populated
    before = ledger.observe()
    samples = [r for r in ledger.records[:n_sequential]]
    assert any(r.precert for r in samples) and any(not r.precert for r in samples)
    counted = submissions_counted(server.client, "duplicate"), submissions_counted(server.client, "sequenced")
    for r in samples:
        resp = (server.client.add_pre_chain if r.precert else server.client.add_chain)(r.submitted)
        assert resp.status == 200, f"resubmission: {resp.describe()}"
        sct = cv.SCT.from_json(resp.json)
        r.expected.check_sct(sct, server.public_key)
        assert (sct.leaf_index, sct.timestamp) == (r.leaf_index, r.sct.timestamp), \
            "a duplicate got a new leaf index or timestamp"
    after = ledger.observe()
    assert_unchanged(before, after, "resubmitting duplicates")
    assert (submissions_counted(server.client, "duplicate"), submissions_counted(server.client, "sequenced")) \
        == (counted[0] + len(samples), counted[1]), "the duplicates were not counted as duplicates"


def test_get_roots_lists_the_accepted_roots(populated, pki, other_pki):
    server, _, _ = populated
    resp = server.client.get_roots()
    assert resp.status == 200, resp.describe()
    got = {cv.unb64(c) for c in resp.json["certificates"]}
    assert got == {testca.der(pki.root.cert), testca.der(other_pki.root.cert)}


# ---------------------------------------------------------------- bad input


def _post(endpoint):
    return lambda server, body: server.client.post_raw(endpoint, body)


def _chain_body(ders):
    return json.dumps({"chain": [cv.b64(d) for d in ders]}).encode()


BAD_POSTS = {
    # name: (endpoint, body builder(pki, stranger), expected status)
    "malformed-json": ("add-chain", lambda p, s: b'{"chain": ["', 400),
    "json-not-object": ("add-chain", lambda p, s: b'["abc"]', 400),
    "missing-chain": ("add-chain", lambda p, s: b'{}', 400),
    "chain-not-list": ("add-chain", lambda p, s: b'{"chain": "MIIB"}', 400),
    "empty-chain": ("add-chain", lambda p, s: b'{"chain": []}', 400),
    "malformed-base64": ("add-chain", lambda p, s: b'{"chain": ["!!not*base64!!"]}', 400),
    "not-der": ("add-chain", lambda p, s: _chain_body([b"hello, world"]), 400),
    "truncated-der": ("add-chain", lambda p, s: _chain_body(
        [p.leaf().ders()[0][:-20]] + p.leaf().ders()[1:]), 400),
    "unknown-root": ("add-chain", lambda p, s: _chain_body(s.leaf().ders()), 400),
    "unknown-root-omitted": ("add-chain", lambda p, s: _chain_body(s.leaf().ders(False)), 400),
    "incomplete-chain": ("add-chain", lambda p, s: _chain_body(p.leaf().ders()[:1]), 400),
    "bad-signature": ("add-chain", lambda p, s: _chain_body(p.leaf_bad_signature().ders()), 400),
    "misordered-chain": ("add-chain", lambda p, s: _chain_body(p.misordered_chain()), 400),
    "precert-on-add-chain": ("add-chain", lambda p, s: _chain_body(p.precert().ders()), 400),
    "psc-precert-on-add-chain": ("add-chain",
                                 lambda p, s: _chain_body(p.precert(via_psc=True).ders()), 400),
    "cert-on-add-pre-chain": ("add-pre-chain", lambda p, s: _chain_body(p.leaf().ders()), 400),
    "precert-unknown-root": ("add-pre-chain", lambda p, s: _chain_body(s.precert().ders()), 400),
    "precert-bad-signature": ("add-pre-chain",
                              lambda p, s: _chain_body(p.precert_bad_signature().ders()), 400),
    "pre-chain-malformed-json": ("add-pre-chain", lambda p, s: b'{"chain": [1, 2', 400),
}


@pytest.mark.parametrize("case", sorted(BAD_POSTS))
def test_bad_submission_is_rejected_and_changes_nothing(populated, pki, stranger_pki, case):
    server, ledger, _ = populated
    endpoint, build, status = BAD_POSTS[case]
    body = build(pki, stranger_pki)
    before = ledger.observe()
    resp = server.client.post_raw(endpoint, body)
    expect_error(resp, status, f"{case} on {endpoint}")
    time.sleep(0.3)        # longer than a sequencing interval: nothing may appear
    assert_unchanged(before, ledger.observe(), case)


def test_oversized_body_is_413(populated):
    server, ledger, _ = populated
    before = ledger.observe()
    for endpoint in ("add-chain", "add-pre-chain"):
        resp = server.client.post_oversized(endpoint, 600 * 1024)
        expect_error(resp, 413, f"600 KiB body on {endpoint}")
    assert_unchanged(before, ledger.observe(), "oversized bodies")


def test_out_of_range_reads(populated):
    server, ledger, _ = populated
    sth = ledger.observe()
    n = sth.tree_size
    c = server.client
    some_leaf = ledger.records[0].leaf_hash
    cases = [
        ("unknown hash", c.get_proof_by_hash(cv.sha256(b"never logged"), n), 404),
        ("proof tree_size beyond the tree", c.get_proof_by_hash(some_leaf, n + 1), 400),
        ("consistency second beyond the tree", c.get_sth_consistency(1, n + 1), 400),
        ("consistency first > second", c.get_sth_consistency(n, n - 1), 400),
        ("get-entries start = tree size", c.get_entries(n, n + 10), 400),
        ("get-entries start beyond the tree", c.get_entries(n + 5, n + 10), 400),
        ("entry-and-proof leaf_index = tree_size", c.get_entry_and_proof(n - 1, n - 1), 400),
        ("entry-and-proof tree_size beyond the tree", c.get_entry_and_proof(0, n + 1), 400),
    ]
    for what, resp, status in cases:
        expect_error(resp, status, what)
    assert_unchanged(sth, ledger.observe(), "out-of-range reads")


def test_malformed_query_parameters(populated):
    server, ledger, _ = populated
    c = server.client
    cases = [
        ("get-entries", {"start": "abc", "end": "3"}),
        ("get-entries", {"start": "-1", "end": "3"}),
        ("get-entries", {"end": "3"}),
        ("get-sth-consistency", {"first": "one", "second": "2"}),
        ("get-sth-consistency", {"second": "2"}),
        ("get-proof-by-hash", {"hash": "not base64!", "tree_size": "2"}),
        ("get-proof-by-hash", {"tree_size": "2"}),
        ("get-entry-and-proof", {"leaf_index": "x", "tree_size": "2"}),
    ]
    for endpoint, params in cases:
        expect_error(c.get(endpoint, **params), 400, f"{endpoint} {params}")


# ---------------------------------------------------------------- dedicated servers


def test_empty_log_serves_signed_empty_tree_head(make_server, pki, other_pki):
    server = make_server()
    ledger = Ledger(server)
    sth = ledger.observe()
    assert sth.tree_size == 0
    assert sth.root_hash == cv.EMPTY_ROOT
    expect_error(server.client.get_entries(0, 0), 400, "get-entries on an empty log")
    resp = server.client.get_roots()
    assert resp.status == 200
    assert {cv.unb64(c) for c in resp.json["certificates"]} == \
        {testca.der(pki.root.cert), testca.der(other_pki.root.cert)}


def test_sec1_log_key_is_accepted(make_server, pki):
    server = make_server(sec1_key=True)
    assert b"BEGIN EC PRIVATE KEY" in server.key_path.read_bytes()
    ledger = Ledger(server)
    record = ledger.submit(pki.leaf())
    assert record.sct.log_id == server.log_id
    ledger.audit()


def test_concurrent_mixed_submissions(make_server, pki, other_pki):
    server = make_server()
    ledger = Ledger(server)
    work = mixed_batch(pki, other_pki, 96)
    with ThreadPoolExecutor(max_workers=16) as pool:
        records = list(pool.map(lambda s: ledger.submit(*s), work))
    indices = sorted(r.leaf_index for r in records)
    assert indices == list(range(96))
    audit = ledger.audit()
    assert audit.sth.tree_size == 96


def test_batch_shares_one_timestamp(make_server, pki):
    """Submissions arriving together are sequenced together: their SCTs share
    a timestamp, which is the tree head's timestamp."""
    server = make_server(sequence_interval="1s")
    ledger = Ledger(server)
    ledger.submit(pki.leaf())          # let the first tick pass
    work = [pki.leaf() for _ in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        records = list(pool.map(ledger.submit, work))
    sth = ledger.observe()
    groups: dict[int, list[int]] = {}
    for r in records:
        groups.setdefault(r.sct.timestamp, []).append(r.leaf_index)
    assert len(groups) <= 2, f"8 simultaneous submissions got {len(groups)} timestamps"
    for ts, idx in groups.items():
        assert sorted(idx) == list(range(min(idx), max(idx) + 1)), "a batch is not contiguous"
    last = max(r.leaf_index for r in records)
    assert sth.tree_size == last + 1
    assert sth.timestamp == ledger.by_index[last].sct.timestamp
    ledger.audit()


def test_not_after_window(make_server, pki):
    server = make_server(not_after_start="2030-01-01T00:00:00Z",
                         not_after_limit="2031-01-01T00:00:00Z")
    ledger = Ledger(server)
    inside = dt.datetime(2030, 6, 1, tzinfo=UTC)
    before = dt.datetime(2029, 6, 1, tzinfo=UTC)
    after = dt.datetime(2031, 6, 1, tzinfo=UTC)
    ledger.submit(pki.leaf(not_after=inside))
    ledger.submit(pki.precert(not_after=inside))
    ledger.submit(pki.precert(via_psc=True, not_after=inside))
    sth = ledger.observe()
    for when in (before, after):
        for issued in (pki.leaf(not_after=when), pki.precert(not_after=when)):
            resp = ledger.post(issued)
            expect_error(resp, 400, f"notAfter {when.date()} outside 2030..2031")
    time.sleep(0.3)
    assert_unchanged(sth, ledger.observe(), "certificates outside the notAfter window")
    assert sth.tree_size == 3
    ledger.audit()


def test_full_pool_returns_503(make_server, pki):
    server = make_server(pool_size=2, sequence_interval="3s")
    ledger = Ledger(server)
    work = [pki.leaf() for _ in range(10)]
    barrier = threading.Barrier(len(work))

    def go(issued):
        barrier.wait(10)
        return issued, ledger.post(issued, timeout=30)

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        results = list(pool.map(go, work))
    statuses = sorted(resp.status for _, resp in results)
    assert set(statuses) <= {200, 503}, f"statuses {statuses}"
    refused = [(i, r) for i, r in results if r.status == 503]
    accepted = [(i, r) for i, r in results if r.status == 200]
    assert refused, "ten simultaneous submissions into a pool of 2 were all accepted"
    assert accepted, "nothing was accepted"
    for _, resp in refused:
        expect_error(resp, 503, "full pool")
        assert resp.headers.get("retry-after", "").strip(), "503 without Retry-After"
    for issued, resp in accepted:
        ledger.accept(issued, True, resp, server.generation)
    audit = ledger.audit()
    assert audit.sth.tree_size == len(accepted)
    logged = {leaf.cert_der for leaf in audit.leaves}
    for issued, _ in refused:
        assert issued.der not in logged, "a refused submission was logged"


def test_max_get_entries(make_server, pki):
    server = make_server(max_get_entries=3)
    ledger = Ledger(server)
    with ThreadPoolExecutor(max_workers=7) as pool:
        list(pool.map(lambda _: ledger.submit(pki.leaf()), range(7)))
    resp = server.client.get_entries(0, 6)
    assert resp.status == 200, resp.describe()
    assert 1 <= len(resp.json["entries"]) <= 3
    audit = ledger.audit()     # pages through in chunks of at most 3
    assert audit.sth.tree_size == 7


def test_sigterm_is_graceful_and_restart_keeps_everything(make_server, pki, other_pki):
    """SIGTERM during a stream of submissions: exit status 0, and after a
    restart on the same data every acknowledged entry is there."""
    server = make_server()
    ledger = Ledger(server)
    stop = threading.Event()
    errors: list[str] = []

    def submitter(k):
        for i in range(200):
            if stop.is_set():
                return
            issued = pki.precert(via_psc=True) if i % 4 == k % 4 else pki.leaf()
            try:
                resp = ledger.post(issued, include_root=bool(i % 2), timeout=10)
            except OSError:
                return               # the server went away
            if resp.status == 200:
                try:
                    ledger.accept(issued, bool(i % 2), resp, server.generation)
                except LedgerError as exc:
                    errors.append(str(exc))
            elif 400 <= resp.status < 500:
                # A shutting-down log may refuse with 503, never call a valid chain bad.
                errors.append(f"valid submission refused: {resp.describe()}")

    def observer():
        while not stop.is_set():
            try:
                ledger.observe()
            except (OSError, LedgerError):
                return
            time.sleep(0.05)

    threads = [threading.Thread(target=submitter, args=(k,)) for k in range(6)]
    threads.append(threading.Thread(target=observer))
    for t in threads:
        t.start()
    time.sleep(1.5)
    code = server.stop()
    stop.set()
    for t in threads:
        t.join(30)
    assert code == 0, f"vigil-log exited with {code} on SIGTERM\n{server.log_tail()}"
    assert not errors, errors[:5]
    assert len(ledger.records) >= 5, "too few acknowledged submissions to judge"
    server.restart()
    ledger.audit()


def test_check_on_stopped_log(make_server, pki):
    server = make_server()
    ledger = Ledger(server)
    for issued in mixed_batch(pki, pki, 9):
        ledger.submit(*issued)
    ledger.audit()
    assert server.stop() == 0
    result = server.check()
    assert result.returncode == 0, f"check failed: {result.stdout}\n{result.stderr}"
    result = server.check(key_path=server.pub_path)
    assert result.returncode == 0, f"check --key failed: {result.stdout}\n{result.stderr}"
    wrong = server.tmp / "wrong-pub.pem"
    write_public_key(wrong, ec.generate_private_key(ec.SECP256R1()).public_key())
    result = server.check(key_path=wrong)
    assert result.returncode != 0, "check accepted tree heads signed by another key"
    assert (result.stdout + result.stderr).strip(), "check failed without a message"


# ---------------------------------------------------------------- the vigil CLI


def test_cli_keygen_key_serves_a_log(make_server, bin_dir, pki):
    with tempfile.TemporaryDirectory(prefix="vigil-e2e-keygen-") as tmp:
        _keygen_and_serve(make_server, bin_dir, pki, Path(tmp))


def _keygen_and_serve(make_server, bin_dir, pki, tmp: Path):
    key_path = tmp / "log-key.pem"
    result = subprocess.run([str(bin_dir / "vigil"), "keygen", "--out", str(key_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(key_path.read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    expected_id = base64.b64encode(cv.log_id(key.public_key())).decode()
    assert expected_id in result.stdout, f"log id {expected_id} not in {result.stdout!r}"

    server = make_server(key_path=key_path)
    ledger = Ledger(server)
    record = ledger.submit(pki.leaf())
    assert cv.b64(record.sct.log_id) == expected_id
    ledger.audit()


def test_cli_submit_and_sth(make_server, bin_dir, pki, stranger_pki):
    server = make_server()
    tmp_path = server.tmp           # removed with the server
    ledger = Ledger(server)
    vigil = str(bin_dir / "vigil")
    wrong_pub = tmp_path / "wrong.pem"
    write_public_key(wrong_pub, ec.generate_private_key(ec.SECP256R1()).public_key())

    def run(*args):
        return subprocess.run([vigil, *args], capture_output=True, text=True, timeout=60)

    cases = [(pki.leaf(), False, False), (pki.leaf(), False, True),
             (pki.precert(), True, False), (pki.precert(via_psc=True), True, True)]
    for issued, precert, with_root in cases:
        chain_path = tmp_path / f"chain-{issued.cert.serial_number}.pem"
        chain_path.write_bytes(testca.pem(issued.chain if with_root else issued.chain[:-1]))
        args = ["submit", "--log", server.url, "--chain", str(chain_path), "--key", str(server.pub_path)]
        if precert:
            args.append("--precert")
        result = run(*args)
        assert result.returncode == 0, f"vigil submit: {result.stdout}\n{result.stderr}"
        fields = json_from_output(result.stdout)
        sct = cv.SCT.from_json(fields)
        expected = cv.ExpectedEntry.for_submission(issued.ders(with_root), precert,
                                                   testca.der(issued.chain[-1]))
        expected.check_sct(sct, server.public_key)
        ledger.records.append(Record(expected, sct, issued.ders(with_root), precert,
                                     server.generation, issued))

    # Without --key the SCT is still printed.
    chain_path = tmp_path / "nokey.pem"
    issued = pki.leaf()
    chain_path.write_bytes(testca.pem(issued.chain))
    result = run("submit", "--log", server.url, "--chain", str(chain_path))
    assert result.returncode == 0, result.stderr
    cv.SCT.from_json(json_from_output(result.stdout))

    # A wrong key makes SCT verification fail.
    chain_path = tmp_path / "wrongkey.pem"
    chain_path.write_bytes(testca.pem(pki.leaf().chain))
    result = run("submit", "--log", server.url, "--chain", str(chain_path), "--key", str(wrong_pub))
    assert result.returncode != 0, "vigil submit accepted an SCT under the wrong key"

    # A chain the log refuses.
    chain_path = tmp_path / "stranger.pem"
    chain_path.write_bytes(testca.pem(stranger_pki.leaf().chain))
    result = run("submit", "--log", server.url, "--chain", str(chain_path), "--key", str(server.pub_path))
    assert result.returncode != 0, "vigil submit succeeded for an unknown root"

    result = run("sth", "--log", server.url, "--key", str(server.pub_path))
    assert result.returncode == 0, f"vigil sth: {result.stdout}\n{result.stderr}"
    sth = cv.STH.from_json(json_from_output(result.stdout))
    cv.verify_sth(sth, server.public_key)
    assert sth.tree_size >= len(cases) + 1
    result = run("sth", "--log", server.url, "--key", str(wrong_pub))
    assert result.returncode != 0, "vigil sth accepted a tree head under the wrong key"
    ledger.audit()
