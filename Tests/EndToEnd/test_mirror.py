"""A log past a level-2 tile (more than 256 * 256 entries), its continuous static mirror served by
nginx, and an export of the stopped log: every root recomputed from the tiles is the checkpoint's
and get-sth's, every SCT's leaf_index names its entry, and the files nginx serves are byte for byte
what the log serves, readable in full by our own client."""

from __future__ import annotations

import concurrent.futures
import hashlib
import http.client
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import ctverify
import logserver
from conftest import _missing
from nginx import Nginx, nginx_binary
from test_static import parse_tile_leaves, verify_checkpoint

ORIGIN = "vigil.e2e.test/mirror"
ENTRIES = 256 * 256 + 300   # level 0: 257 full tiles and a partial; level 1: a full tile; level 2: one hash


def fetch(base: str, path: str):
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Submitter:
    """add-chain over one keep-alive connection per thread."""

    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()

    def add_chain(self, ders) -> dict:
        body = json.dumps({"chain": [ctverify.b64(d) for d in ders]}).encode()
        for attempt in range(5):
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = self.local.connection = http.client.HTTPConnection(logserver.HOST, self.port, timeout=60)
            try:
                connection.request("POST", "/ct/v1/add-chain", body=body, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                self.local.connection = None
                continue
            if response.status == 503:           # pool full: back off as Retry-After says
                time.sleep(0.2 * (attempt + 1))
                continue
            assert response.status == 200, f"HTTP {response.status}: {data[:300]!r}"
            return json.loads(data)
        raise AssertionError("add-chain failed five times")


@pytest.fixture(scope="module")
def big_log(bin_dir, pki):
    mirror = Path(logserver.tempfile.mkdtemp(prefix="vigil-e2e-mirror-"))
    server = logserver.LogServer(bin_dir, roots=[pki.root.cert], sequence_interval="50ms", pool_size=20000,
                                 extra_args=["--submission-url", f"https://{ORIGIN}/", "--mirror", str(mirror)])
    server.start()
    submitter = Submitter(server.port)

    def submit(_):
        item = pki.leaf()
        return item.der, ctverify.SCT.from_json(submitter.add_chain(item.ders(include_root=False)))

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=24) as pool:
            submitted = list(pool.map(submit, range(ENTRIES), chunksize=64))
        # The mirror follows within a sequencing interval or two.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            checkpoint = mirror / "checkpoint"
            if checkpoint.exists() and int(checkpoint.read_text().split("\n")[1]) == ENTRIES:
                break
            time.sleep(0.1)
        yield server, mirror, submitted
    finally:
        server.cleanup()
        logserver.shutil.rmtree(mirror, ignore_errors=True)


