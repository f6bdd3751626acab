"""The static-ct-api read path of the real binary (checkpoint, hash and data tiles, issuers),
checked with the independent verifier: the checkpoint signature, every leaf hash recomputed
from the data tiles, the root recomputed from those, and every SCT's leaf_index."""

import concurrent.futures
import hashlib
import urllib.error
import urllib.request

import ctverify

ORIGIN = "vigil.e2e.test/static"
ENTRIES = 300  # past one tile boundary: level 0 tiles 0 (full) and 1 (partial), a level 1 tile


def fetch(server, path: str):
    """GET `path` below the server's root: (status, headers, body)."""
    try:
        with urllib.request.urlopen(server.url + path, timeout=15) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def verify_checkpoint(text: str, origin: str, public_key) -> tuple[int, bytes, int]:
    """Checks a static-ct-api checkpoint independently; returns (size, root, timestamp)."""
    body, _, signatures = text.rpartition("\n\n")
    lines = body.split("\n")
    assert len(lines) == 3, f"checkpoint body has {len(lines)} lines: {body!r}"
    assert lines[0] == origin
    size, root = int(lines[1]), ctverify.unb64(lines[2])
    key_id = hashlib.sha256(origin.encode() + b"\n\x05" + ctverify.log_id(public_key)).digest()[:4]
    for line in signatures.splitlines():
        dash, name, signature = line.split(" ")
        raw = ctverify.unb64(signature)
        if dash != "\u2014" or name != origin or raw[:4] != key_id:
            continue
        timestamp = int.from_bytes(raw[4:12], "big")
        signed = ctverify.DigitallySigned.parse(raw[12:])
        ctverify.verify_digitally_signed(public_key, signed, ctverify.sth_signature_input(size, timestamp, root))
        return size, root, timestamp
    raise AssertionError(f"no signature line of {origin} with key ID {key_id.hex()}")


def parse_tile_leaves(data: bytes) -> list[dict]:
    """Parses a data tile (static-ct-api TileLeaf entries) with the verifier's TLS reader."""
    reader = ctverify.TLSReader(data)
    leaves = []
    while reader.remaining():
        timestamp = reader.uint(8)
        entry_type = reader.uint(2)
        if entry_type == 0:
            signed_entry = ctverify.tls_opaque(reader.opaque(3, 1), 3)
        else:
            issuer_key_hash = reader.read(32)
            signed_entry = issuer_key_hash + ctverify.tls_opaque(reader.opaque(3, 1), 3)
        extensions = reader.opaque(2)
        pre_certificate = reader.opaque(3, 1) if entry_type == 1 else None
        fingerprints_blob = reader.opaque(2)
        assert len(fingerprints_blob) % 32 == 0
        leaf_input = ctverify.build_leaf_input(timestamp, entry_type, signed_entry, extensions)
        leaves.append({
            "timestamp": timestamp, "entry_type": entry_type, "signed_entry": signed_entry,
            "index": ctverify.parse_leaf_index(extensions), "pre_certificate": pre_certificate,
            "fingerprints": [fingerprints_blob[i:i + 32] for i in range(0, len(fingerprints_blob), 32)],
            "leaf_hash": ctverify.leaf_hash(leaf_input),
        })
    return leaves


def test_static_read_path_matches_the_rfc6962_tree(make_server, pki):
    server = make_server(extra_args=["--submission-url", f"https://{ORIGIN}/"])
    issued = [pki.leaf() for _ in range(ENTRIES)]

    def submit(item):
        response = server.client.add_chain(item.ders(include_root=False), timeout=60)
        assert response.status == 200, response.describe()
        return item, ctverify.SCT.from_json(response.json)

    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        submitted = list(pool.map(submit, issued))

    status, headers, body = fetch(server, "/checkpoint")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    size, root, timestamp = verify_checkpoint(body.decode(), ORIGIN, server.public_key)
    sth = server.sth()
    assert (size, root, timestamp) == (sth.tree_size, sth.root_hash, sth.timestamp)
    assert size == ENTRIES

    # Every data tile entry hashes to its level-0 hash; the leaves hash to the checkpoint root.
    leaves = []
    for tile, width in ((0, 256), (1, ENTRIES - 256)):
        suffix = "" if width == 256 else f".p/{width}"
        status, data_headers, data = fetch(server, f"/tile/data/00{tile}{suffix}")
        assert status == 200
        assert data_headers["Cache-Control"] == ("public, max-age=31536000, immutable" if width == 256 else "public, max-age=5")
        status, _, hashes = fetch(server, f"/tile/0/00{tile}{suffix}")
        assert status == 200 and len(hashes) == 32 * width
        tile_leaves = parse_tile_leaves(data)
        assert [leaf["leaf_hash"] for leaf in tile_leaves] == [hashes[i:i + 32] for i in range(0, len(hashes), 32)]
        leaves += tile_leaves
    assert [leaf["index"] for leaf in leaves] == list(range(ENTRIES))
    tree = ctverify.MerkleTree(leaf["leaf_hash"] for leaf in leaves)
    assert tree.root() == root
    status, _, level1 = fetch(server, "/tile/1/000.p/1")
    assert status == 200 and level1 == ctverify.MerkleTree(leaf["leaf_hash"] for leaf in leaves[:256]).root()

    # Every SCT's leaf_index names its own entry.
    for item, sct in submitted:
        leaf = leaves[sct.leaf_index]
        assert leaf["timestamp"] == sct.timestamp
        assert leaf["signed_entry"] == ctverify.signed_entry_x509(item.der)

    # Every fingerprint is served as an issuer whose hash it is.
    for fingerprint in {fp for leaf in leaves for fp in leaf["fingerprints"]}:
        status, issuer_headers, der = fetch(server, f"/issuer/{fingerprint.hex()}")
        assert status == 200 and issuer_headers["Content-Type"] == "application/pkix-cert"
        assert hashlib.sha256(der).digest() == fingerprint

    # Tiles the tree does not hold yet are not served.
    assert fetch(server, f"/tile/0/001.p/{ENTRIES - 255}")[0] == 404
    assert fetch(server, "/tile/0/001")[0] == 404
    assert fetch(server, "/tile/0/1")[0] == 400
