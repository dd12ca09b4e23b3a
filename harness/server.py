"""The one gunicorn launcher of the tests and benchmarks.

``Gunicorn`` starts the master we own (``--pid`` in a folder of its own, no control
socket), waits until ``ready`` answers (any status below 500: behind the TLS
proxy's settings a plain request is redirected) and stops that
master with SIGTERM (it stops its workers). Its log and pid file live in a
temporary folder made for it and removed when it stops.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .client import HOST, Browser

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn serving ``app`` with ``env`` on ``port`` (a free one by default).

    ``config``: a gunicorn configuration file (default the production
    ``gunicorn.conf.py``), or ``settings``: the text of one, written to this
    server's folder; ``options``: more command-line options, after it.
    """

    def __init__(self, *, env: dict, app: str = "project.wsgi:application", port: int | None = None,
                 config: str | Path | None = None, settings: str | None = None, options: list[str] = (),
                 ready: str = "/healthz", name: str = "gunicorn"):
        self.env, self.app, self.name, self.ready = env, app, name, ready
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix=f"{name}-"))
        self.config = Path(config) if config else ROOT / "gunicorn.conf.py"
        if settings is not None:
            self.config = self.dir / "gunicorn_settings.py"
            self.config.write_text(settings)
        self.options = list(options)
        self.log = self.dir / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Gunicorn:
        command = [GUNICORN, "-c", str(self.config), "--bind", f"{HOST}:{self.port}", "--pid",
                   str(self.dir / "pid"), "--no-control-socket", *self.options, self.app]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.name}) stopped at start: {self.log.read_text()[-2000:]}")
            try:
                if Browser(self.port).get(self.ready).status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn ({self.name}) did not answer on port {self.port}: "
                           f"{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop the master (it stops its workers); a server may be started again."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def remove(self) -> None:
        """Stop and remove the log and pid folder."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
