"""Vigil's load benchmark: real release binaries on loopback, driven by wrk.

Run through `tools/bench` (which builds first). Every figure it prints comes from this
run: wrk's own latency histogram, the server's CPU time and peak RSS from /proc, the
tree size the log itself reports, and `openssl speed` run in the same invocation: P-256 right
before and right after the ECDSA add-chain run (the ratio uses the mean of the two, since the
VM's speed drifts within minutes), and RSA-2048 verify with P-256 sign right before and right
after the RSA run.

Phases (each on a fresh log unless said otherwise):
  write      add-chain of N distinct ECDSA-issued chains (and RSA-issued with --rsa), as fast as wrk
             can drive it over keep-alive connections; then a paced run at half that rate, then up to
             20,000 of the same chains again (duplicates: answered from the dedup index, nothing written)
  read       get-sth (the HTTP floor: a cached answer), get-proof-by-hash (twice: the second run finds
             the pages the first read in the page cache), get-entries and static-ct-api tiles against
             the write phase's log, each with server and wrk CPU per request, once the log is quiet
             (or a large synthetic log made with --large, when vigil-bench-fill is built)
  restart    the same log stopped and started again: time to first answer, RSS while serving
  storage    bytes of the LevelDB store against the bytes of the certificates it holds
  endorsed   add-chain of OV chains with inline 2-of-3 bundles under a contract
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One vigil-log process on loopback, with its CPU and memory read from /proc."""

    interval = "10ms"

    def __init__(self, bin_dir: str, data: str, key: str, roots: str, extra: list[str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(os.path.dirname(data), f"server-{self.port}.log"), "w")
        command = [os.path.join(bin_dir, "vigil-log"), "serve", "--data", data, "--key", key, "--roots", roots,
                   "--listen", f"127.0.0.1:{self.port}", "--pool-size", "100000", "--log-level", "warning",
                   "--sequence-interval", Server.interval] + (extra or [])
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.ready_after = self.wait_ready()
        # The kernel keeps only the peak of the whole RSS (VmHWM), which counts the binary's
        # mapped pages too; the peak of anonymous memory is sampled here beside it.
        self.peak_anon = 0
        threading.Thread(target=self.sample_anonymous, daemon=True).start()

    def wait_ready(self) -> float:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"bench: vigil-log exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + "/ct/v1/get-sth", timeout=1) as r:
                    r.read()
                    return time.monotonic() - self.started
            except OSError:
                time.sleep(0.005)
        sys.exit("bench: vigil-log did not answer within 120 s")

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path, timeout=30) as r:
            return json.loads(r.read())

    def tree_size(self) -> int:
        return self.get("/ct/v1/get-sth")["tree_size"]

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS   # utime, stime

    def memory(self) -> tuple[int, int, int]:
        """(current RSS, peak RSS, current anonymous RSS) in bytes. RSS also counts mapped
        files (the binary and its libraries; LevelDB's tables too, for a build that maps them);
        the anonymous part leaves them out."""
        values = {}
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "VmHWM", "RssAnon"):
                    values[name] = int(rest.split()[0]) * 1024
        return values["VmRSS"], values["VmHWM"], values["RssAnon"]

    def wait_quiet(self, share: float = 0.1, window: float = 1.0, limit: float = 900) -> float:
        """Waits until the log uses under `share` of one core for a whole `window` of seconds,
        up to `limit`, and returns how long that took. A log opened on a store just written in
        bulk compacts it in the background for a while (LevelDB's own thread, counted in the
        process's CPU); reads measured meanwhile would be charged that work and share the
        cores with it. An idle log takes well under 1% of a core, compaction most of one."""
        started = time.monotonic()
        last = self.cpu_seconds()
        while time.monotonic() - started < limit:
            time.sleep(window)
            now = self.cpu_seconds()
            if now - last < share * window:
                break
            last = now
        return time.monotonic() - started

    def sample_anonymous(self) -> None:
        while self.process.poll() is None:
            try:
                self.peak_anon = max(self.peak_anon, self.memory()[2])
            except (OSError, KeyError):
                return
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def steal_ticks() -> int:
    """CPU time the hypervisor gave to other guests while this one had work (the `steal`
    column of /proc/stat's first line), in clock ticks over all cores."""
    with open("/proc/stat") as f:
        fields = f.readline().split()
    return int(fields[8]) if len(fields) > 8 else 0


