"""Benchmark (not a test): pooled figures over rolling windows of four quarters.

Makes up SITES communities with two years of synthetic check-ins (40-150 a
quarter, ``synthetic.monthly_volumes``), publishes every month, quarter, year and
rolling window with ``publishing.publish_until`` (as ``manage.py publish`` does),
then prints:

* headline figures shown, % of figure x quarter for quarters with 60 or more
  check-ins: the quarter's own ("raw") and counting the pooled figure where the
  quarter's own is hidden and its window shows it (read through
  ``selectors.site_tables``, as the dashboard does), in all and per figure;
* answers in shown cells for quarters of 80-120 check-ins (a quarter is published
  before its window and never linked to a later one, so windows cannot change it);
* publish time per kind of period (wall and CPU), the slowest period;
* the independent attacker (tests/disclosure_audit.py, all three layers) over
  each site's year together with every window that shares a month with it:
  hidden cells recovered, proven 1..T-1, capped at T-1, lines of 1..T-1.

Run: scripts/bench pooled [SITES] [SEED]
(default 25 sites = 200 site-quarters; the database is emptied first).
"""

import datetime
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/pooled_bench.sqlite3")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from questionnaire import rules, scoring, synthetic  # noqa: E402
from questionnaire.models import Rollup  # noqa: E402
from questionnaire.rollups import facts  # noqa: E402
from questionnaire.services import checkin_fields  # noqa: E402
from stats import catalogue, metrics, periods, publishing, selectors  # noqa: E402
from stats.counts import Counts  # noqa: E402
from stats.models import Publication  # noqa: E402
from tests import disclosure_audit as audit  # noqa: E402

YEARS = (2025, 2026)
TODAY = datetime.date(YEARS[-1] + 1, 1, 5)
T = 11
SITE = {"name": "Benchmark", "contact": ""}


