"""What the tests were promised by a log, and the audit that holds it to that.

The ledger records every acknowledged submission (its SCT and what the entry
must contain) and every signed tree head observed; `audit` then reads the
whole log back and checks it against those records with ctverify only.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import ctverify as cv
import testca
from logserver import CTClient, LogServer, Response


class LedgerError(AssertionError):
    pass


@dataclass
class Record:
    expected: cv.ExpectedEntry
    sct: cv.SCT
    submitted: list[bytes]
    precert: bool
    generation: int
    issued: testca.Issued | None = None
    sth_after: cv.STH | None = None

    @property
    def leaf_index(self) -> int:
        return self.sct.leaf_index

    @property
    def leaf_input(self) -> bytes:
        return cv.build_leaf_input(self.sct.timestamp, self.expected.entry_type,
                                   self.expected.signed_entry, self.sct.extensions)

    @property
    def leaf_hash(self) -> bytes:
        return cv.leaf_hash(self.leaf_input)


@dataclass
class Audit:
    sth: cv.STH
    entries: list[tuple[bytes, bytes]]
    tree: cv.MerkleTree
    leaves: list[cv.MerkleTreeLeaf] = field(default_factory=list)


def _check_fresh(timestamp_ms: int, what: str) -> None:
    """Timestamps are milliseconds since the epoch, and these logs are young."""
    now = time.time() * 1000
    if not now - 3_600_000 < timestamp_ms < now + 60_000:
        raise cv.VerifyError(f"{what} timestamp {timestamp_ms} is not within the last hour "
                             f"(now {int(now)})")


def _retry_after(resp: Response) -> float:
    try:
        return max(0.1, float(resp.headers.get("retry-after", "1")))
    except ValueError:
        return 1.0


def expect_error(resp: Response, status: int, what: str) -> dict:
    """The response has `status` and an RFC-style JSON error body naming the problem."""
    assert resp.status == status, f"{what}: want HTTP {status}, got {resp.describe()}"
    body = resp.json
    assert isinstance(body, dict), f"{what}: error body is not a JSON object: {resp.body[:200]!r}"
    for key in ("error", "message"):
        assert isinstance(body.get(key), str) and body[key].strip(), \
            f"{what}: error body lacks a non-empty {key!r}: {body}"
    return body


class Ledger:
    def __init__(self, server: LogServer):
        self.server = server
        self.records: list[Record] = []
        self.by_index: dict[int, Record] = {}
        self.sths: list[tuple[int, cv.STH]] = []     # (server generation, STH) in observed order
        self.problems: list[str] = []                # found by worker threads
        self._lock = threading.Lock()

    # ------------------------------------------------------------ submitting

    def post(self, issued: testca.Issued, include_root: bool = True,
             client: CTClient | None = None, timeout: float | None = None) -> Response:
        client = client or self.server.client
        ders = issued.ders(include_root)
        if issued.precert:
            return client.add_pre_chain(ders, timeout)
        return client.add_chain(ders, timeout)

    def accept(self, issued: testca.Issued, include_root: bool, resp: Response,
               generation: int) -> Record:
        """Turns a 200 response into a verified record; raises LedgerError otherwise."""
        if resp.status != 200:
            raise LedgerError(f"submission refused: {resp.describe()}")
        try:
            sct = cv.SCT.from_json(resp.json)
            ders = issued.ders(include_root)
            expected = cv.ExpectedEntry.for_submission(ders, issued.precert,
                                                       testca.der(issued.chain[-1]))
            expected.check_sct(sct, self.server.public_key)
            _check_fresh(sct.timestamp, "SCT")
            index = sct.leaf_index
            if sct.extensions != cv.leaf_index_extension(index):
                raise cv.VerifyError(f"SCT extensions {sct.extensions.hex()} are not exactly "
                                     f"one leaf_index extension")
        except cv.VerifyError as exc:
            raise LedgerError(f"bad SCT for an accepted submission: {exc}; body {resp.body[:300]!r}")
        record = Record(expected, sct, ders, issued.precert, generation, issued)
        with self._lock:
            prior = self.by_index.get(index)
            if prior is not None:
                if prior.expected.signed_entry != expected.signed_entry:
                    raise LedgerError(f"leaf index {index} was promised to two different entries")
                if prior.sct.timestamp != sct.timestamp:
                    raise LedgerError(f"leaf index {index} returned with timestamps "
                                      f"{prior.sct.timestamp} and {sct.timestamp}")
            else:
                self.by_index[index] = record
            self.records.append(record)
        return record

    def submit(self, issued: testca.Issued, include_root: bool = True,
               check_visible: bool = False) -> Record:
        """Submits, requires success, verifies the SCT. check_visible: the entry
        must already be in the tree the log serves when the SCT arrives."""
        resp = self.post(issued, include_root)
        for _ in range(10):          # a full pool asks clients to come back later
            if resp.status != 503:
                break
            time.sleep(min(2.0, _retry_after(resp)))
            resp = self.post(issued, include_root)
        record = self.accept(issued, include_root, resp, self.server.generation)
        if check_visible:
            sth = self.observe()
            record.sth_after = sth
            if sth.tree_size <= record.leaf_index:
                raise LedgerError(f"SCT for leaf {record.leaf_index} returned while get-sth "
                                  f"serves size {sth.tree_size}")
            proof = self.server.client.get_proof_by_hash(record.leaf_hash, sth.tree_size)
            if proof.status != 200:
                raise LedgerError(f"get-proof-by-hash right after the SCT: {proof.describe()}")
            self.check_inclusion_response(proof.json, record.leaf_index, record.leaf_hash, sth)
        return record

    # ------------------------------------------------------------ tree heads

    def observe(self, client: CTClient | None = None, generation: int | None = None) -> cv.STH:
        client = client or self.server.client
        resp = client.get_sth()
        if resp.status != 200:
            raise LedgerError(f"get-sth: {resp.describe()}")
        try:
            sth = cv.STH.from_json(resp.json)
            cv.verify_sth(sth, self.server.public_key)
            _check_fresh(sth.timestamp, "tree head")
        except cv.VerifyError as exc:
            raise LedgerError(f"bad STH {resp.body[:300]!r}: {exc}")
        with self._lock:
            self.sths.append((self.server.generation if generation is None else generation, sth))
        return sth

    # ------------------------------------------------------------ proofs

    @staticmethod
    def hashes(values, what: str) -> list[bytes]:
        if not isinstance(values, list):
            raise LedgerError(f"{what} is not a list: {values!r}")
        out = [cv.unb64(v) for v in values]
        if any(len(h) != 32 for h in out):
            raise LedgerError(f"{what} holds a value that is not 32 bytes")
        return out

    def check_inclusion_response(self, body, index: int, leaf_hash: bytes, sth: cv.STH) -> None:
        if not isinstance(body, dict) or body.get("leaf_index") != index:
            raise LedgerError(f"get-proof-by-hash answered {body!r}, want leaf_index {index}")
        path = self.hashes(body.get("audit_path"), "audit_path")
        try:
            cv.verify_inclusion(index, sth.tree_size, leaf_hash, path, sth.root_hash)
        except cv.VerifyError as exc:
            raise LedgerError(f"inclusion of leaf {index} in size {sth.tree_size}: {exc}")

    def check_consistency(self, older: cv.STH, newer: cv.STH, tree: cv.MerkleTree | None = None) -> None:
        """older must be a prefix of newer: a verified proof from the log, and
        (given the entries) the root recomputed locally."""
        if older.tree_size > newer.tree_size:
            raise LedgerError(f"tree head of size {older.tree_size} is bigger than the later "
                              f"{newer.tree_size}")
        if tree is not None and tree.root(older.tree_size) != older.root_hash:
            raise LedgerError(f"root of size {older.tree_size} does not match the entries")
        if older.tree_size == 0:
            if older.root_hash != cv.EMPTY_ROOT:
                raise LedgerError("empty tree head with a non-empty root")
            return
        if older.tree_size == newer.tree_size:
            if older.root_hash != newer.root_hash:
                raise LedgerError(f"two roots for size {older.tree_size}")
            return
        resp = self.server.client.get_sth_consistency(older.tree_size, newer.tree_size)
        if resp.status != 200:
            raise LedgerError(f"get-sth-consistency {older.tree_size} {newer.tree_size}: "
                              f"{resp.describe()}")
        body = resp.json
        proof = self.hashes(body.get("consistency") if isinstance(body, dict) else None,
                            "consistency")
        try:
            cv.verify_consistency(older.tree_size, newer.tree_size, proof,
                                  older.root_hash, newer.root_hash)
        except cv.VerifyError as exc:
            raise LedgerError(f"consistency {older.tree_size} -> {newer.tree_size}: {exc}")

    # ------------------------------------------------------------ the audit

    def audit(self, inclusion_proofs: bool = True) -> Audit:
        """Reads the whole log and holds it to every record and tree head seen."""
        roots = {testca.der(c) for c in self.server.roots}
        final = self.observe()
        entries = self.server.entries(0, final.tree_size - 1) if final.tree_size else []
        tree = cv.MerkleTree(cv.leaf_hash(leaf_input) for leaf_input, _ in entries)
        if tree.root(final.tree_size) != final.root_hash:
            raise LedgerError("the entries do not hash to the latest tree head's root")

        leaves = []
        last_ts = 0
        for i, (leaf_input, extra) in enumerate(entries):
            try:
                leaf = cv.MerkleTreeLeaf.parse(leaf_input)
                if leaf.extensions != cv.leaf_index_extension(i):
                    raise cv.VerifyError(f"extensions {leaf.extensions.hex()} are not leaf_index {i}")
                _, chain = cv.parse_extra_data(leaf.entry_type, extra)
            except cv.VerifyError as exc:
                raise LedgerError(f"entry {i}: {exc}")
            if not chain or chain[-1] not in roots:
                raise LedgerError(f"entry {i}: extra_data chain does not end with an accepted root")
            if leaf.timestamp < last_ts:
                raise LedgerError(f"entry {i}: timestamp {leaf.timestamp} goes back from {last_ts}")
            last_ts = leaf.timestamp
            leaves.append(leaf)

        for record in self.records:
            i = record.leaf_index
            if i >= final.tree_size:
                raise LedgerError(f"acknowledged leaf {i} is missing: tree size {final.tree_size}")
            try:
                record.expected.check_leaf(entries[i][0], record.sct.timestamp, i)
                record.expected.check_extra_data(entries[i][1])
            except cv.VerifyError as exc:
                raise LedgerError(f"acknowledged leaf {i}: {exc}")
            if inclusion_proofs:
                resp = self.server.client.get_proof_by_hash(record.leaf_hash, final.tree_size)
                if resp.status != 200:
                    raise LedgerError(f"get-proof-by-hash for leaf {i}: {resp.describe()}")
                self.check_inclusion_response(resp.json, i, record.leaf_hash, final)

        checked = set()
        for _, sth in self.sths:
            if (sth.tree_size, sth.root_hash) in checked:
                continue
            checked.add((sth.tree_size, sth.root_hash))
            self.check_consistency(sth, final, tree)
            if sth.tree_size and leaves[sth.tree_size - 1].timestamp > sth.timestamp:
                raise LedgerError(f"tree head of size {sth.tree_size} is older than its last entry")
        return Audit(final, entries, tree, leaves)
