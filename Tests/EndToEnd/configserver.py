"""Running the real `vigil-log serve --config FILE` with several logs on one loopback port."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from logserver import HOST, free_port, wait_until_serving, write_private_key


class ConfigServer:
    """A config file naming several logs (each with its own key) served by one process."""

    def __init__(self, bin_dir: Path, roots_pem: bytes, logs: dict[str, dict], operator: dict | None = None):
        self.bin_dir = Path(bin_dir)
        self.tmp = Path(tempfile.mkdtemp(prefix="vigil-e2e-config-"))
        (self.tmp / "roots.pem").write_bytes(roots_pem)
        self.port = free_port()
        self.keys: dict[str, ec.EllipticCurvePrivateKey] = {}
        lines = [f"listen: {HOST}:{self.port}", "log_level: info"]
        if operator:
            lines += ["operator:", f"  name: {operator['name']}", f"  email: [{', '.join(operator['email'])}]"]
        lines.append("logs:")
        for name, fields in logs.items():
            key = ec.generate_private_key(ec.SECP256R1())
            self.keys[name] = key
            write_private_key(self.tmp / f"{name}.pem", key)
            lines += [f"  - name: {name}", f"    data: data/{name}", f"    key: {name}.pem", "    roots: roots.pem"]
            lines += [f"    {field}: {value}" for field, value in fields.items()]
        self.config_path = self.tmp / "vigil.yaml"
        self.config_path.write_text("\n".join(lines) + "\n")
        self.stderr_path = self.tmp / "server.log"
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def public_key(self, name: str):
        return self.keys[name].public_key()

    def public_key_path(self, name: str) -> Path:
        path = self.tmp / f"{name}-public.pem"
        path.write_bytes(self.public_key(name).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        return path

    def start(self, probe: str, timeout: float = 30.0) -> None:
        with open(self.stderr_path, "ab") as log:
            self.proc = subprocess.Popen([str(self.bin_dir / "vigil-log"), "serve", "--config", str(self.config_path)],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        wait_until_serving(self.proc, self.base + probe, timeout, self.log_tail)

    def stop(self, timeout: float = 30.0) -> int:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout)
        return self.proc.returncode if self.proc else 0

    def cleanup(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
