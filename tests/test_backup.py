"""The backup and restore of docs/operations.md: `pg_dump -Fc` of the database,
`pg_restore` into a fresh one, and the copy holds the same check-ins, rollups and
publications, and serves the same dashboard pages and exports (PostgreSQL only)."""

import datetime
import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from questionnaire import rollups
from stats import retention

from . import retention_data as data
from .live_postgresql import _pg_bin

pytestmark = pytest.mark.postgresql


def _rows():
    """Return every row a backup must bring back, in a stable order."""
    from questionnaire.models import CheckIn, CheckInItem, RetiredMonth, Site

    return {
        **data.tables(),
        "sites": sorted(Site.objects.values_list("pk", "slug", "name", "contact", "is_active")),
        "checkins": {row[CheckIn._meta.pk.attname]: row for row in CheckIn.objects.values()},
        "items": sorted(CheckInItem.objects.values_list("checkin_id", "item_id")),
        "retired": sorted(RetiredMonth.objects.values_list("site_key", "month", "checkins", "retired_on")),
    }


def _tool(name: str, *args: str, env: dict) -> None:
    """Run pg_dump or pg_restore of the server's major version (Debian keeps each
    version's tools in /usr/lib/postgresql/N/bin), else the one on PATH, else the
    one beside the server binaries the throw-away cluster uses."""
    versioned = Path(f"/usr/lib/postgresql/{connection.pg_version // 10000}/bin") / name
    on_path = shutil.which(name)
    program = versioned if versioned.exists() else Path(on_path) if on_path else _pg_bin() / name
    subprocess.run([str(program), *args], check=True, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only
def test_a_pg_dump_restored_into_a_fresh_database_serves_the_same_numbers(tmp_path):
    site = data.build()
    now = timezone.make_aware(datetime.datetime(2026, 8, 10, 12, 0))
    retention.retention_run(today=data.TODAY, now=now, policy=retention.Policy(24, 30, 730), threshold=11,
                            dry_run=False)  # a backup taken after retention brings its record back too
    before_rows, before_pages = _rows(), data.pages(site)
    assert len(before_rows["checkins"]) == 98 and before_rows["retired"] and before_rows["publications"]

    db = connection.settings_dict
    source = db["NAME"]
    copy = f"{source}_restored"
    env = {**os.environ, "PGHOST": db["HOST"] or "", "PGPORT": str(db["PORT"] or 5432), "PGUSER": db["USER"] or "",
           "PGPASSWORD": db["PASSWORD"] or ""}
    dump = tmp_path / "checkin.dump"

    def admin(sql: str) -> None:
        with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    started = time.perf_counter()
    _tool("pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source, env=env)
    dumped = time.perf_counter()
    admin(f'DROP DATABASE IF EXISTS "{copy}"')
    admin(f'CREATE DATABASE "{copy}"')
    try:
        _tool("pg_restore", "--no-owner", "--exit-on-error", "--dbname", copy, str(dump), env=env)
        restored = time.perf_counter()
        print(f"\npg_dump {dumped - started:.2f} s, pg_restore {restored - dumped:.2f} s, "
              f"{dump.stat().st_size} bytes for {len(before_rows['checkins'])} check-ins")
        connection.close()
        db["NAME"] = copy  # the app now reads the restored copy
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_database()")
                assert cursor.fetchone() == (copy,)
            assert _rows() == before_rows
            assert rollups.recompute(apply=False) == []
            after_pages = data.pages(site)
        finally:
            connection.close()
            db["NAME"] = source
        assert after_pages == before_pages
    finally:
        admin(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
