"""A throw-away PostgreSQL cluster and a gunicorn serving the app on it, for the
fault, concurrency and linkage tests (marker ``postgresql``).

The cluster is our own (``initdb`` into a temporary directory, another port), so
tests may stop and restart it; the machine's shared server is never touched.
gunicorn runs as in production (threads, persistent connections with health
checks, the address-free logging of project/gunicorn_logging.py) with the test
settings, through the launcher and client the benchmarks use too (``harness``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

from harness.client import Browser
from harness.server import Gunicorn, free_port

ROOT = Path(__file__).resolve().parent.parent


def _pg_bin() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("No PostgreSQL server binaries (initdb, pg_ctl) found: install postgresql.")
    return versions[-1]


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


def serve(cluster: Cluster, *, workers: int = 2, threads: int = 8) -> Gunicorn:
    """Migrate the cluster's database and start gunicorn (gthread) on it, as production
    serves (address-free logging, no access log), with the test settings."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings_test", "DATABASE_URL": cluster.url,
           "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    server = Gunicorn(env=env, settings="from project.gunicorn_logging import logconfig_dict  # noqa: F401\n"
                      "accesslog = None\n", options=[
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        "--timeout", "60", "--graceful-timeout", "5"], ready="/about/", name="h-gunicorn")
    return server.start()


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