def wrk(script: str, url: str, env: dict, connections: int, threads: int, duration: str) -> dict:
    summary = tempfile.mktemp(prefix="wrk-", suffix=".json")
    full_env = dict(os.environ, SUMMARY=summary, THREADS=str(threads), BENCHKIT=HERE, **env)
    # exec keeps the shell's pid, so the script can end the run early with SIGINT to $WRK_PID.
    command = ["sh", "-c", 'WRK_PID=$$ exec wrk "$@"', "wrk", "-t", str(threads), "-c", str(connections), "-d", duration,
               "--timeout", "30s", "-s", os.path.join(HERE, script), url]
    # A SIGINT ignored by whatever started the bench would be ignored by wrk too: give it the default.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    steal_before, wall_before = steal_ticks(), time.monotonic()
    subprocess.run(command, env=full_env, check=True, stdout=subprocess.DEVNULL,
                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.monotonic() - wall_before
    stolen = (steal_ticks() - steal_before) / CLOCK_TICKS
    with open(summary) as f:
        result = json.load(f)
    os.unlink(summary)
    # The load generator's own CPU, which it takes from the same two cores as the server.
    result["wrk_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # The share of the cores' time the VM lost to other guests: a run that had less of the
    # machine than another is slower for it, whatever the code does.
    result["steal"] = stolen / max(wall * (os.cpu_count() or 1), 1e-9)
    return result


def openssl_rates(algorithm: str, seconds: int) -> tuple[float, float]:
    """Signs and verifies per second of one core from one `openssl speed` run of `algorithm`."""
    out = subprocess.run(["openssl", "speed", "-seconds", str(seconds), algorithm], capture_output=True, text=True,
                         check=True).stdout
    line = [l for l in out.splitlines() if re.match(r"^\s*(256 bits ecdsa|rsa 2048 bits)", l)][-1]
    sign, verify = (float(x) for x in line.split()[-2:])
    return sign, verify


def crypto_bracket(before: tuple[float, float], after: tuple[float, float]) -> dict:
    """The crypto cost of a submission (one P-256 verify and one sign, in seconds) from the
    (sign/s, verify/s) of `openssl speed` right before and right after the write run, and their
    mean, which the ratio and the floor use: the VM's speed drifts within minutes, and the
    crypto of one moment set against the log's CPU of another moved the ratio by a fifth."""
    costs = [1 / verify + 1 / sign for sign, verify in (before, after)]
    return {"before": before, "after": after, "costs": costs, "crypto": sum(costs) / 2}


def ratio_text(bracket: dict, cpu: float) -> str:
    """The crypto ratio of a run that took `cpu` a submission: on the bracket's mean, then the
    range the crypto of either moment gives."""
    low, high = (cost / cpu for cost in sorted(bracket["costs"]))
    return f"{bracket['crypto'] / cpu:.2f}, {low:.2f}-{high:.2f} with the crypto of either moment"


def rsa_rates(seconds: int) -> tuple[float, float]:
    """(P-256 sign/s, RSA-2048 verify/s) of one core: an RSA-issued submission's crypto is an
    RSA-2048 verify of its leaf and the P-256 signature of its SCT."""
    return openssl_rates("ecdsap256", seconds)[0], openssl_rates("rsa2048", seconds)[1]


def crypto_line(bracket: dict, rsa_bracket: dict | None) -> str:
    """The block's crypto line: both measurements and the mean, and those around the RSA run."""
    (sign_b, verify_b), (sign_a, verify_a) = bracket["before"], bracket["after"]
    cost_b, cost_a = bracket["costs"]
    rsa = ""
    if rsa_bracket:
        (rsa_sign_b, rsa_verify_b), (rsa_sign_a, rsa_verify_a) = rsa_bracket["before"], rsa_bracket["after"]
        rsa = (f"; right before and after the RSA run, RSA-2048 verify {rsa_verify_b:,.0f} and {rsa_verify_a:,.0f}/s, "
               f"P-256 sign {rsa_sign_b:,.0f} and {rsa_sign_a:,.0f}/s, mean {rsa_bracket['crypto'] * 1e6:.1f} us")
    return (f"  crypto (openssl speed, 1 core, right before and right after the ECDSA add-chain run): "
            f"P-256 sign {sign_b:,.0f} and {sign_a:,.0f}/s, verify {verify_b:,.0f} and {verify_a:,.0f}/s"
            + f"; one verify + one sign = {cost_b * 1e6:.1f} and {cost_a * 1e6:.1f} us, mean {bracket['crypto'] * 1e6:.1f} us"
            + rsa)


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def submit_phase(server: Server, bodies: str, connections: int, delay_ms: int = 0, path: str = "/ct/v1/add-chain") -> dict:
    progress(f"add-chain of {bodies}" + (f", each connection pausing {delay_ms} ms" if delay_ms else ""))
    size_before, cpu_before = server.tree_size(), server.cpu_seconds()
    env = {"BODIES": bodies, "SUBMIT_PATH": path}
    if delay_ms:
        env["DELAY_MS"] = str(delay_ms)
    result = wrk("submit.lua", server.url, env, connections, 1, "900s")
    cpu = server.cpu_seconds() - cpu_before
    logged = server.tree_size() - size_before
    seconds = result["duration_us"] / 1e6
    if result["failed"] or result["socket_errors"]:
        sys.exit(f"bench: {result['failed']} submissions refused, {result['socket_errors']} socket errors; "
                 f"first: {result['first_error']}")
    expected = sum(1 for _ in open(bodies))
    if logged < expected:
        sys.exit(f"bench: the log grew by {logged} entries for {expected} distinct submissions")
    return dict(result, logged=logged, seconds=seconds, rate=logged / seconds, cpu=cpu,
                cpu_per=cpu / max(logged, 1), wrk_per=result["wrk_cpu"] / max(logged, 1), peak_rss=server.memory()[1])


def duplicate_phase(server: Server, bodies: str, work: str, connections: int, count: int) -> dict:
    """Resubmits `count` chains the log already holds: the path of a duplicate (parse, verify,
    a wait in the pool, the sequencer's dedup read for its batch, SCT signature) without storage
    writes. The tree must not grow."""
    path = os.path.join(work, "duplicates.jsonl")
    with open(bodies) as f, open(path, "w") as out:
        for i, line in enumerate(f):
            if i >= count:
                break
            out.write(line)
    progress(f"add-chain of {count} duplicates")
    size_before, cpu_before = server.tree_size(), server.cpu_seconds()
    result = wrk("submit.lua", server.url, {"BODIES": path, "SUBMIT_PATH": "/ct/v1/add-chain"}, connections, 1, "900s")
    cpu = server.cpu_seconds() - cpu_before
    if result["failed"] or result["socket_errors"]:
        sys.exit(f"bench: {result['failed']} duplicates refused, {result['socket_errors']} socket errors; "
                 f"first: {result['first_error']}")
    if server.tree_size() != size_before:
        sys.exit(f"bench: resubmitting {count} logged chains grew the tree from {size_before} to {server.tree_size()}")
    answered = result["ok"]
    return dict(result, rate=answered / (result["duration_us"] / 1e6), cpu_per=cpu / max(answered, 1),
                wrk_per=result["wrk_cpu"] / max(answered, 1), count=answered)


def leaf_hashes(server: Server, size: int, limit: int) -> list[bytes]:
    """Leaf hashes of up to `limit` entries spread over the log, from get-entries (RFC 6962 2.1)."""
    hashes, step = [], max(1, size // limit)
    start = 0
    while start < size and len(hashes) < limit:
        end = min(size, start + 255)
        entries = server.get(f"/ct/v1/get-entries?start={start}&end={end}")["entries"]
        for entry in entries[::max(1, min(step, len(entries)))]:
            hashes.append(hashlib.sha256(b"\x00" + base64.b64decode(entry["leaf_input"])).digest())
        start += max(len(entries), step)
    return hashes[:limit]


def read_phase(server: Server, work: str, hashes: list[bytes], size: int, connections: int,
               seconds: int) -> tuple[dict, float]:
    """Each read run's results by name, and how long the log took to go quiet before them."""
    progress(f"reads on a {size}-entry log, once it is quiet")
    waited = server.wait_quiet()
    results = {}
    # The floor under every read: a request whose answer is the cached signed tree head.
    sth = os.path.join(work, "sth-paths")
    with open(sth, "w") as f:
        f.write("/ct/v1/get-sth\n")
    results["get-sth (HTTP floor)"] = timed_wrk(server, "paths.lua", {"PATHS": sth}, connections, seconds)
    paths = os.path.join(work, "proof-paths")
    with open(paths, "w") as f:
        for h in hashes:
            f.write(f"/ct/v1/get-proof-by-hash?hash={urllib.parse.quote(base64.b64encode(h).decode(), safe='')}"
                    f"&tree_size={size}\n")
    results["get-proof-by-hash"] = timed_wrk(server, "paths.lua", {"PATHS": paths}, connections, seconds)
    # The first run reads these leaves' index and tile blocks from the disk unless the page
    # cache still holds them; the second finds them there, as they are for a log that has been
    # serving its readers a while. Both are printed.
    results["get-proof-by-hash, again"] = timed_wrk(server, "paths.lua", {"PATHS": paths}, connections, seconds)
    entries = os.path.join(work, "entries-paths")
    with open(entries, "w") as f:
        for start in range(0, max(size - 256, 1), max(1, size // 997)):
            f.write(f"/ct/v1/get-entries?start={start}&end={min(start + 255, size - 1)}\n")
    results["get-entries (256)"] = timed_wrk(server, "paths.lua", {"PATHS": entries}, connections, seconds)
    tiles = os.path.join(work, "tile-paths")
    full = size // 256
    with open(tiles, "w") as f:
        for n in range(0, max(full, 1), max(1, full // 997)):
            f.write(f"/tile/data/{tile_path(n)}\n/tile/0/{tile_path(n)}\n")
    results["tiles (data + level 0)"] = timed_wrk(server, "paths.lua", {"PATHS": tiles}, connections, seconds)
    return results, waited


def timed_wrk(server: Server, script: str, env: dict, connections: int, seconds: int) -> dict:
    """One wrk read run with its rate and the server's and wrk's CPU per request."""
    cpu_before = server.cpu_seconds()
    result = wrk(script, server.url, env, connections, 1, f"{seconds}s")
    cpu = server.cpu_seconds() - cpu_before
    result["rate"] = result["ok"] / (result["duration_us"] / 1e6)
    result["cpu_per"] = cpu / max(result["ok"], 1)
    result["wrk_per"] = result["wrk_cpu"] / max(result["ok"], 1)
    if result["failed"]:
        result["first_error"] = first_failure(server, env["PATHS"])
    return result


def first_failure(server: Server, paths: str, limit: int = 1000) -> str:
    """The status and body start of the first of `paths` (up to `limit`) not answered 200, asked
    again: paths.lua leaves the answers to wrk, which only counts the failures."""
    with open(paths) as f:
        for line in itertools.islice(f, limit):
            try:
                with urllib.request.urlopen(server.url + line.strip(), timeout=10) as r:
                    status, body = r.status, r.read(200)
            except urllib.error.HTTPError as e:
                status, body = e.code, e.read(200)
            if status != 200:
                return f"{line.strip()}: {status} {body.decode(errors='replace')}"
    return f"no failure among the first {limit} paths when asked again"


def read_lines(read: dict, waited: float) -> list[str]:
    return [f"  reads after a wait of {waited:.0f} s for the log to go quiet (under 10% of a core for a "
            f"second: its background compaction done)"] + [f"  {name:<25} {r['rate']:,.0f}/s  p50 {ms(r['p50_us'])}  p99 {ms(r['p99_us'])}  "
            f"CPU {r['cpu_per'] * 1e6:.0f} us/request (wrk {r['wrk_per'] * 1e6:.0f} us); {steal(r)}"
            + (f"  ({r['failed']} answered 400 or more; first: {r['first_error']})" if r["failed"] else "")
            for name, r in read.items()]


def steal(result: dict) -> str:
    return f"steal {100 * result['steal']:.1f}%"


def tile_path(n: int) -> str:
    """C2SP tlog-tiles: the index in groups of three digits, all but the last prefixed with x."""
    parts = []
    while True:
        parts.insert(0, f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    return "/".join(f"x{p}" for p in parts[:-1]) + ("/" if len(parts) > 1 else "") + parts[-1]


def du(path: str) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def gen(work: str, name: str, count: int, issuer: str = "ecdsa", log_key: str | None = None,
        other_roots: int = 0) -> str:
    out = os.path.join(work, name)
    command = [sys.executable, os.path.join(HERE, "gen.py"), "--out", out, "--count", str(count), "--issuer", issuer,
               "--other-roots", str(other_roots)]
    if log_key:
        command += ["--endorsed", "--log-key", log_key]
    subprocess.run(command, check=True)
    return out


def ms(us: float) -> str:
    return f"{us / 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", required=True, help="folder with release-built vigil-log and vigil")
    parser.add_argument("--count", type=int, default=100_000, help="add-chain submissions in the full-speed run")
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--sequence-interval", default="10ms", help="the log's --sequence-interval")
    parser.add_argument("--rsa", action="store_true", help="also run the write phase with an RSA-2048 issuer")
    parser.add_argument("--other-roots", type=int, default=0,
                        help="roots every log accepts besides the one that issued the chains (production logs accept hundreds)")
    parser.add_argument("--endorsed-count", type=int, default=20_000, help="endorsed submissions (0 skips the phase)")
    parser.add_argument("--read-seconds", type=int, default=10)
    parser.add_argument("--large", type=int, default=0,
                        help="read and restart phases on a synthetic log of this many entries (needs vigil-bench-fill)")
    parser.add_argument("--fill-bin", help="vigil-bench-fill binary, for --large")
    parser.add_argument("--large-data", help="folder of the --large log: filled when it holds none, else reused "
                                             "(its size must be --large); default: under the working folder")
    parser.add_argument("--work", help="working folder (default: a new one under /tmp, removed afterwards)")
    args = parser.parse_args()

    Server.interval = args.sequence_interval
    work = args.work or tempfile.mkdtemp(prefix="vigil-bench-")
    os.makedirs(work, exist_ok=True)
    vigil = os.path.join(args.bin_dir, "vigil")
    lines: list[str] = []
    try:
        seconds = 3
        key = os.path.join(work, "log-key.pem")
        subprocess.run([vigil, "keygen", "--out", key], check=True, stdout=subprocess.DEVNULL)
        half_count = max(args.count // 4, 1000)
        chains = gen(work, "ecdsa", args.count + half_count, other_roots=args.other_roots)
        full, paced = os.path.join(chains, "full.jsonl"), os.path.join(chains, "paced.jsonl")
        with open(os.path.join(chains, "bodies.jsonl")) as f, open(full, "w") as a, open(paced, "w") as b:
            for i, line in enumerate(f):
                (a if i < args.count else b).write(line)
        cert_bytes = int(open(os.path.join(chains, "cert-bytes")).read())

        data = os.path.join(work, "data")
        server = Server(args.bin_dir, data, key, os.path.join(chains, "root.pem"))
        ecdsa_before = openssl_rates("ecdsap256", seconds)
        write = submit_phase(server, full, args.connections)
        ecdsa_after = openssl_rates("ecdsap256", seconds)
        bracket = crypto_bracket(ecdsa_before, ecdsa_after)
        crypto = bracket["crypto"]
        half_rate = write["rate"] / 2
        # Each connection waits its answer and then the pause, so take part of the answer time off.
        delay = max(1, int(args.connections * 1000 / half_rate - write["p50_us"] / 2000))
        half = submit_phase(server, paced, args.connections, delay_ms=delay)
        half["target"] = half_rate
        duplicates = duplicate_phase(server, full, work, args.connections, min(args.count, 20_000))
        size = server.tree_size()

        read = None
        if not args.large:
            hashes = leaf_hashes(server, size, 20_000)
            read, read_wait = read_phase(server, work, hashes, size, args.connections, args.read_seconds)
        server.stop()
        store = du(os.path.join(data, "leveldb"))

        restarted = Server(args.bin_dir, data, key, os.path.join(chains, "root.pem"))
        restart = {"size": size, "ready": restarted.ready_after}
        restarted.get("/ct/v1/get-sth")
        restart["rss"] = restarted.memory()[0]
        restarted.stop()

        rsa, rsa_bracket = None, None
        if args.rsa:
            rsa_chains = gen(work, "rsa", args.count, issuer="rsa", other_roots=args.other_roots)
            rsa_server = Server(args.bin_dir, os.path.join(work, "data-rsa"), key, os.path.join(rsa_chains, "root.pem"))
            # Bracketed like the ECDSA run: its crypto measured at the moment of the run, not minutes before.
            rsa_before = rsa_rates(seconds)
            rsa = submit_phase(rsa_server, os.path.join(rsa_chains, "bodies.jsonl"), args.connections)
            rsa_bracket = crypto_bracket(rsa_before, rsa_rates(seconds))
            rsa_server.stop()

        large, read_large = None, None
        if args.large:
            large, read_large = large_log(args, work, key, os.path.join(chains, "root.pem"))

        endorsed = None
        if args.endorsed_count:
            endorsed_chains = gen(work, "endorsed", args.endorsed_count, log_key=key, other_roots=args.other_roots)
            endorsed_server = Server(args.bin_dir, os.path.join(work, "data-endorsed"), key,
                                     os.path.join(endorsed_chains, "root.pem"),
                                     ["--contract", os.path.join(endorsed_chains, "contract.yaml")])
            endorsed = submit_phase(endorsed_server, os.path.join(endorsed_chains, "bodies.jsonl"), args.connections)
            endorsed_server.stop()

        lines += [
            f"vigil bench  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {os.cpu_count()} cores  "
            f"{cpu_model()}",
            f"  load: wrk, 1 thread, {args.connections} keep-alive connections, on the same machine; "
            f"log: --sequence-interval {args.sequence_interval}, accepts {1 + args.other_roots} root(s)",
            crypto_line(bracket, rsa_bracket),
            "",
            f"add-chain, ECDSA P-256 issuer, {write['logged']:,} new entries:",
            f"  sustained         {write['rate']:,.0f} submissions/s over {write['seconds']:.1f} s",
            f"  latency           p50 {ms(write['p50_us'])}  p99 {ms(write['p99_us'])}  max {ms(write['max_us'])}",
            f"  server CPU        {write['cpu_per'] * 1e6:.1f} us per submission "
            f"(crypto cost / server CPU = {ratio_text(bracket, write['cpu_per'])}); wrk {write['wrk_per'] * 1e6:.1f} us; "
            f"{steal(write)}",
            f"  server peak RSS   {write['peak_rss'] / 2**20:.0f} MiB",
            f"  paced to half     {half['rate']:,.0f} submissions/s (half is {half['target']:,.0f}): p50 {ms(half['p50_us'])}  p99 {ms(half['p99_us'])}  "
            f"max {ms(half['max_us'])}; {steal(half)}",
            f"  duplicates        {duplicates['rate']:,.0f}/s of {duplicates['count']:,} already logged: p50 {ms(duplicates['p50_us'])}  "
            f"p99 {ms(duplicates['p99_us'])}  CPU {duplicates['cpu_per'] * 1e6:.1f} us each (wrk {duplicates['wrk_per'] * 1e6:.1f} us); "
            f"the tree did not grow; {steal(duplicates)}",
        ]
        if rsa:
            lines += [f"add-chain, RSA-2048 issuer: {rsa['rate']:,.0f}/s  p50 {ms(rsa['p50_us'])}  p99 {ms(rsa['p99_us'])}  "
                      f"CPU {rsa['cpu_per'] * 1e6:.1f} us/submission (crypto ratio {ratio_text(rsa_bracket, rsa['cpu_per'])}); "
                      f"{steal(rsa)}"]
        if endorsed:
            lines += [f"add-chain, OV with inline 2-of-3 endorsements, {endorsed['logged']:,} entries:",
                      f"  sustained         {endorsed['rate']:,.0f} submissions/s  p50 {ms(endorsed['p50_us'])}  "
                      f"p99 {ms(endorsed['p99_us'])}  CPU {endorsed['cpu_per'] * 1e6:.1f} us/submission; {steal(endorsed)}"]
        if read:
            lines += [f"reads on the {size:,}-entry log ({args.read_seconds} s each):"]
            lines += read_lines(read, read_wait)
        lines += [f"restart of the {restart['size']:,}-entry log: answers after {restart['ready']:.2f} s, "
                  f"RSS {restart['rss'] / 2**20:.0f} MiB"]
        if large:
            lines += large
        lines += [f"storage: {store:,} bytes of LevelDB for {cert_bytes:,} bytes of certificates "
                  f"(ratio {store / cert_bytes:.2f}; issuers once)"]
        # The HTTP floor of whichever log the reads ran on.
        if floor_read := read or read_large:
            lines += floor_lines(crypto, floor_read["get-sth (HTTP floor)"]["cpu_per"], write)
        print("\n".join(lines))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def floor_lines(crypto: float, http: float, write: dict) -> list[str]:
    """What every add-chain costs the machine's cores before any of the log's own work: the
    crypto (`openssl speed`), the HTTP exchange (get-sth's server CPU) and the load generator;
    and the CPU the log spent beyond the first two, against what ratio 0.5 leaves for it."""
    cores = os.cpu_count() or 1
    floor = crypto + http + write["wrk_per"]
    rest = write["cpu_per"] - crypto - http
    return [f"floor: crypto {crypto * 1e6:.1f} + HTTP {http * 1e6:.1f} (get-sth server CPU) + wrk {write['wrk_per'] * 1e6:.1f} "
            f"= {floor * 1e6:.1f} us a submission, so no log could pass {cores / floor:,.0f} submissions/s on these "
            f"{cores} cores; the log's own work beyond crypto and HTTP took {rest * 1e6:.1f} us, "
            f"where ratio 0.5 leaves {(crypto - http) * 1e6:.1f}"]


def large_log(args, work: str, key: str, roots: str) -> tuple[list[str], dict | None]:
    if not args.fill_bin or not os.path.exists(args.fill_bin):
        return [f"large log: skipped, vigil-bench-fill not built ({args.fill_bin})"], None
    folder = args.large_data or work
    os.makedirs(folder, exist_ok=True)
    data = os.path.join(folder, "data-large")
    hashes_file = os.path.join(folder, "large-hashes")
    key_file = os.path.join(folder, "large-key.pem")
    if os.path.exists(hashes_file) and os.path.exists(key_file):
        key, filled = key_file, None
    else:
        shutil.copyfile(key, key_file)
        key = key_file
        started = time.monotonic()
        subprocess.run([args.fill_bin, "--data", data, "--key", key, "--entries", str(args.large),
                        "--hashes-out", hashes_file], check=True, stdout=subprocess.DEVNULL)
        filled = time.monotonic() - started
    # The fill leaves gigabytes of dirty pages; measuring while the kernel writes them back
    # would charge that work to the reads.
    os.sync()
    server = Server(args.bin_dir, data, key, roots)
    ready = server.ready_after
    size = server.tree_size()
    if size != args.large:
        server.stop()
        sys.exit(f"bench: the large log in {data} has {size:,} entries, not --large {args.large:,}")
    with open(hashes_file) as f:
        hashes = [base64.b64decode(line.strip()) for line in f if line.strip()]
    read, waited = read_phase(server, work, hashes, size, args.connections, args.read_seconds)
    rss = server.memory()
    server.stop()
    how = f"filled in {filled:.0f} s" if filled is not None else f"reused from {folder}"
    lines = [f"large log: {size:,} synthetic entries ({how}, {du(os.path.join(data, 'leveldb')):,} bytes)",
             f"  restart: answers after {ready:.2f} s; RSS after the reads {rss[0] / 2**20:.0f} MiB "
             f"(peak {rss[1] / 2**20:.0f} MiB), anonymous {rss[2] / 2**20:.0f} MiB (peak {server.peak_anon / 2**20:.0f} MiB, "
             f"sampled every 50 ms)"]
    return lines + read_lines(read, waited), read


def cpu_model() -> str:
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


if __name__ == "__main__":
    main()
