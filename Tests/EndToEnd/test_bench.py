"""The load benchmark (tools/bench) on a small scale, so that the tool keeps working: every
phase against the real binaries, every submission logged (bench.py exits non-zero when one
is refused or missing from the tree), and one line of figures per phase. Its endorsed
phase signs statements laid out by gen.py from Specs/endorsement.md, so this is also an
independent check of that layout against the log.

The figures themselves are not asserted: speed is measured by tools/bench, never by tests.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import logserver

BENCHKIT = Path(__file__).resolve().parents[2] / "tools" / "benchkit"


def test_every_phase_runs_and_logs_every_submission(bin_dir, tmp_path):
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed (tools/setup installs it)", pytrace=False)
    run = subprocess.run(
        [sys.executable, str(BENCHKIT / "bench.py"), "--bin-dir", str(bin_dir), "--count", "400", "--rsa",
         "--endorsed-count", "90", "--read-seconds", "1", "--connections", "16", "--other-roots", "25",
         "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    out = run.stdout
    for expected in ("add-chain, ECDSA P-256 issuer, 400 new entries:", "sustained", "crypto cost / server CPU", "duplicates",
                     "paced to half", "OV with inline 2-of-3 endorsements, 90 entries:", "get-sth (HTTP floor)", "get-proof-by-hash",
                     "get-entries (256)", "tiles (data + level 0)", "restart of the 1,400-entry log", "storage:"):
        assert expected in out, out
    assert "answered 400 or more" not in out, out
    # Every wrk run's line says how much of the cores the VM lost to other guests meanwhile:
    # the write, paced and duplicate runs, the RSA and endorsed ones and the five reads (proofs twice).
    steals = [float(x) for x in re.findall(r"steal ([\d.]+)%", out)]
    assert len(steals) == 10 and all(0 <= x <= 100 for x in steals), out
    assert "get-proof-by-hash, again" in out and "for the log to go quiet" in out, out
    # The floor line's parts add up to its sum, and the ceiling is the cores' time over it.
    floor = re.search(r"floor: crypto ([\d.]+) \+ HTTP ([\d.]+) \(get-sth server CPU\) \+ wrk ([\d.]+) = ([\d.]+) us "
                      r"a submission, so no log could pass ([\d,]+) submissions/s on these (\d+) cores", out)
    assert floor, out
    crypto, http, wrk, total = (float(floor.group(i)) for i in range(1, 5))
    assert crypto > 0 and http > 0 and wrk > 0 and abs(crypto + http + wrk - total) < 0.2, floor.group(0)
    assert abs(int(floor.group(5).replace(",", "")) - int(floor.group(6)) * 1e6 / total) <= 1 + 1e-3 * 1e6 / total, floor.group(0)
    # The crypto was measured right before and right after the write run; the ratio uses their
    # mean, and the range beside it the crypto of either moment.
    line = re.search(r"one verify \+ one sign = ([\d.]+) and ([\d.]+) us, mean ([\d.]+) us", out)
    assert line, out
    before, after, mean = (float(line.group(i)) for i in (1, 2, 3))
    assert abs((before + after) / 2 - mean) < 0.1 and abs(mean - crypto) < 0.1, line.group(0)
    ratio = re.search(r"server CPU +([\d.]+) us per submission \(crypto cost / server CPU = ([\d.]+), ([\d.]+)-([\d.]+) "
                      r"with the crypto of either moment\)", out)
    assert ratio, out
    cpu, mean_ratio, low, high = (float(ratio.group(i)) for i in (1, 2, 3, 4))
    assert low <= mean_ratio <= high and abs(mean_ratio - mean / cpu) < 0.01, ratio.group(0)
    # The RSA run's ratio uses the crypto measured around it, and says what either moment gives.
    rsa_crypto = re.search(r"right before and after the RSA run, RSA-2048 verify [\d,]+ and [\d,]+/s, "
                           r"P-256 sign [\d,]+ and [\d,]+/s, mean ([\d.]+) us", out)
    rsa_line = re.search(r"add-chain, RSA-2048 issuer: [\d,]+/s .* CPU ([\d.]+) us/submission \(crypto ratio ([\d.]+), "
                         r"([\d.]+)-([\d.]+) with the crypto of either moment\)", out)
    assert rsa_crypto and rsa_line, out
    rsa_cpu, rsa_ratio, rsa_low, rsa_high = (float(rsa_line.group(i)) for i in (1, 2, 3, 4))
    assert rsa_low <= rsa_ratio <= rsa_high and abs(rsa_ratio - float(rsa_crypto.group(1)) / rsa_cpu) < 0.01, rsa_line.group(0)
    # Every log accepted 25 other roots, listed before the one that issued its chains.
    assert "accepts 26 root(s)" in out, out
    for chains in ("ecdsa", "rsa", "endorsed"):
        assert (tmp_path / chains / "root.pem").read_text().count("BEGIN CERTIFICATE") == 26


def test_the_crypto_is_bracketed_around_the_write_run():
    """The ratio's crypto is the mean of the two measurements around the write run."""
    sys.path.insert(0, str(BENCHKIT))
    import bench
    # 10,000 verifies and 40,000 signs a second: 125 us; half as fast after: 250 us.
    bracket = bench.crypto_bracket((40_000.0, 10_000.0), (20_000.0, 5_000.0))
    assert [round(c * 1e6, 6) for c in bracket["costs"]] == [125.0, 250.0], bracket
    assert round(bracket["crypto"] * 1e6, 6) == 187.5, bracket
    line = bench.crypto_line(bracket, None)
    assert "sign 40,000 and 20,000/s, verify 10,000 and 5,000/s" in line, line
    assert line.endswith("one verify + one sign = 125.0 and 250.0 us, mean 187.5 us"), line
    # Around the RSA run: one RSA-2048 verify and one P-256 sign, 20 + 25 us, then 40 + 50.
    rsa = bench.crypto_bracket((40_000.0, 50_000.0), (20_000.0, 25_000.0))
    assert round(rsa["crypto"] * 1e6, 6) == 67.5, rsa
    # At 150 us of CPU a submission: 67.5 / 150 on the mean, 45 / 150 and 90 / 150 at either moment.
    assert bench.ratio_text(rsa, 150e-6) == "0.45, 0.30-0.60 with the crypto of either moment"
    assert line + ("; right before and after the RSA run, RSA-2048 verify 50,000 and 25,000/s, "
                   "P-256 sign 40,000 and 20,000/s, mean 67.5 us") == bench.crypto_line(bracket, rsa)


