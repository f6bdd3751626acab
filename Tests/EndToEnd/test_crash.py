"""Crash test: SIGKILL the log at random moments under concurrent load, restart
it on the same data, and hold it to every promise it made before each kill.

VIGIL_CRASH_SEED fixes the random schedule (the seed is printed on failure).
"""

from __future__ import annotations

import os
import random
import threading
import time


import ctverify as cv
from ledger import Ledger, LedgerError
from logserver import CTClient, LogServer

THREADS = 8
PER_THREAD = 300           # upper bound on submissions per thread
KILLS = 5
LOAD_PHASE_SECONDS = 40    # no new kill starts after this; the audit is bounded by the load


def test_sigkill_under_load_loses_nothing_acknowledged(bin_dir, pki, other_pki):
    seed = int(os.environ.get("VIGIL_CRASH_SEED", str(random.SystemRandom().randrange(1 << 32))))
    rng = random.Random(seed)
    started = time.monotonic()
    server = LogServer(bin_dir, roots=[pki.root.cert, other_pki.root.cert],
                       sequence_interval="50ms")
    try:
        _run(server, pki, rng, started, seed)
    finally:
        server.cleanup()


def _run(server: LogServer, pki, rng: random.Random, started: float, seed: int) -> None:
    context = f"(VIGIL_CRASH_SEED={seed})"
    server.start()
    ledger = Ledger(server)
    stop = threading.Event()
    problems: list[str] = []
    problems_lock = threading.Lock()

    def note(problem: str) -> None:
        with problems_lock:
            problems.append(problem)

    def submitter(k: int) -> None:
        local = random.Random(seed * 31 + k)
        pending = None            # a chain whose answer was lost, retried once
        for _ in range(PER_THREAD):
            if stop.is_set():
                return
            if pending is not None:
                issued, include_root = pending
                pending = None
            else:
                roll = local.random()
                if roll < 0.7:
                    issued = pki.leaf()
                elif roll < 0.85:
                    issued = pki.precert()
                else:
                    issued = pki.precert(via_psc=True)
                include_root = local.random() < 0.5
            generation, url = server.endpoint
            client = CTClient(url, timeout=10)
            try:
                resp = ledger.post(issued, include_root, client=client)
            except OSError:
                if local.random() < 0.5:
                    pending = (issued, include_root)
                time.sleep(0.02)
                continue
            if resp.status == 200:
                try:
                    ledger.accept(issued, include_root, resp, generation)
                except LedgerError as exc:
                    note(str(exc))
            elif resp.status == 503:
                time.sleep(0.05)
            else:
                note(f"valid submission answered {resp.describe()}")

    def observer() -> None:
        while not stop.is_set():
            generation, url = server.endpoint
            try:
                ledger.observe(CTClient(url, timeout=5), generation)
            except OSError:
                pass
            except LedgerError as exc:
                note(str(exc))
            time.sleep(0.03)

    threads = [threading.Thread(target=submitter, args=(k,), daemon=True) for k in range(THREADS)]
    threads.append(threading.Thread(target=observer, daemon=True))
    for t in threads:
        t.start()

    kills = 0
    try:
        while kills < KILLS:
            if time.monotonic() - started > LOAD_PHASE_SECONDS:
                break
            time.sleep(rng.uniform(0.3, 2.0))
            server.kill()
            kills += 1
            time.sleep(rng.uniform(0.0, 0.3))
            server.restart()
        time.sleep(1.0)     # some load on the last lifetime too
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert not any(t.is_alive() for t in threads), f"worker threads hung {context}"
    assert kills >= 4, f"only {kills} kills fit in the load phase {context}"
    assert not problems, f"{len(problems)} problems, first: {problems[:3]} {context}"

    generations_with_acks = {r.generation for r in ledger.records}
    print(f"crash test {context}: {kills} kills, {len(ledger.records)} SCTs over lifetimes "
          f"{sorted(generations_with_acks)}, {len(ledger.sths)} tree heads observed")
    assert len(ledger.records) >= 100, \
        f"only {len(ledger.records)} acknowledged submissions: too little to judge {context}"
    assert len(generations_with_acks) >= 3, \
        f"acknowledgements only in lifetimes {sorted(generations_with_acks)} {context}"

    # Tree sizes never shrink within one server lifetime.
    last_size: dict[int, int] = {}
    for generation, sth in ledger.sths:
        prev = last_size.get(generation, 0)
        assert sth.tree_size >= prev, \
            f"lifetime {generation}: tree size went from {prev} to {sth.tree_size} {context}"
        last_size[generation] = sth.tree_size

    # The full audit: every acknowledged entry at its index with its timestamp,
    # an inclusion proof for each to the latest STH, and every STH observed
    # consistent with (and not bigger than) the final one.
    audit = ledger.audit(inclusion_proofs=True)
    final = audit.sth
    for generation, sth in ledger.sths:
        assert sth.tree_size <= final.tree_size, \
            f"a tree head of size {sth.tree_size} was served before the final {final.tree_size} {context}"

    # Deduplication survives the crashes: resubmitting acknowledged chains,
    # from every lifetime, returns the original index and timestamp.
    sample = rng.sample(ledger.records, min(40, len(ledger.records)))
    for r in sample:
        client = server.client
        resp = (client.add_pre_chain if r.precert else client.add_chain)(r.submitted)
        assert resp.status == 200, f"resubmission: {resp.describe()} {context}"
        sct = cv.SCT.from_json(resp.json)
        assert (sct.leaf_index, sct.timestamp) == (r.leaf_index, r.sct.timestamp), \
            f"leaf {r.leaf_index} resubmitted got ({sct.leaf_index}, {sct.timestamp}) {context}"
    after = ledger.observe()
    assert (after.tree_size, after.root_hash) == (final.tree_size, final.root_hash), \
        f"resubmitting duplicates grew the tree {context}"

    code = server.stop()
    assert code == 0, f"SIGTERM exit status {code} {context}\n{server.log_tail()}"
    result = server.check(key_path=server.pub_path)
    assert result.returncode == 0, \
        f"vigil-log check after the crashes: {result.stdout}\n{result.stderr} {context}"
