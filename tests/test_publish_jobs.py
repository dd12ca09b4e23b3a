"""Publishing across processes: two ``manage.py publish`` runs at once, or one with
--jobs 2, publish exactly what one process publishes, each publication once; a site
is claimed by one transaction at a time; a failure mid-site leaves none of its new
publications (PostgreSQL); SQLite refuses --jobs above 1."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from questionnaire.models import Site
from stats import periods, publishing
from stats.models import Publication

from .test_aggregates import rollups_for

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 7, 15)  # January to June complete: six months, two quarters
# Check-ins per month of each site (one too small to publish, so its quarter is the hard case).
SITES = [{1: 24, 2: 15, 3: 31, 4: 18, 5: 40, 6: 27}, {1: 30, 2: 5, 3: 22, 4: 12, 5: 14, 6: 33},
         {1: 12, 2: 19, 3: 25, 4: 41, 5: 9, 6: 16}, {1: 18, 2: 22, 3: 11, 4: 26, 5: 30, 6: 20}]
TIMING = ("seconds", "cpu_seconds")
PER_SITE = 10  # six months, two quarters and their rolling windows
PUBLICATIONS = (len(SITES) + 1) * PER_SITE  # each site and "no community" (zeros)


def seed():
    for n, sizes in enumerate(SITES):
        rollups_for(Site.objects.create(slug=f"site{n}", name=f"Site {n}"), sizes, seed=n + 3)


def published() -> dict:
    """Every publication's data but its timings, by (site, period, threshold)."""
    return {(p.site_key, p.period, p.threshold): ({k: v for k, v in p.data.items() if k not in TIMING},
                                                  p.published_on)
            for p in Publication.objects.all()}


def command(*args: str) -> list[str]:
    return [sys.executable, "manage.py", "publish", "--today", TODAY.isoformat(), *args]


def environment() -> dict:
    """The test database, for ``manage.py`` in another process."""
    db = connection.settings_dict
    url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
           f"/{db['NAME']}")
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings_test", "DATABASE_URL": url,
            "PYTHONPATH": str(ROOT)}


def made_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("published site")]


