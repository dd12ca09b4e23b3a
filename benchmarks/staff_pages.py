"""Benchmark (not a test): server time, weight and queries of every staff page.

On a scratch database of the run's own, seeds the demo community
(``manage.py seed_demo``, no password printed), gives ``--sites N`` - 1 more
communities the demo's rollups, publishes everything as of today through
``stats.publishing`` (the only writer of publications; ``--jobs`` processes on
PostgreSQL), then prints, for each staff page, the median server time over
several requests (Django's test client, in process: no network), the page's
size raw and gzip-compressed, and its SQL queries.

Run: scripts/bench staff-pages [--sites 50] [--repeat 7] [--postgresql --jobs 2];
needs Django set up (``benchmarks/__main__.py``).
"""

import gzip
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questionnaire.models import Rollup, Site
from stats import periods, publishing, selectors
from stats.models import Publication


def more_sites(sites: int, source: Site) -> None:
    """Give N-1 more communities the demo's rollups (what publishing reads)."""
    cells = list(Rollup.objects.filter(site_key=source.pk))
    for n in range(2, sites + 1):
        site = Site.objects.create(slug=f"bench-{n}", name=f"Benchmark community {n}")
        Rollup.objects.bulk_create(
            (Rollup(site_key=site.pk, month=c.month, dimension=c.dimension, value=c.value, count=c.count,
                    total=c.total) for c in cells), batch_size=5000)


def measure(client: Client, url: str, repeat: int) -> tuple[float, int, int, int]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code in (200, 302), (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    body = response.content
    return statistics.median(times) * 1000, len(body), len(gzip.compress(body, 6)), len(queries)


def main(args) -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)  # quiet: its accounts' passwords are not printed
    site = Site.objects.get(slug="demo")
    if args.sites > 1:
        more_sites(args.sites, site)
    start = time.perf_counter()
    made = publishing.run(today=timezone.localdate(), threshold=settings.SUPPRESSION_THRESHOLD, jobs=args.jobs).made
    print(f"published {len(made)} periods of {Site.objects.count()} sites in {time.perf_counter() - start:.1f} s "
          f"(stats.publishing, {args.jobs} job{'s' if args.jobs > 1 else ''})")
    quarter = next(p for p in selectors.published_periods(site_key=site.pk, threshold=settings.SUPPRESSION_THRESHOLD)
                   if p.kind == periods.QUARTER)
    User = get_user_model()
    root, _ = User.objects.get_or_create(username="benchmark-root", defaults={"is_superuser": True, "is_staff": True})
    member = User.objects.get(username="demo-staff")
    print(f"{Site.objects.count()} sites, {Publication.objects.count()} publications; demo's latest quarter {quarter}")
    pages = [
        ("member", "/staff/", "home (one site: redirect)"),
        ("root", "/staff/", "home (superuser, every site)"),
        ("member", f"/staff/sites/demo/?period={quarter}", "dashboard, quarter"),
        ("member", f"/staff/sites/demo/?period={quarter.start.year}", "dashboard, year (if published)"),
        ("member", f"/staff/sites/demo/?period={periods.months(quarter)[-1]}", "dashboard, month"),
        ("member", f"/staff/sites/demo/print/?period={quarter}", "print view"),
        ("member", f"/staff/sites/demo/export.csv?period={quarter}", "CSV export"),
        ("member", "/staff/sites/demo/poster/", "poster"),
        ("member", "/staff/how-we-protect-small-numbers/", "how we protect small numbers"),
    ]
    clients = {}
    for name, user in (("member", member), ("root", root)):
        clients[name] = Client(HTTP_HOST="127.0.0.1")
        clients[name].force_login(user)
    print(f"{'page':36} {'median ms':>9} {'bytes':>8} {'gzip':>7} {'queries':>7}")
    for who, url, label in pages:
        if "year" in label and periods.parse(str(quarter.start.year)) not in selectors.published_periods(
                site_key=site.pk, threshold=settings.SUPPRESSION_THRESHOLD):
            continue
        ms, size, packed, queries = measure(clients[who], url, args.repeat)
        print(f"{label:36} {ms:9.1f} {size:8} {packed:7} {queries:7}")

