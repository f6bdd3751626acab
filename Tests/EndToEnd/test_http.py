"""HTTP/1.1 on one raw connection to the release vigil-log: pipelined requests get their
answers in order, whichever of the server's paths answers them (Specs/log-api.md,
"Conventions"), `Connection: close` and HTTP/1.0 without keep-alive close after the answer,
and SIGTERM lets an answer being made finish."""

from __future__ import annotations

import json
import signal
import socket
import time

import ctverify as cv


def request(method: str, path: str, body: bytes = b"", close: bool = False, version: str = "HTTP/1.1",
            connection: str | None = None) -> bytes:
    head = f"{method} {path} {version}\r\nHost: 127.0.0.1\r\n"
    if body or method == "POST":
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    if close:
        connection = "close"
    if connection is not None:
        head += f"Connection: {connection}\r\n"
    return (head + "\r\n").encode() + body


class Answers:
    """Reads HTTP/1.1 answers one after another off a socket."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def next(self) -> tuple[int, dict, bytes]:
        while b"\r\n\r\n" not in self.buffer:
            assert self._fill(), f"connection closed mid-answer: {self.buffer[:200]!r}"
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers["content-length"])
        while len(rest) < length:
            assert self._fill(), "connection closed mid-body"
            rest = self.buffer.partition(b"\r\n\r\n")[2]
        self.buffer = rest[length:]
        return status, headers, rest[:length]

    def closed(self) -> bool:
        """True if the server closes the connection with nothing more to say."""
        return not self.buffer and not self._fill()


def connect(server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def test_pipelined_answers_arrive_in_request_order(make_server, pki):
    """A submission waits for its batch; everything pipelined behind it, on either of the
    server's paths, is answered after it and in order."""
    server = make_server()
    issued = pki.leaf()
    body = json.dumps({"chain": [cv.b64(d) for d in issued.ders()]}).encode()
    leaf_hash = cv.b64(bytes(32)).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    requests = [
        ("POST", "/ct/v1/add-chain", body),
        ("GET", "/ct/v1/get-roots", b""),
        ("GET", "/ct/v1/get-sth", b""),
        ("GET", f"/ct/v1/get-proof-by-hash?hash={leaf_hash}&tree_size=1", b""),
        ("POST", "/ct/v1/get-sth", b""),
        ("POST", "/ct/v1/add-chain", b"{"),
        ("GET", "/log.v3.json", b""),
        ("POST", "/ct/v1/add-chain", body),
        ("GET", "/ct/v1/get-sth", b""),
    ]
    with connect(server) as sock:
        sock.sendall(b"".join(request(m, p, b) for m, p, b in requests))
        answers = Answers(sock)
        got = [answers.next() for _ in requests]

    status, headers, first = got[0]
    assert status == 200 and headers["content-type"] == "application/json"
    sct = cv.SCT.from_json(json.loads(first))
    cv.verify_sct(sct, server.public_key, 0, cv.signed_entry_x509(issued.der))
    status, _, roots = got[1]
    assert status == 200 and len(json.loads(roots)["certificates"]) == 2
    status, _, sth = got[2]
    head = cv.STH.from_json(json.loads(sth))
    cv.verify_sth(head, server.public_key)
    # The submission was answered first, so the tree head behind it already holds it.
    assert status == 200 and head.tree_size == 1
    status, _, proof = got[3]
    assert status == 404, proof
    status, _, refused = got[4]
    assert status == 405 and json.loads(refused)["error"] == "methodNotAllowed"
    status, _, malformed = got[5]
    assert status == 400 and json.loads(malformed)["error"] == "badRequest"
    status, _, listing = got[6]
    assert status == 200 and "operators" in json.loads(listing)
    status, _, again = got[7]
    assert status == 200 and cv.SCT.from_json(json.loads(again)).timestamp == sct.timestamp
    status, _, last = got[8]
    assert status == 200 and cv.STH.from_json(json.loads(last)).tree_size == 1
    for status, headers, data in got:
        assert headers["server"] == "vigil-log" and "date" in headers, headers
        assert int(headers["content-length"]) == len(data)


def test_a_burst_of_pipelined_reads_is_answered_whole(make_server):
    server = make_server()
    count = 200
    with connect(server) as sock:
        sock.sendall(b"".join(request("GET", "/ct/v1/get-sth") for _ in range(count)))
        answers = Answers(sock)
        got = [answers.next() for _ in range(count)]
    assert {status for status, _, _ in got} == {200}
    assert len({data for _, _, data in got}) == 1
    cv.verify_sth(cv.STH.from_json(json.loads(got[0][2])), server.public_key)


# get-sth is answered by the hot path, get-roots by the router.
BOTH_PATHS = ("/ct/v1/get-sth", "/ct/v1/get-roots")


def test_connection_close_closes_after_the_answer(make_server):
    """RFC 9112 section 9.3: `close` in any letter case or beside another option, and an
    HTTP/1.0 request that does not ask for keep-alive, each get their answer, saying
    `Connection: close`, and then the end of the connection."""
    server = make_server()
    cases = [("HTTP/1.1", "close"), ("HTTP/1.1", "Close"), ("HTTP/1.1", "close, TE"), ("HTTP/1.0", None)]
    for path in BOTH_PATHS:
        for version, connection in cases:
            with connect(server) as sock:
                sock.settimeout(5)
                sock.sendall(request("GET", path, version=version, connection=connection))
                answers = Answers(sock)
                status, headers, _ = answers.next()
                case = f"{path}, {version}, Connection: {connection}"
                assert status == 200, case
                assert headers.get("connection") == "close", f"{case}: the answer does not say it closes: {headers}"
                try:
                    closed = answers.closed()
                except socket.timeout:
                    closed = False
                assert closed, f"{case}: the connection stayed open"


def test_http_1_0_keep_alive_and_http_1_1_stay_open(make_server):
    server = make_server()
    for path in BOTH_PATHS:
        for version, connection in [("HTTP/1.0", "keep-alive"), ("HTTP/1.0", "Keep-Alive"), ("HTTP/1.1", None)]:
            with connect(server) as sock:
                answers = Answers(sock)
                for _ in range(2):
                    sock.sendall(request("GET", path, version=version, connection=connection))
                    status, headers, _ = answers.next()
                    assert status == 200, f"{path}, {version}, Connection: {connection}"
                    assert headers.get("connection") != "close", f"{path}, {version}: {headers}"


def test_a_submission_waiting_at_sigterm_still_gets_its_sct(make_server, pki):
    """SIGTERM while an add-chain waits for its batch: the server finishes that answer
    before it closes the connection, and the entry is in the tree after a restart."""
    server = make_server(sequence_interval="1500ms")
    issued = pki.leaf()
    body = json.dumps({"chain": [cv.b64(d) for d in issued.ders()]}).encode()
    with connect(server) as sock:
        sock.sendall(request("POST", "/ct/v1/add-chain", body))
        time.sleep(0.3)
        assert server.proc.poll() is None
        server.proc.send_signal(signal.SIGTERM)
        status, _, answer = Answers(sock).next()
    assert status == 200, answer
    sct = cv.SCT.from_json(json.loads(answer))
    cv.verify_sct(sct, server.public_key, 0, cv.signed_entry_x509(issued.der))
    assert server.proc.wait(30) == 0, server.log_tail()
    server.restart()
    head = cv.STH.from_json(server.client.get_sth().json)
    assert head.tree_size == 1
