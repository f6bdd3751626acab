"""Running the real `vigil-log serve` binary on loopback, and a small RFC 6962 client."""

from __future__ import annotations

import http.client
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import ctverify

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def write_private_key(path: Path, key: ec.EllipticCurvePrivateKey, sec1: bool = False) -> None:
    fmt = (serialization.PrivateFormat.TraditionalOpenSSL if sec1
           else serialization.PrivateFormat.PKCS8)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, fmt,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def write_public_key(path: Path, public_key) -> None:
    path.write_bytes(public_key.public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo))


def wait_until_serving(proc: subprocess.Popen, url: str, timeout: float, describe: Callable[[], str]) -> None:
    """Polls GET `url` until it answers 200; raises ServerError if `proc` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"{proc.args[0]} exited with {proc.returncode}\n{describe()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.05)
    raise ServerError(f"{url} not answering within {timeout}s\n{describe()}")


# ---------------------------------------------------------------- client


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)   # lower-cased names

    @property
    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def describe(self) -> str:
        return f"HTTP {self.status}: {self.body[:300]!r}"


class CTClient:
    """RFC 6962 s4 over plain HTTP. One connection per request: thread-safe."""

    def __init__(self, base_url: str | Callable[[], str], timeout: float = 15.0):
        self._base = base_url if callable(base_url) else (lambda: base_url)
        self.timeout = timeout

    @property
    def base_url(self) -> str:
        return self._base()

    def request(self, method: str, path: str, params: dict | None = None,
                body: bytes | None = None, headers: dict | None = None,
                timeout: float | None = None) -> Response:
        url = urllib.parse.urlsplit(self.base_url)
        target = url.path.rstrip("/") + path      # a log mounted below a prefix
        if params:
            target += "?" + urllib.parse.urlencode(params)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout or self.timeout)
        try:
            conn.request(method, target, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return Response(resp.status, data, {k.lower(): v for k, v in resp.getheaders()})
        except http.client.HTTPException as exc:      # e.g. the server died mid-answer
            raise ConnectionError(f"{method} {target}: {exc!r}") from exc
        finally:
            conn.close()

    def get(self, endpoint: str, **params) -> Response:
        return self.request("GET", f"/ct/v1/{endpoint}", params=params or None)

    def post_json(self, endpoint: str, obj, timeout: float | None = None) -> Response:
        return self.post_raw(endpoint, json.dumps(obj).encode(), timeout=timeout)

    def post_raw(self, endpoint: str, body: bytes, timeout: float | None = None) -> Response:
        return self.request("POST", f"/ct/v1/{endpoint}", body=body,
                            headers={"Content-Type": "application/json"}, timeout=timeout)

    # RFC 6962 s4.1 - s4.8
    def add_chain(self, ders: Sequence[bytes], timeout: float | None = None) -> Response:
        return self.post_json("add-chain", {"chain": [ctverify.b64(d) for d in ders]}, timeout)

    def add_pre_chain(self, ders: Sequence[bytes], timeout: float | None = None) -> Response:
        return self.post_json("add-pre-chain", {"chain": [ctverify.b64(d) for d in ders]}, timeout)

    def get_sth(self) -> Response:
        return self.get("get-sth")

    def get_sth_consistency(self, first: int, second: int) -> Response:
        return self.get("get-sth-consistency", first=first, second=second)

    def get_proof_by_hash(self, leaf_hash: bytes, tree_size: int) -> Response:
        return self.get("get-proof-by-hash", hash=ctverify.b64(leaf_hash), tree_size=tree_size)

    def get_entries(self, start: int, end: int) -> Response:
        return self.get("get-entries", start=start, end=end)

    def get_roots(self) -> Response:
        return self.get("get-roots")

    def get_entry_and_proof(self, leaf_index: int, tree_size: int) -> Response:
        return self.get("get-entry-and-proof", leaf_index=leaf_index, tree_size=tree_size)

    def post_oversized(self, endpoint: str, size: int, timeout: float = 15.0) -> Response:
        """POSTs a body of `size` bytes, reading any early answer the server gives.

        A server may reject on Content-Length and close before the body is sent;
        sending in chunks and checking for a reply in between captures that reply
        instead of failing on the broken pipe.
        """
        url = urllib.parse.urlsplit(self.base_url)
        body = b'{"chain":["' + b"A" * max(0, size - 13) + b'"]}'
        head = (f"POST /ct/v1/{endpoint} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                f"Connection: close\r\n\r\n").encode()
        received = b""
        deadline = time.monotonic() + timeout
        with socket.create_connection((url.hostname, url.port), timeout=timeout) as s:
            s.sendall(head)
            sent = 0
            while sent < len(body) and time.monotonic() < deadline:
                readable, _, _ = select.select([s], [], [], 0)
                if readable:
                    break
                try:
                    sent += s.send(body[sent:sent + 16384])
                except (BrokenPipeError, ConnectionResetError):
                    break
            while time.monotonic() < deadline:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    break
                except socket.timeout:
                    break
                if not chunk:
                    break
                received += chunk
        return _parse_raw_response(received)


def _parse_raw_response(data: bytes) -> Response:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if not lines or not lines[0].startswith(b"HTTP/"):
        raise ConnectionError(f"no HTTP response (got {data[:80]!r})")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.decode().strip().lower()] = value.decode().strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            n = int(size_line.split(b";")[0], 16)
            if n == 0:
                break
            out, rest = out + rest[:n], rest[n + 2:]
        body = out
    elif "content-length" in headers:
        body = body[:int(headers["content-length"])]
    return Response(status, body, headers)


# ---------------------------------------------------------------- server


class ServerError(Exception):
    pass


class LogServer:
    """One log: a key, a roots file and a data directory, served by successive
    `vigil-log serve` processes (each on a fresh loopback port)."""

    def __init__(self, bin_dir: Path, roots: Sequence[x509.Certificate],
                 key: ec.EllipticCurvePrivateKey | None = None, key_path: Path | None = None,
                 sequence_interval: str | None = "100ms", pool_size: int | None = None,
                 max_get_entries: int | None = None, not_after_start: str | None = None,
                 not_after_limit: str | None = None, extra_args: Sequence[str] = (),
                 sec1_key: bool = False):
        self.bin_dir = Path(bin_dir)
        self.tmp = Path(tempfile.mkdtemp(prefix="vigil-e2e-"))
        # Left for the server to create, parents and all, as an operator's first start would.
        self.data_dir = self.tmp / "data" / "log"
        self.stderr_path = self.tmp / "server.log"
        self.roots_path = self.tmp / "roots.pem"
        self.roots = list(roots)
        self.roots_path.write_bytes(b"".join(
            c.public_bytes(serialization.Encoding.PEM) for c in self.roots))
        if key_path is not None:
            self.key_path = Path(key_path)
            priv = serialization.load_pem_private_key(self.key_path.read_bytes(), None)
            self.public_key = priv.public_key()
        else:
            key = key or ec.generate_private_key(ec.SECP256R1())
            self.key_path = self.tmp / "log-key.pem"
            write_private_key(self.key_path, key, sec1=sec1_key)
            self.public_key = key.public_key()
        self.pub_path = self.tmp / "log-pub.pem"
        write_public_key(self.pub_path, self.public_key)
        self.log_id = ctverify.log_id(self.public_key)
        self.options = dict(sequence_interval=sequence_interval, pool_size=pool_size,
                            max_get_entries=max_get_entries, not_after_start=not_after_start,
                            not_after_limit=not_after_limit)
        self.extra_args = list(extra_args)
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.generation = 0           # incremented on every start
        self.endpoint: tuple[int, str] | None = None   # (generation, url), replaced atomically
        self._used_ports: set[int] = set()
        self.client = CTClient(lambda: self.url)

    # ------------------------------------------------------------ paths and commands

    @property
    def vigil_log(self) -> str:
        return str(self.bin_dir / "vigil-log")

    @property
    def vigil(self) -> str:
        return str(self.bin_dir / "vigil")

    @property
    def url(self) -> str:
        if self.port is None:
            raise ServerError("server never started")
        return f"http://{HOST}:{self.port}"

    def serve_args(self, port: int) -> list[str]:
        args = [self.vigil_log, "serve", "--data", str(self.data_dir), "--key", str(self.key_path),
                "--roots", str(self.roots_path), "--listen", f"{HOST}:{port}"]
        flags = {"sequence_interval": "--sequence-interval", "pool_size": "--pool-size",
                 "max_get_entries": "--max-get-entries", "not_after_start": "--not-after-start",
                 "not_after_limit": "--not-after-limit"}
        for name, flag in flags.items():
            value = self.options[name]
            if value is not None:
                args += [flag, str(value)]
        return args + self.extra_args

    # ------------------------------------------------------------ lifecycle

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 30.0) -> None:
        if self.running:
            raise ServerError("already running")
        last_error = None
        for _ in range(3):       # a port taken between probing and binding: try another
            port = free_port()
            while port in self._used_ports:     # never reuse an earlier lifetime's port
                port = free_port()
            self._used_ports.add(port)
            self.generation += 1
            with open(self.stderr_path, "ab") as log:
                log.write(f"\n===== start #{self.generation} on port {port}\n".encode())
                log.flush()
                self.proc = subprocess.Popen(self.serve_args(port), stdin=subprocess.DEVNULL,
                                             stdout=log, stderr=log, start_new_session=True)
            self.port = port
            self.endpoint = (self.generation, self.url)
            try:
                self._wait_ready(timeout)
                return
            except ServerError as exc:
                last_error = exc
                if self.proc.poll() is None:
                    self.kill()
                    break          # hung rather than failed to bind: do not retry
        raise ServerError(f"{last_error}\n--- server log tail ---\n{self.log_tail()}")

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"vigil-log exited with {self.proc.returncode} before ready")
            try:
                if self.client.request("GET", "/ct/v1/get-sth", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise ServerError(f"vigil-log not ready within {timeout}s")

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait; returns the exit status (negative: killed by that signal)."""
        if self.proc is None:
            raise ServerError("never started")
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise ServerError(f"vigil-log ignored SIGTERM for {timeout}s\n{self.log_tail()}")
        return self.proc.returncode

    def kill(self) -> None:
        """SIGKILL, no chance to clean up."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def restart(self, timeout: float = 30.0) -> None:
        self.start(timeout)

    def cleanup(self) -> None:
        self.kill()
        if os.environ.get("VIGIL_KEEP_TMP") == "1":
            print(f"keeping {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # ------------------------------------------------------------ the other tools

    def run(self, args: Sequence[str], timeout: float = 60.0) -> subprocess.CompletedProcess:
        return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def check(self, key_path: Path | None = None, timeout: float = 120.0) -> subprocess.CompletedProcess:
        """`vigil-log check` on the data directory (the server must be stopped)."""
        if self.running:
            raise ServerError("check needs a stopped log")
        args = [self.vigil_log, "check", "--data", str(self.data_dir)]
        if key_path is not None:
            args += ["--key", str(key_path)]
        return self.run(args, timeout)

    # ------------------------------------------------------------ verified reads

    def sth(self) -> ctverify.STH:
        """get-sth, signature verified with the log key."""
        resp = self.client.get_sth()
        if resp.status != 200:
            raise ServerError(f"get-sth: {resp.describe()}")
        sth = ctverify.STH.from_json(resp.json)
        ctverify.verify_sth(sth, self.public_key)
        return sth

    def entries(self, start: int, end: int) -> list[tuple[bytes, bytes]]:
        """All (leaf_input, extra_data) in [start, end], following the server's clamping."""
        out: list[tuple[bytes, bytes]] = []
        pos = start
        for _ in range(end - start + 1):
            if pos > end:
                break
            resp = self.client.get_entries(pos, end)
            if resp.status != 200:
                raise ServerError(f"get-entries {pos}..{end}: {resp.describe()}")
            got = resp.json["entries"]
            if not got:
                raise ServerError(f"get-entries {pos}..{end} returned no entries")
            for e in got:
                out.append((ctverify.unb64(e["leaf_input"]), ctverify.unb64(e["extra_data"])))
            pos += len(got)
        if len(out) != end - start + 1:
            raise ServerError(f"get-entries returned {len(out)} entries for {start}..{end}")
        return out
