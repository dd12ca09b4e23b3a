"""A throw-away PostgreSQL cluster and a gunicorn serving the app on it, for the
fault, concurrency and linkage tests (marker ``postgresql``).

The cluster is our own (``initdb`` into a temporary directory, another port), so
tests may stop and restart it; the machine's shared server is never touched.
gunicorn runs as in production (threads, persistent connections with health
checks, the address-free logging of project/gunicorn_logging.py) with the test
settings. ``Browser`` is a small cookie- and CSRF-aware HTTP client.
"""

from __future__ import annotations

import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def _pg_bin() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("No PostgreSQL server binaries (initdb, pg_ctl) found: install postgresql.")
    return versions[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temporary directory, on a port of its own."""

    def __init__(self):
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="h-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # the server refuses to run as root
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> Cluster:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n"
            )
        self.start()
        with self.connect("postgres") as conn:
            conn.autocommit = True
            conn.execute("CREATE DATABASE app")
        return self

    def start(self):
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def restart(self):
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-m", "fast", "-w", "-t", "60",
                  "restart")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/app"

    def connect(self, dbname: str = "app") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=5)

    def destroy(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """gunicorn (gthread) serving the project on a cluster, as production does."""

    def __init__(self, cluster: Cluster, *, workers: int = 2, threads: int = 8):
        self.cluster = cluster
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="h-gunicorn-"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "project.settings_test",
            "DATABASE_URL": cluster.url,
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
        (self.dir / "gunicorn_test.conf.py").write_text(
            "from project.gunicorn_logging import logconfig_dict  # noqa: F401\n"
            "accesslog = None\n"
        )
        self.workers, self.threads = workers, threads
        self.process: subprocess.Popen | None = None
        self.log = self.dir / "gunicorn.log"

    def migrate(self) -> Server:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=self.env,
                       check=True, capture_output=True, timeout=300)
        return self

    def start(self) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn), "project.wsgi", "-c", str(self.dir / "gunicorn_test.conf.py"),
            "-b", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--threads", str(self.threads),
            "--worker-class", "gthread", "--no-control-socket", "--pid", str(self.dir / "pid"),
            "--timeout", "60", "--graceful-timeout", "5",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=open(self.log, "ab"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Browser(self).get("/about/").status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer: {self.log.read_text()[-2000:]}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Response:
    status: int
    headers: dict
    html: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Browser:
    """One person's browser: keeps cookies and the last form's CSRF token."""

    server: Server
    cookies: dict = field(default_factory=dict)
    csrf: str | None = None

    def request(self, method: str, path: str, data: dict | list | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            pairs = list(data.items()) if isinstance(data, dict) else list(data or [])
            if self.csrf and not any(k == "csrfmiddlewaretoken" for k, _ in pairs):
                pairs.append(("csrfmiddlewaretoken", self.csrf))
            body = urlencode(pairs, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body, headers)
            raw = conn.getresponse()
            html = raw.read().decode("utf-8", "replace")
            response_headers = {k.lower(): v for k, v in raw.getheaders()}
            for line in raw.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(line).items():
                    if morsel.value == "" or morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        finally:
            conn.close()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if token:
            self.csrf = token.group(1)
        return Response(raw.status, response_headers, html)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict | list | None = None) -> Response:
        return self.request("POST", path, data)

    @property
    def session_key(self) -> str | None:
        return self.cookies.get("sessionid")


def truncate_app_tables(cluster: Cluster):
    with cluster.connect() as conn:
        conn.execute(
            "TRUNCATE questionnaire_checkinitem, questionnaire_checkin, questionnaire_rollup, django_session"
        )


def answers_for(number: int, rng) -> dict:
    """Return full answers (per step) that differ between people by their PEG triple."""
    from .conftest import FULL_ANSWERS

    steps = {slug: dict(data) for slug, data in FULL_ANSWERS.items()}
    steps["past-week"] = {"peg_pain": str(number % 11), "peg_enjoyment": str((number // 11) % 11),
                          "peg_activity": str(rng.randrange(11))}
    steps["pain"]["pain_frequency"] = rng.choice(["some_days", "most_days", "every_day"])
    return steps


def answer_steps(browser: Browser, steps: dict) -> None:
    """Start a check-in and answer every step, as a person would (GET the form, then POST it)."""
    landing = browser.get("/")
    assert landing.status == 200, landing.html[:300]
    started = browser.post("/")
    assert started.status == 302, started.html[:300]
    for slug, data in steps.items():
        assert browser.get(f"/checkin/{slug}/").status == 200
        saved = browser.post(f"/checkin/{slug}/", data)
        assert saved.status == 302, (slug, saved.status, saved.html[:500])


def peg_triple(steps: dict) -> tuple[int, int, int]:
    week = steps["past-week"]
    return int(week["peg_pain"]), int(week["peg_enjoyment"]), int(week["peg_activity"])
