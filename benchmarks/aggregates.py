"""Benchmark (not a test): staff aggregates at 10k and 100k shared check-ins.

Seeds a fresh PostgreSQL database with N synthetic check-ins for one site spread
over 24 months (rollups built from the same ``rollups.facts`` the app uses), then
prints: seeding time, the time to publish every period up to the last complete
quarter, the time and SQL query count of a look once published, and
submit throughput through the real ``checkin_submit``.

Run: scripts/benchmark [N ...]   (default: 10000 100000)
"""

import datetime
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/postgres")
if not BASE_URL.startswith("postgres"):
    sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL to a postgres:// URL.")


def fresh_database(name: str) -> str:
    config = dj_database_url.parse(BASE_URL)
    with psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                         password=config["PASSWORD"], dbname=config["NAME"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return BASE_URL.rsplit("/", 1)[0] + "/" + name


os.environ["DATABASE_URL"] = fresh_database("checkin_benchmark")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from questionnaire import rules, scoring, synthetic  # noqa: E402
from stats import periods, publishing, selectors  # noqa: E402
from questionnaire.models import CheckIn, CheckInItem, Rollup, Site  # noqa: E402
from stats.models import Publication  # noqa: E402
from questionnaire.rollups import facts, month_of  # noqa: E402
from questionnaire.services import checkin_fields, checkin_submit  # noqa: E402

TODAY = datetime.date(2026, 11, 24)
QUARTER = periods.parse("2026-Q3")


def seed(site, n, rng):
    """Insert n check-ins and their rollups in bulk (same facts as a live submission)."""
    rollup, totals, batch, items = Counter(), Counter(), [], []
    for _ in range(n):
        answers = synthetic.answers(rng)
        scores = scoring.score(answers)
        shown = rules.shown_item_ids(rules.evaluate(answers, scores, site=site))
        day = TODAY - datetime.timedelta(days=rng.randrange(730))
        fields = checkin_fields(answers, scores)
        batch.append(CheckIn(site=site, submitted_on=day, content_version=rules.CONTENT_VERSION, **fields))
        items.append(shown)
        for dimension, value, amount in facts(fields, shown):
            rollup[(month_of(day), dimension, value)] += 1
            totals[(month_of(day), dimension, value)] += amount
        if len(batch) == 5000:
            _flush(batch, items)
    _flush(batch, items)
    Rollup.objects.bulk_create(
        Rollup(site_key=site.pk, month=m, dimension=d, value=v, count=c, total=totals[(m, d, v)])
        for (m, d, v), c in rollup.items()
    )


def _flush(batch, items):
    saved = CheckIn.objects.bulk_create(batch)
    CheckInItem.objects.bulk_create(
        CheckInItem(checkin=c, item_id=i) for c, shown in zip(saved, items) for i in shown
    )
    batch.clear()
    items.clear()


def run(n):
    call_command("flush", interactive=False, verbosity=0)
    site = Site.objects.create(slug=f"bench{n}", name="Benchmark")
    rng = random.Random(n)
    start = time.perf_counter()
    seed(site, n, rng)
    seeded = time.perf_counter() - start
    assert not rollup_differences(), "rollups differ from a full recount"

    start = time.perf_counter()
    publishing.publish_until(site_key=site.pk, period=QUARTER, today=TODAY, threshold=11)
    first = time.perf_counter() - start
    count = Publication.objects.filter(site_key=site.pk).count()

    one = periods.parse("2026-10")
    start = time.perf_counter()
    publishing.publish_until(site_key=site.pk, period=one, today=TODAY, threshold=11)
    single = time.perf_counter() - start

    looks = []
    for _ in range(20):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            selectors.site_tables(site_key=site.pk, period=QUARTER, threshold=11)
            looks.append(time.perf_counter() - start)
    looks.sort()

    start = time.perf_counter()
    submits = 200
    for i in range(submits):
        answers = synthetic.answers(rng)
        scores = scoring.score(answers)
        checkin_submit(answers=answers, scores=scores, site=site,
                       shown=rules.shown_item_ids(rules.evaluate(answers, scores, site=site)), today=TODAY)
    submit_rate = submits / (time.perf_counter() - start)

    print(f"{n:>9,} check-ins | seed {seeded:6.1f} s | publish {count} periods {first:6.2f} s | "
          f"publish one month {single:5.2f} s | look: median {1000 * looks[len(looks) // 2]:5.1f} ms, "
          f"{len(queries.captured_queries)} SQL queries | submit {submit_rate:5.0f}/s")


def rollup_differences():
    from questionnaire.rollups import recompute

    return recompute(apply=False)


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {connection.pg_version}; one site, check-ins over 24 months; looking at {QUARTER}")
    for size in sizes:
        run(size)
