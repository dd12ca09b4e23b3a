"""Make and drop a throw-away PostgreSQL database named by a URL (benchmarks and tests)."""

from __future__ import annotations

import urllib.parse


def _admin(url: str):
    import psycopg

    parsed = urllib.parse.urlparse(url)
    return psycopg.connect(host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432,
                           user=parsed.username or "postgres", password=parsed.password, dbname="postgres",
                           autocommit=True, connect_timeout=10)


def name_of(url: str) -> str:
    return urllib.parse.urlparse(url).path.lstrip("/")


def create_database(url: str) -> None:
    """Make the URL's database afresh (dropped first if it is there)."""
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name_of(url)}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name_of(url)}"')


def drop_database(url: str) -> None:
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name_of(url)}" WITH (FORCE)')


def backends(url: str) -> list[int]:
    """Return the process ids of the PostgreSQL server processes serving the URL's database."""
    with _admin(url) as conn:
        return [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name_of(url)])]
