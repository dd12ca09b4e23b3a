"""Benchmark (not a test): server time and weight of every staff page.

Reads an existing database whose demo community is seeded and published
(``manage.py seed_demo`` then ``manage.py publish``), and prints, for each staff
page, the median server time over several requests (Django's test client, in
process: no network) and the page's size, raw and gzip-compressed.

With ``--sites N --months M`` it first adds N-1 more communities, each given M
months (with their quarters and years) of publications cloned from the demo's,
so the read path is measured at that many sites and periods without hours of
publishing. It writes to the database: use a throw-away copy for that.

Run:  DATABASE_URL=... .venv/bin/python benchmarks/staff_pages.py [--sites 50 --months 24]
"""

import argparse
import datetime
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from questionnaire.models import Site  # noqa: E402
from stats import periods, selectors  # noqa: E402
from stats.models import Publication  # noqa: E402


def relabel(data: dict, old: str, new: str) -> dict:
    cells = {}
    for code, value in data["cells"].items():
        label, rest = code.split("|", 1)
        cells[f"{new if label == old else label}|{rest}"] = value
    return {**data, "cells": cells, "derived": {(new if k == old else k): v for k, v in data["derived"].items()}}


def clone(sites: int, months: int, source: Site) -> None:
    """Give N-1 extra sites M months of publications copied from the demo's."""
    threshold = settings.SUPPRESSION_THRESHOLD
    pubs = {p.period: p for p in Publication.objects.filter(site_key=source.pk, threshold=threshold)}
    by_kind = {kind: [p for label, p in pubs.items() if periods.parse(label).kind == kind and
                      p.data["cells"].get(f"{label}|total|all") not in (0, "fewer")]
               for kind in (periods.MONTH, periods.QUARTER, periods.YEAR)}
    last = max(periods.parse(label) for label in pubs if periods.parse(label).kind == periods.MONTH)
    index = last.start.year * 12 + last.start.month - 1 - (months - 1)
    first = datetime.date(index // 12, index % 12 + 1, 1)
    order = [p for p in periods.publication_order(first, last.end) if p.start >= first]
    rows = []
    for n in range(2, sites + 1):
        site = Site.objects.create(slug=f"bench-{n}", name=f"Benchmark community {n}")
        for i, period in enumerate(order):
            template = by_kind[period.kind][i % len(by_kind[period.kind])] if by_kind[period.kind] else None
            if template is None:
                continue
            rows.append(Publication(site_key=site.pk, period=period.label, threshold=threshold,
                                    published_on=template.published_on,
                                    data=relabel(template.data, template.period, period.label)))
    Publication.objects.bulk_create(rows, batch_size=500)
    print(f"cloned {len(rows)} publications onto {sites - 1} extra sites")


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=1)
    parser.add_argument("--months", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    site = Site.objects.get(slug="demo")
    if args.sites > 1:
        clone(args.sites, args.months, site)
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


if __name__ == "__main__":
    main()
