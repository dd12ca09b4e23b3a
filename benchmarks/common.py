"""What every benchmark shares: how figures are printed, parsed and summed, and the
scratch database each run makes for itself."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        factor = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        digits = part[:-1] if part[-1:] in "km" else part
        try:
            out.append(int(float(digits) * factor))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r} is not a size like 10k, 100k or 1m") from None
    if not out or min(out) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return out


def numbers(text: str) -> list[int]:
    try:
        out = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of numbers like 4,8,16") from None
    if not out or min(out) < 1:
        raise argparse.ArgumentTypeError("numbers must be positive")
    return out


def human(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return f"{n:,}"


def say(text: str = "") -> None:
    print(text, flush=True)


def percentile(values, p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)



@contextmanager
def scratch_database(*, postgresql: bool = False, keep: bool = False):
    """Point DATABASE_URL at a database of this run's own, removed at the end; yield its URL.

    SQLite: a file in a temporary folder of its own. PostgreSQL (``postgresql``, or
    when ``BENCH_DATABASE_URL`` names a server): a database named ``bench_<pid>``
    on that server (default: the local one), made fresh and dropped. A
    ``BENCH_DATABASE_URL`` that names its own database keeps that name, which must
    start with "bench" (the run drops it). ``keep``: leave the PostgreSQL database
    (its name is printed) for a look afterwards.
    """
    from harness.postgres import create_database, drop_database

    given = os.environ.get("BENCH_DATABASE_URL", "")
    if postgresql or given:
        url = given or BENCH_POSTGRES
        if not url.startswith(("postgres://", "postgresql://")):
            sys.exit("BENCH_DATABASE_URL must be a postgres:// URL.")
        base, _, name = url.rpartition("/")
        if name in ("", "postgres"):
            name = f"bench_{os.getpid()}"
        if not re.fullmatch(r"bench[a-z0-9_]*", name):
            sys.exit(f"Refusing to use database {name!r}: a benchmark's own database name must start with 'bench'.")
        url = f"{base}/{name}"
        create_database(url)
        os.environ["DATABASE_URL"] = url
        try:
            yield url
        finally:
            from django.db import connections

            connections.close_all()
            if keep:
                print(f"==> Kept the database {name} (--keep); drop it when done.", flush=True)
            else:
                drop_database(url)
        return
    folder = tempfile.mkdtemp(prefix="bench-")
    url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    try:
        yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def setup_django(settings: str = "project.settings") -> None:
    """Load Django for an in-process benchmark: DEBUG on (no secret key to set) unless
    the environment says otherwise, never a real deployment's database by accident
    (``scratch_database`` sets DATABASE_URL first)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def served(name: str, port: int, env: dict, args, *, app: str = "project.wsgi:application", ready: str = "/healthz"):
    """Return (not started) gunicorn with the production ``gunicorn.conf.py``, overridden
    by ``args.workers``, ``args.worker_class`` and ``args.threads`` where given."""
    from harness.server import Gunicorn

    options = []
    for flag, value in (("--workers", args.workers), ("--worker-class", args.worker_class),
                        ("--threads", args.threads)):
        if value:
            options += [flag, str(value)]
    return Gunicorn(env=env, app=app, port=port, options=options, ready=ready, name=name)
