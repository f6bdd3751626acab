"""Several temporal shards in one `vigil-log serve --config` process: each certificate is accepted
by exactly the shard whose notAfter window holds it, a shard past its limit plus grace is read-only,
each shard describes itself at log.v3.json, and `vigil loglist` merges those into one list."""

import base64
import datetime as dt
import hashlib
import json
import subprocess
import urllib.error
import urllib.request

import pytest

import ctverify
import testca
from configserver import ConfigServer
from logserver import CTClient

UTC = dt.timezone.utc
NOW = dt.datetime.now(UTC).replace(microsecond=0)


def rfc3339(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# Windows around today: A holds today, B the months after, C ended a month ago (read-only an hour
# after its limit).
BOUNDS = {
    "a": (NOW - dt.timedelta(days=30), NOW + dt.timedelta(days=60)),
    "b": (NOW + dt.timedelta(days=60), NOW + dt.timedelta(days=400)),
    "c": (NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=30)),
}
WINDOWS = {name: (rfc3339(start), rfc3339(limit)) for name, (start, limit) in BOUNDS.items()}


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def shards(bin_dir, pki):
    logs = {}
    for name, (start, limit) in WINDOWS.items():
        logs[name] = {"not_after_start": start, "not_after_limit": limit, "read_only_grace": "1h",
                      "sequence_interval": "50ms", "description": f"Shard {name.upper()}"}
    logs["b"]["log_list_api"] = "static-ct"
    logs["b"]["monitoring_url"] = "https://static.vigil.test/b/"
    server = ConfigServer(bin_dir, testca.pem([pki.root.cert]), logs, operator={"name": "Vigil E2E", "email": ["ct@vigil.test"]})
    server.start("/a/ct/v1/get-sth")
    yield server
    server.cleanup()


def test_each_certificate_lands_in_the_shard_whose_window_holds_it(shards, pki):
    early = pki.leaf(not_after=NOW + dt.timedelta(days=20))
    late = pki.leaf(not_after=NOW + dt.timedelta(days=100))
    for item, home, other in ((early, "a", "b"), (late, "b", "a")):
        accepted = CTClient(f"{shards.base}/{home}").add_chain(item.ders(include_root=False), timeout=30)
        assert accepted.status == 200, accepted.describe()
        sct = ctverify.SCT.from_json(accepted.json)
        assert sct.log_id == ctverify.log_id(shards.public_key(home))
        ctverify.verify_sct(sct, shards.public_key(home), ctverify.ENTRY_TYPE_X509, ctverify.signed_entry_x509(item.der))
        refused = CTClient(f"{shards.base}/{other}").add_chain(item.ders(include_root=False), timeout=30)
        assert refused.status == 400 and refused.json["error"] == "rejected", refused.describe()

    for name, size in (("a", 1), ("b", 1), ("c", 0)):
        response = CTClient(f"{shards.base}/{name}").get_sth()
        sth = ctverify.STH.from_json(response.json)
        ctverify.verify_sth(sth, shards.public_key(name))
        assert sth.tree_size == size

    # The shard whose window ended before today plus its hour of grace refuses everything, and reads on.
    # (read-only comes first: even a certificate of another window gets 403, not 400)
    refused = CTClient(f"{shards.base}/c").add_chain(pki.leaf().ders(include_root=False))
    assert refused.status == 403, refused.describe()
    read_only_at = rfc3339(BOUNDS["c"][1] + dt.timedelta(hours=1))
    assert refused.json["error"] == "readOnly" and read_only_at in refused.json["message"], refused.describe()
    assert get(f"{shards.base}/c/checkpoint")[0] == 200
    assert get(f"{shards.base}/c/ct/v1/get-roots")[0] == 200

    # One /metrics for all, labelled per log.
    status, metrics = get(f"{shards.base}/metrics")
    assert status == 200
    text = metrics.decode()
    for name in "abc":
        assert f'log="{name}"' in text


def test_loglist_merges_every_shards_own_entry(shards, bin_dir, tmp_path):
    entries = {}
    for name in "abc":
        status, body = get(f"{shards.base}/{name}/log.v3.json")
        assert status == 200
        entries[name] = json.loads(body)
        assert entries[name]["operators"][0]["name"] == "Vigil E2E"

    out = tmp_path / "log_list.json"
    result = subprocess.run([str(bin_dir / "vigil"), "loglist", "--out", str(out)]
                            + [arg for name in "abc" for arg in ("--log", f"{shards.base}/{name}")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    merged = json.loads(out.read_text())
    assert set(merged) == {"version", "log_list_timestamp", "operators"}
    dt.datetime.strptime(merged["log_list_timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    (operator,) = merged["operators"]
    assert operator["name"] == "Vigil E2E" and operator["email"] == ["ct@vigil.test"]
    listed = {log["description"]: log for log in operator["logs"]}
    tiled = {log["description"]: log for log in operator["tiled_logs"]}
    assert set(listed) == {"Shard A", "Shard C"} and set(tiled) == {"Shard B"}
    for name, log in (("a", listed["Shard A"]), ("c", listed["Shard C"]), ("b", tiled["Shard B"])):
        spki = ctverify.spki_der(shards.public_key(name))
        assert base64.b64decode(log["key"]) == spki
        assert base64.b64decode(log["log_id"]) == hashlib.sha256(spki).digest()
        start, limit = WINDOWS[name]
        assert log["temporal_interval"] == {"start_inclusive": start, "end_exclusive": limit}
        assert log["mmd"] == 86400
    assert listed["Shard A"]["url"] == f"{shards.base}/a/"
    assert tiled["Shard B"]["submission_url"] == f"{shards.base}/b/"
    assert tiled["Shard B"]["monitoring_url"] == "https://static.vigil.test/b/"
    assert "url" not in tiled["Shard B"]

    # A log that does not answer makes the whole command fail rather than leave a log out.
    result = subprocess.run([str(bin_dir / "vigil"), "loglist", "--log", f"{shards.base}/a", "--log", f"{shards.base}/nope"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "404" in result.stderr


def test_a_bad_config_names_the_field(bin_dir, pki, tmp_path):
    server = ConfigServer(bin_dir, testca.pem([pki.root.cert]), {"a": {"pool_sise": 10}})
    try:
        result = subprocess.run([str(bin_dir / "vigil-log"), "serve", "--config", str(server.config_path)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode != 0
        assert 'unknown field "pool_sise"' in result.stderr
    finally:
        server.cleanup()
