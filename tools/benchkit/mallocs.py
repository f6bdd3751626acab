"""Counts a process's calls to glibc's malloc with a uprobe, for `tools/bench --compare --mallocs`.

A count of allocations is the one figure of a run that the VM's drift does not move: the same
binary on the same requests makes the same calls, while its CPU a request moves by a sixth
within minutes. The probe (`perf probe -x <libc> malloc`, event `probe_libc:malloc`) traps
into the kernel on every call, which slows the server by a third or more, so a counted run
is never also a timed one. It needs perf with uprobes and the right to add a probe (root).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time

EVENT = "probe_libc:malloc"


class MallocError(Exception):
    pass


def libc_of(pid: int) -> str:
    """The glibc file mapped into process `pid`: the one the probe must be placed in."""
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if re.search(r"/libc(\.so\.6|-[\d.]+\.so)$", path):
                return path
    raise MallocError(f"process {pid} maps no glibc")


def ensure_probe(pid: int) -> None:
    """Adds the malloc uprobe to the glibc of `pid` unless perf already lists it."""
    try:
        listed = subprocess.run(["perf", "probe", "-l"], capture_output=True, text=True)
    except FileNotFoundError:
        raise MallocError("--mallocs needs perf (Debian's linux-perf)") from None
    if EVENT in listed.stdout:
        return
    added = subprocess.run(["perf", "probe", "-q", "-x", libc_of(pid), "--add", "malloc"], capture_output=True, text=True)
    if added.returncode != 0:
        raise MallocError(f"--mallocs could not add a uprobe on malloc (root and uprobes are needed): "
                          f"{added.stderr.strip()[-300:]}")


class MallocCounter:
    """Counts the mallocs of every thread of `pid` (and of threads they start) while open."""

    def __init__(self, pid: int):
        ensure_probe(pid)
        self.pid = pid
        self.count: int | None = None

    def __enter__(self) -> MallocCounter:
        self.output = tempfile.mktemp(prefix="vigil-mallocs-")
        self.perf = subprocess.Popen(["perf", "stat", "-e", EVENT, "-x", ",", "-o", self.output, "-p", str(self.pid)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(0.5)   # perf attaches to every thread before the load starts
        if self.perf.poll() is not None:
            raise MallocError(f"perf stat exited: {self.perf.stderr.read().decode(errors='replace')[-300:]}")
        return self

    def __exit__(self, *exc) -> None:
        self.perf.send_signal(signal.SIGINT)
        self.perf.wait(timeout=30)
        try:
            with open(self.output) as f:
                lines = [l for l in f if EVENT in l]
        finally:
            if os.path.exists(self.output):
                os.unlink(self.output)
        if not lines or not lines[0].split(",")[0].strip().isdigit():
            raise MallocError(f"perf stat counted nothing: {lines}")
        self.count = int(lines[0].split(",")[0])
