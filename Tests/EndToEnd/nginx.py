"""nginx (Debian's package) serving a folder on loopback, configured as Specs/log-api.md suggests
for a static-ct-api export."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from logserver import HOST, free_port, wait_until_serving


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


class Nginx:
    def __init__(self, binary: str, root: Path):
        self.binary = binary
        self.tmp = Path(tempfile.mkdtemp(prefix="vigil-nginx-"))
        self.port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""   # workers must read the root-owned test folders
        temp = {name: self.tmp / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        (self.tmp / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {self.tmp}/nginx.pid;
error_log {self.tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    default_type application/octet-stream;
    server {{
        listen {HOST}:{self.port};
        root {root};
        location = /checkpoint {{ default_type "text/plain; charset=utf-8"; add_header Cache-Control "no-cache"; }}
        location ~ \\.p/ {{ add_header Cache-Control "public, max-age=5"; }}
        location /tile/ {{ add_header Cache-Control "public, max-age=31536000, immutable"; }}
        location /issuer/ {{ default_type application/pkix-cert;
                             add_header Cache-Control "public, max-age=31536000, immutable"; }}
    }}
}}
""")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, probe: str = "/checkpoint", timeout: float = 20.0) -> None:
        self.proc = subprocess.Popen([self.binary, "-c", str(self.tmp / "nginx.conf"), "-p", str(self.tmp)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(self.tmp / "stderr.log", "wb"), start_new_session=True)
        wait_until_serving(self.proc, self.url + probe, timeout, self.errors)

    def errors(self) -> str:
        text = ""
        for name in ("stderr.log", "error.log"):
            try:
                text += (self.tmp / name).read_text(errors="replace")
            except OSError:
                pass
        return text[-2000:]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        shutil.rmtree(self.tmp, ignore_errors=True)