@pytest.mark.postgresql
def test_two_publish_processes_at_once_and_jobs_2_publish_what_one_process_does(transactional_db):
    seed()
    env = environment()
    one = subprocess.run(command(), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert one.returncode == 0, one.stderr
    reference = published()
    assert len(reference) == PUBLICATIONS
    assert sorted(made_lines(one.stdout)) == sorted(f"published site {s or 'none'} {p}" for s, p, _ in reference)

    Publication.objects.all().delete()
    both = [subprocess.Popen(command(), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [process.communicate(timeout=600) for process in both]
    assert [process.returncode for process in both] == [0, 0], [err for _, err in outputs]
    assert published() == reference
    # Each publication was made by exactly one of them (a site is claimed by one at a time).
    lines = made_lines(outputs[0][0]) + made_lines(outputs[1][0])
    assert sorted(lines) == sorted(made_lines(one.stdout))

    Publication.objects.all().delete()
    jobs = subprocess.run(command("--jobs", "2"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert jobs.returncode == 0, jobs.stderr
    assert published() == reference
    assert sorted(made_lines(jobs.stdout)) == sorted(made_lines(one.stdout))

    again = subprocess.run(command("--jobs", "2"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert made_lines(again.stdout) == [] and "0 new publications" in again.stdout
    assert published() == reference


@pytest.mark.postgresql
def test_a_site_is_claimed_by_one_transaction_at_a_time(transactional_db):
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with transaction.atomic():
            assert publishing.claim(7)
            assert not publishing.claim(7, other)  # held by the first transaction
            assert publishing.claim(8, other)  # another site is free
            other.rollback()  # ends the second transaction: site 8 is free again
            assert publishing.claim(8)
        assert publishing.claim(7, other)  # the first transaction ended: its claims with it
        with transaction.atomic():
            assert not publishing.claim(7)
        other.rollback()
    finally:
        other.close()
    with pytest.raises(RuntimeError, match="inside a transaction"):
        publishing.claim(7)  # in autocommit the lock would end with the statement


@pytest.mark.postgresql
def test_a_site_held_by_another_process_is_left_to_it(transactional_db):
    seed()
    held = Site.objects.get(slug="site1").pk
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        assert publishing.claim(held, other)
        done = publishing.run(today=TODAY, threshold=settings.SUPPRESSION_THRESHOLD)
        assert done.skipped == [held]
        assert not Publication.objects.filter(site_key=held).exists()
        assert {p.site_key for p in done.made} == {0, *Site.objects.exclude(pk=held).values_list("pk", flat=True)}
        other.rollback()
    finally:
        other.close()
    out = publishing.run(today=TODAY, threshold=settings.SUPPRESSION_THRESHOLD)
    assert out.skipped == [] and {p.site_key for p in out.made} == {held}


@pytest.mark.postgresql
def test_a_failure_mid_site_leaves_none_of_its_new_publications(transactional_db, monkeypatch):
    seed()
    site = Site.objects.get(slug="site0").pk
    real, calls = publishing._publish, []

    def fails_at_the_quarter(site_key, period, *args, **kwargs):
        calls.append(period.label)
        if period.kind == periods.QUARTER:
            raise RuntimeError("the process dies here")
        return real(site_key, period, *args, **kwargs)

    monkeypatch.setattr(publishing, "_publish", fails_at_the_quarter)
    with pytest.raises(RuntimeError):
        publishing.publish_site(site, today=TODAY, threshold=settings.SUPPRESSION_THRESHOLD)
    assert calls[:4] == ["2026-01", "2026-02", "2026-03", "2026-Q1"]  # three months were saved before it
    assert not Publication.objects.filter(site_key=site).exists()
    monkeypatch.setattr(publishing, "_publish", real)
    made = publishing.publish_site(site, today=TODAY, threshold=settings.SUPPRESSION_THRESHOLD)
    assert len(made) == PER_SITE


def test_jobs_above_one_need_postgresql(transactional_db):
    """SQLite (one machine, one writer at a time) refuses --jobs 2 with a clear message;
    PostgreSQL publishes the same with --jobs 2 as with one process."""
    seed()
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="--jobs 2 needs PostgreSQL"):
            call_command("publish", "--today", TODAY.isoformat(), "--jobs", "2")
        assert not Publication.objects.exists()
    else:
        call_command("publish", "--today", TODAY.isoformat(), "--jobs", "2")
        forked = published()
        Publication.objects.all().delete()
        call_command("publish", "--today", TODAY.isoformat())
        assert published() == forked and len(forked) == PUBLICATIONS
    with pytest.raises(CommandError, match="at least 1"):
        call_command("publish", "--today", TODAY.isoformat(), "--jobs", "0")


@pytest.mark.postgresql
def test_a_publish_process_killed_mid_site_leaves_no_half_published_site(transactional_db):
    """SIGKILL a real ``manage.py publish`` while it holds a site and has written some
    of its publications (uncommitted): the site keeps none of them, its claim ends
    with the connection, and the next run publishes everything."""
    import signal
    import time

    seed()
    process = subprocess.Popen(command(), cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    # The claim is held and the transaction has written (it has a transaction id).
    busy = """SELECT l.objid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE l.locktype = 'advisory' AND l.classid::bigint = %s AND a.backend_xid IS NOT NULL
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"""
    held = None
    with connection.cursor() as cursor:
        for _ in range(6000):  # polled every 0.05 s; a count, not a time limit on the code
            cursor.execute(busy, [publishing.CLAIM_CLASS])
            row = cursor.fetchone()
            if row or process.poll() is not None:
                held = row and row[0]
                break
            time.sleep(0.05)
        assert held is not None, "the process never held a site with writes in flight"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        for _ in range(600):  # the server notices the dropped connection and rolls back
            # pg_locks lists every database of the server, and other test runs publish too.
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = %s "
                           "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                           [publishing.CLAIM_CLASS])
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the killed process's claim was never released")
    keys = [0, *Site.objects.values_list("pk", flat=True)]
    counts = {key: Publication.objects.filter(site_key=key).count() for key in keys}
    assert counts[held] == 0
    assert set(counts.values()) <= {0, PER_SITE}, counts  # every site whole or untouched
    call_command("publish", "--today", TODAY.isoformat())
    assert Publication.objects.count() == PUBLICATIONS
