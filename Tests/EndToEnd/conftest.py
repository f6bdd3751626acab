"""Shared fixtures: locating the vectors and the release binaries, a test PKI,
and running log servers.

Environment:
  CI=true          missing vectors or binaries fail the run instead of skipping
  VIGIL_VECTORS    vectors folder (default <repo root>/../shared/vectors)
  VIGIL_BIN_DIR    folder holding vigil-log and vigil (default <repo root>/.build/release)
  VIGIL_KEEP_TMP=1 keep server data directories for inspection
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import logserver  # noqa: E402
import testca  # noqa: E402

REPO_ROOT = HERE.parents[1]
_notices: list[str] = []


def under_ci() -> bool:
    return os.environ.get("CI") == "true"


def vectors_path() -> Path:
    override = os.environ.get("VIGIL_VECTORS")
    return Path(override) if override else REPO_ROOT.parent / "shared" / "vectors"


def bin_dir_path() -> Path:
    override = os.environ.get("VIGIL_BIN_DIR")
    return Path(override) if override else REPO_ROOT / ".build" / "release"


def _missing(what: str) -> None:
    if under_ci():
        pytest.fail(f"{what} (required under CI=true)", pytrace=False)
    notice = f"notice: {what}; skipping"
    if notice not in _notices:
        _notices.append(notice)
        print(notice, file=sys.stderr)
    pytest.skip(what)


@pytest.fixture(scope="session")
def vectors() -> Path:
    path = vectors_path()
    if not path.is_dir():
        _missing(f"test vectors missing at {path}")
    return path


@pytest.fixture(scope="session")
def bin_dir() -> Path:
    path = bin_dir_path()
    for name in ("vigil-log", "vigil"):
        exe = path / name
        if not (exe.is_file() and os.access(exe, os.X_OK)):
            _missing(f"release binary {exe} not found (build with `swift build -c release` "
                     f"or set VIGIL_BIN_DIR)")
    return path


@pytest.fixture(scope="session")
def pki() -> testca.TestPKI:
    return testca.TestPKI("Root")


@pytest.fixture(scope="session")
def other_pki() -> testca.TestPKI:
    """A second, unrelated PKI; its root is listed in the log's roots file too."""
    return testca.TestPKI("Other")


@pytest.fixture(scope="session")
def stranger_pki() -> testca.TestPKI:
    """A PKI the log does not trust."""
    return testca.TestPKI("Stranger")


@pytest.fixture
def make_server(bin_dir, pki, other_pki):
    """Factory for log servers; every server started is stopped and cleaned up."""
    servers: list[logserver.LogServer] = []

    def factory(**kwargs) -> logserver.LogServer:
        kwargs.setdefault("roots", [pki.root.cert, other_pki.root.cert])
        server = logserver.LogServer(bin_dir, **kwargs)
        servers.append(server)
        server.start()
        return server

    yield factory
    for server in servers:
        server.cleanup()


def pytest_terminal_summary(terminalreporter):
    for notice in _notices:
        terminalreporter.write_line(notice)