def test_read_failures_are_counted_and_the_first_is_shown(bin_dir, pki, tmp_path):
    """The read phases leave the answers to wrk, which counts those of status 400 and up; the
    bench then asks the paths again to show the first failure. One good and one bad path in
    turn must come out about half failed, naming the bad one."""
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed (tools/setup installs it)", pytrace=False)
    sys.path.insert(0, str(BENCHKIT))
    import bench
    files = logserver.LogServer(bin_dir, roots=[pki.root.cert])  # a log key and a roots file
    server = bench.Server(str(bin_dir), str(tmp_path / "data"), str(files.key_path), str(files.roots_path))
    try:
        bad = "/ct/v1/get-proof-by-hash?hash=not-a-hash&tree_size=1"
        paths = tmp_path / "paths"
        paths.write_text(f"/ct/v1/get-sth\n{bad}\n")
        result = bench.timed_wrk(server, "paths.lua", {"PATHS": str(paths)}, 2, 1)
        assert result["ok"] > 10 and result["failed"] > 10, result
        assert abs(result["ok"] - result["failed"]) <= 2, result
        assert result["first_error"].startswith(f"{bad}: 400 "), result
        assert "hash" in result["first_error"][len(bad):], result
        paths.write_text("/ct/v1/get-sth\n")
        result = bench.timed_wrk(server, "paths.lua", {"PATHS": str(paths)}, 2, 1)
        assert result["ok"] > 10 and result["failed"] == 0 and result["first_error"] == "", result
    finally:
        server.stop()
        files.cleanup()


def compare_itself(bin_dir, rounds: int, *extra: str, phases=("submit", "sth")) -> subprocess.CompletedProcess:
    """`tools/bench --compare` of the release vigil-log against itself: small phases (submit and sth
    unless told)."""
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed (tools/setup installs it)", pytrace=False)
    binary = str(bin_dir / "vigil-log")
    return subprocess.run(
        [sys.executable, str(BENCHKIT / "compare.py"), binary, binary, "--vigil", str(bin_dir / "vigil"),
         *[arg for phase in phases for arg in ("--phase", phase)], "--rounds", str(rounds), "--count", "200", "--read-seconds", "1",
         "--connections", "16", *extra],
        capture_output=True, text=True, timeout=300)