def seed(site_key: int, rng: random.Random) -> None:
    """Add two years of check-ins' rollups for one site (the same facts a live submission adds)."""
    sizes = synthetic.monthly_volumes(rng, 12 * len(YEARS), low=13, high=50)
    cells, totals = Counter(), Counter()
    for i, size in enumerate(sizes):
        day = datetime.date(YEARS[0] + i // 12, i % 12 + 1, 1)
        for _ in range(size):
            answers = synthetic.answers(rng)
            scores = scoring.score(answers)
            shown = rules.shown_item_ids(rules.evaluate(answers, scores, site=SITE))
            for dimension, value, amount in facts(checkin_fields(answers, scores), shown):
                cells[(day, dimension, value)] += 1
                totals[(day, dimension, value)] += amount
    Rollup.objects.bulk_create(
        Rollup(site_key=site_key, month=m, dimension=d, value=v, count=c, total=totals[(m, d, v)])
        for (m, d, v), c in cells.items()
    )


def touching(pubs: dict, year: int) -> dict:
    """Return a year's publications (the year, its quarters and months) and every window sharing a month with it."""
    span = periods.Period(datetime.date(year, 1, 1), periods.YEAR)
    return {label: pub for label, pub in pubs.items() if periods.overlap(periods.parse(label), span)}


def main(sites: int, first_seed: int):
    call_command("migrate", verbosity=0)
    Publication.objects.all().delete()
    Rollup.objects.all().delete()
    relations = audit.month_relations()
    names = selectors.HEADLINES
    raw, pooled, of = Counter(), Counter(), Counter()
    later = Counter()  # quarters with a whole published year before them: (figures, shown with pooled)
    answers = []
    seconds, cpu = defaultdict(list), defaultdict(list)
    grand = Counter()
    attack_seconds = []
    failed = []
    print(f"{sites} sites x {len(YEARS)} years of quarters of 40-150 check-ins, threshold {T}")
    for n in range(sites):
        site_key = 2000 + n
        seed(site_key, random.Random(first_seed + n))
        publishing.publish_until(site_key=site_key, period=periods.parse(str(YEARS[-1])), today=TODAY, threshold=T)
        pubs = {p.period: p for p in Publication.objects.filter(site_key=site_key, threshold=T)}
        counts = Counts(site_key, TODAY)
        for label, pub in pubs.items():
            period = periods.parse(label)
            seconds[period.kind].append(pub.data.get("seconds") or 0.0)
            cpu[period.kind].append(pub.data.get("cpu_seconds") or 0.0)
            if pub.data.get("audit"):
                failed.append((site_key, label))
            if period.kind != periods.QUARTER:
                continue
            size = counts.of(period)[catalogue.total_key(period)]  # the true size: a hidden total still counts
            if 80 <= size <= 120 and metrics.figures(pub)["answers_shown"] is not None:
                answers.append(metrics.figures(pub)["answers_shown"])
            if size < 60:
                continue
            tables = selectors.site_tables(site_key=site_key, period=period, threshold=T)
            own = tables.derived.get(label, {})
            for name in names:
                of[name] += 1
                raw[name] += own.get(name) is not None
                pooled[name] += own.get(name) is not None or name in tables.pooled
                if period.start.year > YEARS[0]:
                    later["of"] += 1
                    later["pooled"] += own.get(name) is not None or name in tables.pooled
                    later["opioid of"] += name == "share_long_term_opioid"
                    later["opioid"] += name == "share_long_term_opioid" and (
                        own.get(name) is not None or name in tables.pooled)
        published = audit.site_publications(site_key, T)
        for year in YEARS:
            chosen = touching(published, year)
            truth = audit.site_truth(site_key, chosen, TODAY)
            report = audit.attack(chosen, relations, threshold=T, truth=truth, category=catalogue.categories)
            attack_seconds.append(report.seconds)
            small = [f for f in report.proven_small if not f.withheld]
            capped = [f for f in report.capped_nonzero if not f.withheld]
            grand.update(cells=report.attacked_cells, lines=report.attacked_lines, recovered=len(report.recovered),
                         small=len(small), capped=len(capped), lines_small=len(report.small_lines))
            for f in (report.recovered + small + capped + report.small_lines)[:3]:
                print(f"      site {n + 1} {year}: {f}")
        print(f"site {n + 1:>3}: {len(pubs)} publications; attacked so far: {grand['cells']} hidden cells, "
              f"{grand['recovered']} recovered, {grand['small']} proven small, {grand['capped']} capped, "
              f"{grand['lines_small']} small lines", flush=True)

    total_of = sum(of.values())
    print()
    print(f"quarters with 60+ check-ins: {of['checkins']} ({of['checkins']} x {len(names)} = {total_of} figures)")
    print(f"headline figures shown: raw {100 * sum(raw.values()) / total_of:.1f}%, "
          f"with pooled {100 * sum(pooled.values()) / total_of:.1f}%")
    for name in names:
        print(f"  {name:24} raw {100 * raw[name] / of[name]:5.1f}%  with pooled {100 * pooled[name] / of[name]:5.1f}%")
    if later["of"]:
        print(f"  quarters with a whole year before them (their window has no empty quarter): with pooled "
              f"{100 * later['pooled'] / later['of']:.1f}% of {later['of']}; long-term opioid share "
              f"{100 * later['opioid'] / later['opioid of']:.1f}%")
    if answers:
        print(f"answers in shown cells, {len(answers)} quarters of 80-120 check-ins: "
              f"mean {100 * statistics.mean(answers):.1f}%, lowest {100 * min(answers):.1f}%")
    for kind, values in seconds.items():
        print(f"publish time per {kind:7}: median {statistics.median(values):.2f} s, max {max(values):.2f} s; "
              f"CPU median {statistics.median(cpu[kind]):.2f} s, max {max(cpu[kind]):.2f} s")
    print(f"suppressor's audit: {len(failed)} publications fail" + (f": {failed[:3]}" if failed else ""))
    print(f"attacker over each year with the windows touching it: {grand['cells']} hidden cells, "
          f"{grand['lines']} lines; recovered {grand['recovered']}, proven 1..{T - 1} {grand['small']}, "
          f"capped {grand['capped']}, lines of 1..{T - 1} {grand['lines_small']} "
          f"(attack per site-year: median {statistics.median(attack_seconds):.1f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 25, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