def read_tree(base: str, size: int) -> tuple[list[dict], dict[tuple[int, int], bytes]]:
    """Every data tile and hash tile of a tree of `size` leaves, from `base`: (leaves, hash tiles)."""
    leaves: list[dict] = []
    tiles: dict[tuple[int, int], bytes] = {}
    level, count = 0, size
    while count > 0:
        for index in range((count + 255) // 256):
            width = min(256, count - index * 256)
            suffix = "" if width == 256 else f".p/{width}"
            status, _, hashes = fetch(base, f"/tile/{level}/{tile_number(index)}{suffix}")
            assert status == 200 and len(hashes) == 32 * width, f"tile {level}/{index}: {status}"
            tiles[(level, index)] = hashes
            if level == 0:
                status, _, data = fetch(base, f"/tile/data/{tile_number(index)}{suffix}")
                assert status == 200
                tile_leaves = parse_tile_leaves(data)
                assert [leaf["leaf_hash"] for leaf in tile_leaves] == [hashes[i:i + 32] for i in range(0, len(hashes), 32)], \
                    f"data tile {index} does not hash to level-0 tile {index}"
                leaves += tile_leaves
        level, count = level + 1, count // 256
    return leaves, tiles


def tile_number(index: int) -> str:
    parts = []
    while True:
        parts.insert(0, f"{index % 1000:03d}")
        index //= 1000
        if index == 0:
            break
    return "/".join([f"x{part}" for part in parts[:-1]] + parts[-1:])


def check_tree(base: str, server, submitted) -> bytes:
    """Reads and checks the whole tree at `base`; returns its root."""
    status, _, body = fetch(base, "/checkpoint")
    assert status == 200
    size, root, timestamp = verify_checkpoint(body.decode(), ORIGIN, server.public_key)
    assert size == ENTRIES
    leaves, tiles = read_tree(base, size)
    assert [leaf["index"] for leaf in leaves] == list(range(ENTRIES))
    tree = ctverify.MerkleTree(leaf["leaf_hash"] for leaf in leaves)
    assert tree.root() == root
    # Each full tile's root is the hash one level up; the level-2 tile holds the first 65,536 leaves' root.
    for (level, index), hashes in tiles.items():
        if len(hashes) == 32 * 256 and (level + 1, index // 256) in tiles:
            above = tiles[(level + 1, index // 256)]
            assert above[(index % 256) * 32:(index % 256) * 32 + 32] == ctverify.MerkleTree(
                hashes[i:i + 32] for i in range(0, len(hashes), 32)).root(), f"tile {level}/{index}"
    assert tiles[(2, 0)] == ctverify.MerkleTree(leaf["leaf_hash"] for leaf in leaves[:65536]).root()
    # Every SCT names its own entry.
    for der, sct in submitted:
        leaf = leaves[sct.leaf_index]
        assert leaf["timestamp"] == sct.timestamp and leaf["signed_entry"] == ctverify.signed_entry_x509(der)
    return root


def test_a_level_two_tree_agrees_with_its_checkpoint_and_tree_head(big_log):
    server, _, submitted = big_log
    assert len({sct.leaf_index for _, sct in submitted}) == ENTRIES
    root = check_tree(server.url, server, submitted)
    sth = server.sth()
    assert (sth.tree_size, sth.root_hash) == (ENTRIES, root)


def test_nginx_serves_the_mirror_byte_for_byte(big_log):
    server, mirror, submitted = big_log
    binary = nginx_binary()
    if binary is None:
        _missing("nginx is not installed (tools/setup installs it)")
    nginx = Nginx(binary, mirror)
    nginx.start()
    try:
        # The whole tree, read and checked through nginx alone.
        check_tree(nginx.url, server, submitted)
        # Every mirrored file is what the log serves at that path, with the same cache class.
        files = [p for p in mirror.rglob("*") if p.is_file() and ".tmp" not in p.name]
        assert len(files) > 2 * 257
        for path in files:
            relative = "/" + str(path.relative_to(mirror))
            status, headers, body = fetch(nginx.url, relative)
            assert status == 200 and body == path.read_bytes(), relative
            if relative != "/checkpoint":
                served_status, served_headers, served = fetch(server.url, relative)
                assert served_status == 200 and served == body, relative
                assert headers["Cache-Control"] == served_headers["Cache-Control"], relative
        status, headers, _ = fetch(nginx.url, "/checkpoint")
        assert headers["Content-Type"] == "text/plain; charset=utf-8" and headers["Cache-Control"] == "no-cache"

        # Our own client reads the whole log through nginx and verifies every tile against the checkpoint.
        result = subprocess.run([server.vigil, "verify-log", "--monitoring-url", nginx.url + "/",
                                 "--key", str(server.pub_path), "--origin", ORIGIN],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        sth = server.sth()
        assert result.stdout.strip() == f"verified tree_size={ENTRIES} root={sth.root_hash.hex()} entries={ENTRIES}"
    finally:
        nginx.stop()


def test_export_of_the_stopped_log_matches_the_mirror(big_log, tmp_path):
    server, mirror, _ = big_log
    assert server.stop() == 0
    # The mirror's last export ran after the last batch.
    assert int((mirror / "checkpoint").read_text().split("\n")[1]) == ENTRIES
    exported = tmp_path / "export"
    result = server.run([server.vigil_log, "export", "--data", str(server.data_dir), "--to", str(exported)], timeout=600)
    assert result.returncode == 0, result.stderr
    assert f"exported tree size {ENTRIES}" in result.stdout
    exported_files = {str(p.relative_to(exported)): p.read_bytes() for p in exported.rglob("*") if p.is_file()}
    # The checkpoint origin defaults to the one the log ran with.
    verify_checkpoint(exported_files["checkpoint"].decode(), ORIGIN, server.public_key)
    for name, data in exported_files.items():
        assert (mirror / name).read_bytes() == data, name
    # A second export finds nothing new to write but the checkpoint.
    again = server.run([server.vigil_log, "export", "--data", str(server.data_dir), "--to", str(exported)], timeout=600)
    assert again.returncode == 0 and "0 hash tiles, 0 data tiles, 0 issuers" in again.stdout, again.stdout
    check = server.check(key_path=server.pub_path, timeout=600)
    assert check.returncode == 0 and "consistent" in check.stdout, check.stdout + check.stderr