def test_compare_alternates_two_binaries_and_prints_medians(bin_dir):
    """`tools/bench --compare` on one binary against itself: both sides run every round of
    each phase it is given, and it prints the medians and every run; the write phases (plain and
    endorsed add-chain) with their p99 and maximum latency."""
    phases = ("submit", "endorsed", "sth")
    run = compare_itself(bin_dir, 2, phases=phases)
    assert run.returncode == 0, run.stderr[-2000:]
    out = run.stdout
    assert "2 alternating rounds" in out, out
    lines = out.splitlines()
    for phase in phases:
        index = next(i for i, l in enumerate(lines) if l.strip().startswith(phase))
        line = lines[index]
        assert "old" in line and "new" in line and "CPU a request" in line, out
        assert bool(re.search(r"p99 [\d.]+ -> [\d.]+ ms", line)) == (phase != "sth"), line
        runs = [l for l in lines[index + 1:index + 6] if l.strip().startswith(("old:", "new:"))]
        assert len(runs) == 2 and all(l.count("/s") == 2 for l in runs), out
        assert all(len(re.findall(r"\(steal \d+%\)", l)) == 2 for l in runs), out
        latencies = [len(re.findall(r"p99 [\d.]+ max [\d.]+ ms", l)) for l in runs]
        assert latencies == ([0, 0] if phase == "sth" else [2, 2]), runs
    paired = [l for l in lines if l.strip().startswith("paired:")]
    assert len(paired) == 3, out
    for line in paired:
        match = re.search(r"CPU a request ([+-][\d.]+)% \(median of 2 rounds, ([+-][\d.]+)% to ([+-][\d.]+)%\), "
                          r"new cheaper in (\d) of 2", line)
        assert match, line
        median, low, high = (float(match.group(i)) for i in (1, 2, 3))
        assert low <= median <= high and int(match.group(4)) <= 2, line


def test_compare_counts_mallocs_or_says_why_it_cannot(bin_dir):
    """`--mallocs` adds a counted run of each side and prints mallocs a request; where perf
    cannot add a uprobe (no root, no uprobes) it stops with a message saying so."""
    run = compare_itself(bin_dir, 1, "--mallocs")
    if run.returncode != 0:
        assert "compare: --mallocs" in run.stderr, run.stderr[-2000:]
        print(f"NOTICE: mallocs not counted here: {run.stderr.strip()[-300:]}")
        return
    lines = [l for l in run.stdout.splitlines() if "uprobe on malloc" in l]
    assert len(lines) == 2, run.stdout
    for line, what in zip(lines, ("submission", "request")):
        match = re.search(rf"mallocs a {what} .*: old ([\d.]+), new ([\d.]+) \(([+-][\d.]+)%\)", line)
        assert match, line
        old, new = float(match.group(1)), float(match.group(2))
        # The same binary on both sides: a submission takes well over a hundred, a cached
        # get-sth a few, and the two sides' counts agree closely.
        assert old >= (100 if what == "submission" else 2), line
        assert abs(new - old) <= 0.2 * old, line


def test_paired_change_compares_the_runs_of_each_round():
    """The paired line's figures: each round's new run against its old one, not side medians."""
    sys.path.insert(0, str(BENCHKIT))
    import compare
    # Side medians would say +10% (200 against 220); the rounds say -10% twice and +10% once.
    change = compare.paired_change([100.0, 200.0, 300.0], [90.0, 220.0, 270.0])
    assert change["rounds"] == 3 and change["fewer"] == 2, change
    assert abs(change["median"] + 0.10) < 1e-9 and abs(change["low"] + 0.10) < 1e-9 and abs(change["high"] - 0.10) < 1e-9, change
    assert compare.paired_line([100.0, 200.0, 300.0], [90.0, 220.0, 270.0]) == (
        "paired: CPU a request -10.0% (median of 3 rounds, -10.0% to +10.0%), new cheaper in 2 of 3")
    with pytest.raises(ValueError):
        compare.paired_change([100.0, 200.0], [90.0])
