"""Benchmark (not a test): one site's staff aggregates at 10k and 100k shared check-ins.

On a PostgreSQL database of the run's own, seeds N synthetic check-ins for one
site over the 24 months up to today (``benchmarks/seed.py``: rows, shown items and
rollups from the app's own code), then prints: seeding time, the time to publish
every period up to the last complete quarter, then the month after it, the time
and SQL query count of a look once published, and submit throughput through the
real ``checkin_submit``.

Run: scripts/bench aggregates [10k,100k]; needs Django set up (``benchmarks/__main__.py``).
"""

import datetime
import random
import time

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harness.seeding import submission
from questionnaire import scoring, synthetic
from questionnaire.services import checkin_submit
from stats import periods, publishing, selectors
from stats.models import Publication

from . import seed as seeding


def last_quarter(today):
    """Return the last complete quarter before ``today``, and the month after it."""
    done = [p for p in periods.publication_order(datetime.date(today.year - 2, 1, 1), today)
            if p.kind == periods.QUARTER]
    quarter = done[-1]
    return quarter, periods.month(quarter.end)


def run(n: int, today) -> None:
    call_command("flush", interactive=False, verbosity=0)
    quarter, after = last_quarter(today)
    seeded = seeding.seed(n, sites=1, today=today, say=lambda text: None)
    assert not seeding.check(seeded, full=n <= 20_000), "rollups differ from the check-ins"
    site = seeded.sites[0]

    start = time.perf_counter()
    publishing.publish_until(site_key=site.pk, period=quarter, today=today, threshold=11)
    first = time.perf_counter() - start
    count = Publication.objects.filter(site_key=site.pk).count()

    single = None
    if periods.is_complete(after, today):
        start = time.perf_counter()
        publishing.publish_until(site_key=site.pk, period=after, today=today, threshold=11)
        single = time.perf_counter() - start

    looks = []
    for _ in range(20):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            selectors.site_tables(site_key=site.pk, period=quarter, threshold=11)
            looks.append(time.perf_counter() - start)
    looks.sort()

    rng = random.Random(n)
    as_site = {"name": site.name, "contact": site.contact}
    start = time.perf_counter()
    submits = 200
    for _ in range(submits):
        answers = synthetic.answers(rng)
        _, shown, _ = submission(answers, site=as_site)
        checkin_submit(answers=answers, scores=scoring.score(answers), site=site, shown=shown, today=today)
    submit_rate = submits / (time.perf_counter() - start)

    print(f"{n:>9,} check-ins | seed {seeded.seconds:6.1f} s | publish {count} periods to {quarter} {first:6.2f} s | "
          + (f"publish {after} {single:5.2f} s | " if single is not None else "")
          + f"look: median {1000 * looks[len(looks) // 2]:5.1f} ms, {len(queries.captured_queries)} SQL queries | "
          f"submit {submit_rate:5.0f}/s")


def main(sizes: list[int]) -> None:
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    print(f"PostgreSQL {connection.pg_version}; one site, check-ins over the 24 months to {today}; "
          f"looking at {last_quarter(today)[0]}")
    for size in sizes:
        run(size, today)
