"""Benchmark (not a test): a change of publication format, attacked as issue 20 attacked it.

For SITES demo-like sites (about 100 check-ins a quarter, some taking
medication for opioid use disorder, which format 5 adds to the tables), over
the first half of a year (the attack of a whole year takes too long on a
shared machine):

1. January to March and Q1 are published in format OLD (4: the category not in
   the tables; 3: also months showing whole lines, as in the issue);
2. **before** (what ``publish`` did until issue 20): every publication of an
   older format is deleted and made again in format 5, with April to June and
   Q2; the attacker (tests/disclosure_audit.py, all three layers) gets both
   versions of January to March and Q1 together with the rest;
3. **after**: the format 4 publications stay as they are; April to June and
   Q2 are published in format 5; Q1 is published again on purpose
   (``publishing.republish``); the attacker gets every version together.

Prints, per regime: publications the catalogue change altered, hidden cells
recovered exactly, proven 1..T-1, lines whose hidden parts sum to 1..T-1.

Run: scripts/bench formats [SITES] [SEED] [--old 3|4]
(default 2 sites, seed 20, old format 4; 3 is the change the issue attacked; the database is emptied first).
"""

import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/h_formats.sqlite3")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from questionnaire.models import Rollup  # noqa: E402
from stats import catalogue, periods, publishing  # noqa: E402
from stats.models import Publication  # noqa: E402
from tests import disclosure_audit as audit  # noqa: E402
from tests import formats_data  # noqa: E402

T = 11
YEAR = formats_data.YEAR
TODAY = datetime.date(YEAR + 1, 1, 5)
OLD = 4  # the format published first: 4, or 3 as in the issue (scripts/bench formats --old 3)


def _snapshot(key: int) -> dict:
    """Return each stored publication's row and data, as bytes to compare."""
    return {p.pk: json.dumps(p.data, sort_keys=True) for p in Publication.objects.filter(site_key=key, threshold=T)}


def _attack(key: int) -> audit.Report:
    versions = formats_data.stored(key, T)
    view = formats_data.joined(versions)
    truth = audit.site_truth(key, view, TODAY)
    return audit.attack(view, audit.month_relations(), threshold=T, truth=truth, category=catalogue.categories)


def _regime(key: int, before: bool) -> tuple[int, int, audit.Report, float]:
    Publication.objects.filter(site_key=key).delete()
    publishing.publish_until(site_key=key, period=periods.parse(f"{YEAR}-03"), today=TODAY, threshold=T, fmt=OLD)
    first = _snapshot(key)
    if before:
        # The old ``publish_until``: an older format's publications deleted and made again.
        old = list(Publication.objects.filter(site_key=key, threshold=T))
        Publication.objects.filter(site_key=key).delete()
        publishing.publish_until(site_key=key, period=periods.parse(f"{YEAR}-06"), today=TODAY, threshold=T)
        for pub in old:  # the attacker kept them: stored again beside the new ones, as version 0
            Publication.objects.create(site_key=key, period=pub.period, threshold=T, version=0,
                                       published_on=pub.published_on, data=pub.data)
    else:
        publishing.publish_until(site_key=key, period=periods.parse(f"{YEAR}-06"), today=TODAY, threshold=T)
        publishing.republish(site_key=key, period=periods.parse(f"{YEAR}-Q1"), threshold=T, today=TODAY)
    print(f"  ({'before' if before else 'after'}: published; attacking)", flush=True)
    after = _snapshot(key)
    changed = sum(after.get(k) != v for k, v in first.items())  # replaced or altered
    started = time.perf_counter()
    report = _attack(key)
    return len(first), changed, report, time.perf_counter() - started


def main(sites: int, first_seed: int):
    call_command("migrate", verbosity=0)
    Publication.objects.all().delete()
    Rollup.objects.all().delete()
    totals = {}
    for n in range(sites):
        key = 9000 + n
        formats_data.seed(key, seed=first_seed + n)
        for name, before in (("before", True), ("after", False)):
            made, changed, report, seconds = _regime(key, before)
            print(f"site {n + 1} {name:6}: {changed}/{made} format-{OLD} publications changed; "
                  f"recovered {len(report.recovered)}, proven 1..{T - 1} {len(report.proven_small)}, "
                  f"small lines {len(report.small_lines)}, capped (not 0) {len(report.capped_nonzero)} "
                  f"[{report.attacked_cells} hidden cells, attack {seconds:.0f} s]", flush=True)
            t = totals.setdefault(name, [0, 0, 0, 0, 0, 0])
            for i, v in enumerate((made, changed, len(report.recovered), len(report.proven_small),
                                   len(report.small_lines), len(report.capped_nonzero))):
                t[i] += v
    for name, (made, changed, recovered, small, lines, capped) in totals.items():
        print(f"{name:6} total: publications changed {changed}/{made}; recovered {recovered}; "
              f"proven 1..{T - 1} {small}; small lines {lines}; capped (not 0) {capped}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
