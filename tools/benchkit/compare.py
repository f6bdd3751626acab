"""Two vigil-log binaries measured in alternating runs, for the effect of one change.

Run through `tools/bench --compare OLD NEW` (each a vigil-log binary). On a shared VM one
binary's figures drift by a sixth within minutes, more than most single changes move them;
runs that alternate A, B, A, B... see the same drift, so the medians of each side compare.

Phases (`--phase`, any of them, in this order):
  submit   add-chain of `--count` fresh ECDSA-issued chains into a fresh log
  endorsed add-chain of `--count` fresh OV chains with inline 2-of-3 endorsements into a fresh
           log under their contract (as `tools/bench`'s endorsed run)
  sth      get-sth against the `--large-data` log (or the last submit phase's)
  proof    get-proof-by-hash against the `--large-data` log, made by `tools/bench --large`

Each figure is the server's CPU per request from /proc and the rate wrk reached, with wrk on
the same two cores, as `tools/bench` measures them. Rounds alternate which binary runs first,
so that neither always runs just after the other has warmed or cooled the machine. Besides the
medians of each side, every phase's paired line compares the two runs of each round with each
other (the VM's drift moves both alike) and gives the median change, its range over the rounds,
and in how many rounds the new binary took less CPU: a change is told from the drift only when
that range leaves out zero or nearly every round agrees. The write phases (submit, endorsed)
also give each run's p99 and maximum latency, and the medians of each side's p99, since the
CPU a change saves can cost the tail.

`--mallocs` adds one more run of each side per phase, with a uprobe counting the server's
calls to glibc's malloc (tools/benchkit/mallocs.py), and prints mallocs a request (a
submission, for submit): a count the drift does not move. Needs perf, uprobes and root.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Server, gen, progress, submit_phase, timed_wrk  # noqa: E402
from mallocs import MallocCounter, MallocError  # noqa: E402


def bin_dir(binary: str, work: str, name: str) -> str:
    """A folder holding `binary` as vigil-log, which is how `Server` takes it."""
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    os.symlink(os.path.abspath(binary), os.path.join(folder, "vigil-log"))
    return folder


def paired_change(old: list[float], new: list[float]) -> dict[str, float]:
    """The round-by-round change from `old[i]` to `new[i]` (each a run's CPU a request): the
    median and the range of `new / old - 1` over the rounds, and how many rounds the new run
    took less."""
    if len(old) != len(new) or not old:
        raise ValueError(f"paired runs need one new run for each old one, got {len(old)} and {len(new)}")
    changes = [n / o - 1 for o, n in zip(old, new)]
    return {"median": statistics.median(changes), "low": min(changes), "high": max(changes),
            "fewer": sum(1 for c in changes if c < 0), "rounds": len(changes)}


def paired_line(old: list[float], new: list[float]) -> str:
    """`paired_change` as the line compare prints under a phase's medians."""
    change = paired_change(old, new)
    return (f"paired: CPU a request {100 * change['median']:+.1f}% (median of {change['rounds']} rounds, "
            f"{100 * change['low']:+.1f}% to {100 * change['high']:+.1f}%), new cheaper in "
            f"{change['fewer']} of {change['rounds']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", help="the vigil-log binary before the change")
    parser.add_argument("new", help="the vigil-log binary after it")
    parser.add_argument("--vigil", required=True, help="a vigil binary, for the log key")
    parser.add_argument("--phase", action="append", choices=["submit", "endorsed", "sth", "proof"],
                        help="phases to run (repeatable; default: all that the data allows)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating pairs per phase")
    parser.add_argument("--count", type=int, default=40_000, help="chains per submit run")
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--read-seconds", type=int, default=8)
    parser.add_argument("--large-data", help="folder of a `tools/bench --large` log, for sth and proof")
    parser.add_argument("--other-roots", type=int, default=0, help="accepted roots besides the one that issued the chains")
    parser.add_argument("--mallocs", action="store_true",
                        help="one more run of each side per phase, counting mallocs a request (perf uprobe; root)")
    args = parser.parse_args()
    phases = args.phase or (["submit", "sth", "proof"] if args.large_data else ["submit", "sth"])
    if "proof" in phases and not args.large_data:
        sys.exit("compare: the proof phase reads the --large-data log")
    if "sth" in phases and not args.large_data and "submit" not in phases:
        sys.exit("compare: the sth phase reads the --large-data log, or the log of a submit phase before it")

    work = tempfile.mkdtemp(prefix="vigil-compare-")
    try:
        sides = {"old": bin_dir(args.old, work, "old"), "new": bin_dir(args.new, work, "new")}
        key = os.path.join(work, "log-key.pem")
        subprocess.run([args.vigil, "keygen", "--out", key], check=True, stdout=subprocess.DEVNULL)
        chains = gen(work, "chains", args.count, other_roots=args.other_roots)
        roots = os.path.join(chains, "root.pem")
        # The write phases: the chains each submits into a fresh log, and that log's extra arguments.
        writes = {"submit": (chains, [])}
        if "endorsed" in phases:
            endorsed = gen(work, "endorsed", args.count, log_key=key, other_roots=args.other_roots)
            writes["endorsed"] = (endorsed, ["--contract", os.path.join(endorsed, "contract.yaml")])
        read_data, read_key = None, key
        if args.large_data:
            read_data = os.path.join(args.large_data, "data-large")
            read_key = os.path.join(args.large_data, "large-key.pem")
        paths = {}
        if args.large_data:
            with open(os.path.join(args.large_data, "large-hashes")) as f:
                hashes = [base64.b64decode(line.strip()) for line in f if line.strip()]
        # Each run: (rate, CPU a request, steal, p99 us, max us); latencies are 0 for reads.
        results: dict[str, dict[str, list[tuple[float, float, float, float, float]]]] = {
            phase: {"old": [], "new": []} for phase in phases}
        mallocs: dict[str, dict[str, float]] = {phase: {} for phase in phases}

        def run(phase: str, side: str, count_mallocs: bool = False) -> tuple[tuple[float, float, float, float, float], float | None]:
            """One run of `phase` on `side`: its figures as `results` keeps them, and mallocs a request or None."""
            nonlocal read_data
            bodies = None
            if phase in writes:
                source, extra = writes[phase]
                data = os.path.join(work, f"data-{phase}-{side}")
                shutil.rmtree(data, ignore_errors=True)
                server = Server(sides[side], data, key, os.path.join(source, "root.pem"), extra)
                bodies = os.path.join(source, "bodies.jsonl")
            else:
                server = Server(sides[side], read_data, read_key, roots)
                server.wait_quiet()
                if phase not in paths:
                    paths[phase] = write_paths(phase, server.tree_size())
            try:
                counter = MallocCounter(server.process.pid) if count_mallocs else None
                with counter or contextlib.nullcontext():
                    if bodies:
                        result = submit_phase(server, bodies, args.connections)
                        requests = result["logged"]
                    else:
                        result = timed_wrk(server, "paths.lua", {"PATHS": paths[phase]}, args.connections, args.read_seconds)
                        requests = result["ok"]
            except MallocError as error:
                sys.exit(f"compare: {error}")
            finally:
                server.stop()
            if phase == "submit" and not args.large_data:
                read_data = data
            if result["failed"]:
                sys.exit(f"compare: {result['failed']} {phase} requests failed: {result['first_error']}")
            per_request = counter.count / max(requests, 1) if counter else None
            latency = (result["p99_us"], result["max_us"]) if bodies else (0.0, 0.0)
            return (result["rate"], result["cpu_per"], result["steal"], *latency), per_request

        def write_paths(phase: str, size: int) -> str:
            path = os.path.join(work, f"{phase}-paths")
            with open(path, "w") as f:
                if phase == "sth":
                    f.write("/ct/v1/get-sth\n")
                else:
                    for h in hashes:
                        f.write(f"/ct/v1/get-proof-by-hash?hash={urllib.parse.quote(base64.b64encode(h).decode(), safe='')}"
                                f"&tree_size={size}\n")
            return path

        for phase in phases:
            for round_ in range(args.rounds):
                for side in (("old", "new") if round_ % 2 == 0 else ("new", "old")):
                    progress(f"{phase}, round {round_ + 1} of {args.rounds}: {side}")
                    results[phase][side].append(run(phase, side)[0])
            if args.mallocs:
                for side in ("old", "new"):
                    progress(f"{phase}, mallocs counted: {side}")
                    mallocs[phase][side] = run(phase, side, count_mallocs=True)[1]
        print(f"vigil compare  {args.rounds} alternating rounds (old first in odd rounds, new first in even); "
              f"medians, the paired change, then every run in round order")
        print(f"  old = {args.old}\n  new = {args.new}")
        for phase in phases:
            write = phase in writes
            medians = {side: (statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs),
                              statistics.median(run[3] for run in runs))
                       for side, runs in results[phase].items()}
            (old_rate, old_cpu, old_p99), (new_rate, new_cpu, new_p99) = medians["old"], medians["new"]
            tail = f"   p99 {old_p99 / 1000:.1f} -> {new_p99 / 1000:.1f} ms" if write else ""
            print(f"  {phase:<8} old {old_rate:,.0f}/s {old_cpu * 1e6:.1f} us   new {new_rate:,.0f}/s {new_cpu * 1e6:.1f} us   "
                  f"CPU a request {100 * (new_cpu / old_cpu - 1):+.1f}%{tail}")
            print("          " + paired_line([run[1] for run in results[phase]["old"]], [run[1] for run in results[phase]["new"]]))
            if mallocs[phase]:
                old_m, new_m = mallocs[phase]["old"], mallocs[phase]["new"]
                print(f"          mallocs a {'submission' if write else 'request'} (one more run each, "
                      f"uprobe on malloc): old {old_m:.2f}, new {new_m:.2f} ({100 * (new_m / old_m - 1):+.1f}%)")
            for side in ("old", "new"):
                print(f"          {side}: " + ", ".join(
                    f"{r:,.0f}/s {c * 1e6:.1f} us" + (f" p99 {p99 / 1000:.1f} max {top / 1000:.1f} ms" if write else "")
                    + f" (steal {100 * st:.0f}%)" for r, c, st, p99, top in results[phase][side]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
