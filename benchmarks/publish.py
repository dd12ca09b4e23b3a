"""Benchmark (not a test): publishing with disclosure control, on a scratch database
of the run's own (SQLite; PostgreSQL with ``--postgresql``).

* ``demo``: the demo community (``seed_demo``), every period published in order as
  of today; per period: check-ins, cells shown and hidden, headline figures shown,
  answers in shown cells, publish time and the suppressor's own audit.
* ``sites [--sites N] [--months M] [--scale C] [--only 17,30]``: N sites (default 50)
  of 20-200 check-ins a month (``synthetic.site_months``) over M months (default
  24), or scaled to about C check-ins in all (10000: mostly months too small to
  publish), stored as rollups by ``harness.seeding``; ``publish_all`` timed, then
  the issue's targets: headline figures shown for quarters of 60+ and months of
  30+ check-ins, answers in shown cells for quarters of about 100, the slowest
  period, and the audit's verdicts. ``--only`` keeps just those sites, drawn
  exactly as in the full run: a small fixed workload.
* ``monthend [--sites N] [--months M] [--jobs J]``: the month-end run of a network:
  N sites (default 2000) of M months of check-ins up to the last December,
  everything up to November published first; then the run of the last 1 January
  (December, the fourth quarter and the year) timed with one process and with J
  (default 2), each from the same start: time per site, the speed-up, and
  whether both published the same numbers. More than one job needs
  ``--postgresql``.

Run: scripts/bench publish [demo | sites | monthend] [options]; needs Django set up
(``benchmarks/__main__.py`` does it).
"""

import datetime
import os
import random
import statistics
import time
from collections import Counter, defaultdict

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from harness import seeding
from questionnaire import synthetic
from questionnaire.models import Site
from stats import catalogue, metrics, periods, publishing, selectors
from stats.counts import Counts
from stats.models import Publication

T = 11


def fresh():
    call_command("migrate", verbosity=0)


def line(pub) -> str:
    f = metrics.figures(pub)
    answers = "-" if f["answers_shown"] is None else f"{100 * f['answers_shown']:.0f}%"
    n = f["checkins"] if f["checkins"] is not None else "<T" if f["withheld"] else "held" if f["linked"] else "hid"
    return (f"{pub.period:8} {n:>5} {f['shown']:>6} {f['hidden']:>6} {f['headline']:>5}/7 {answers:>8} "
            f"{f['seconds'] or 0:>7.2f} {f['cpu_seconds'] or 0:>7.2f}  {'holds' if not f['audit'] else 'FAILS: ' + '; '.join(f['audit'])}")


def demo():
    today = timezone.localdate()  # seed_demo spreads its check-ins back from today
    fresh()
    call_command("seed_demo", verbosity=0)
    site = Site.objects.get(slug="demo")
    start = time.perf_counter()
    publishing.publish_all(today=today, threshold=T)
    took = time.perf_counter() - start
    print(f"demo community, published as of {today}: {took:.1f} s for every period of every site "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"{'period':8} {'n':>5} {'shown':>6} {'hidden':>6} {'headline':>7} {'answers':>8} {'seconds':>7} {'cpu s':>7}  audit")
    for pub in sorted(Publication.objects.filter(site_key=site.pk, threshold=T),
                      key=lambda p: periods.publication_order(datetime.date(2000, 1, 1), today).index(
                          periods.parse(p.period))):
        if pub.data["cells"].get(f"{pub.period}|total|all") != 0:
            print(line(pub))
    start = time.perf_counter()
    failures = publishing.audit_published(site_key=site.pk, threshold=T)
    print(f"audit of everything published, linked periods together: "
          f"{sum(map(len, failures.values()))} failures ({time.perf_counter() - start:.1f} s)")


def seed(n: int, months: int, scale_to: int | None = None, only: set[int] | None = None, *,
         today: datetime.date) -> int:
    """Store the rollups of N synthetic sites over the last MONTHS complete months before
    ``today`` (``harness.seeding``); return how many check-ins they hold."""
    rng = random.Random(2026)
    first = today.year * 12 + today.month - 1 - months  # the last `months` complete months
    checkins = 0
    scaled = None
    if scale_to:
        # The same sites' shapes, scaled so that all of them hold about ``scale_to``
        # check-ins (as scripts/bench seeds 10k): many small months, withheld.
        shapes = [synthetic.site_months(random.Random(s), first // 12, first % 12 + 1, months) for s in range(n)]
        factor = scale_to / sum(sum(shape.values()) for shape in shapes)
        scaled = [{k: round(v * factor) for k, v in shape.items()} for shape in shapes]
    for s in range(n):
        sizes = scaled[s] if scaled else synthetic.site_months(rng, first // 12, first % 12 + 1, months)
        rollups = seeding.rollups_of(seeding.synthetic_checkins(
            {datetime.date(year, month, 1): size for (year, month), size in sizes.items()}, rng))
        if only is not None and s not in only:
            continue  # drawn all the same, so that the sites kept are those of the full run
        site = Site.objects.create(slug=f"site{s}", name=f"Site {s}")
        checkins += sum(sizes.values())
        seeding.store_rollups(site.pk, rollups)
    return checkins


def sites(n: int, months: int, scale_to: int | None = None, only: set[int] | None = None):
    today = timezone.localdate()
    fresh()
    start = time.perf_counter()
    checkins = seed(n, months, scale_to, only, today=today)
    kept = f" (only sites {sorted(only)})" if only is not None else ""
    print(f"{n} sites x {months} months{kept}: {checkins:,} check-ins seeded as rollups "
          f"in {time.perf_counter() - start:.1f} s")
    start, cpu = time.perf_counter(), time.process_time()
    made = publishing.publish_all(today=today, threshold=T)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"publish_all: {len(made)} publications in {took:.1f} s ({took / 60:.1f} min; "
          f"{cpu / 60:.1f} min, {cpu:.1f} s of CPU; load average then {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    by_kind = defaultdict(list)
    head = defaultdict(lambda: [0, 0, 0])  # shown, of all, of those the cell-size rule allows
    each = defaultdict(lambda: [0, 0])
    answers, ceiling = [], []
    failed = []
    true = {}
    for pub in made:
        period = periods.parse(pub.period)
        f = metrics.figures(pub)
        if pub.site_key not in true:
            true[pub.site_key] = Counts(pub.site_key, today)
        by_kind[period.kind].append((f["seconds"] or 0, f["cpu_seconds"] or 0))
        if f["audit"]:
            failed.append((pub.site_key, pub.period, f["audit"]))
        # The true size, not the published one: a period whose total is hidden still counts.
        n = true[pub.site_key].of(period)[catalogue.total_key(period)]
        most = metrics.ceilings(true[pub.site_key], period, T)
        if period.kind == periods.QUARTER and n >= 60:
            for name, value in pub.data["derived"][pub.period].items():
                each[name][0] += value is not None
                each[name][1] += 1
            head["quarters of 60+"][0] += f["headline"]
            head["quarters of 60+"][1] += len(selectors.HEADLINES)
            head["quarters of 60+"][2] += most["headline"]
        if period.kind == periods.MONTH and n >= 30:
            head["months of 30+"][0] += f["headline"]
            head["months of 30+"][1] += len(selectors.HEADLINES)
            head["months of 30+"][2] += most["headline"]
        if period.kind == periods.QUARTER and 80 <= n <= 120 and f["answers_shown"] is not None:
            answers.append(f["answers_shown"])
            ceiling.append(most["answers"])
    for kind, times in by_kind.items():
        wall, cpus = [w for w, _ in times], [c for _, c in times]
        print(f"  {kind:7}: {len(times):4} published, median {statistics.median(wall):.2f} s "
              f"({statistics.median(cpus):.2f} s CPU), slowest {max(wall):.2f} s ({max(cpus):.2f} s CPU)")
    slow = sorted(made, key=lambda p: -(p.data.get("cpu_seconds") or 0))[:5]
    print("  slowest in CPU: " + ", ".join(f"site {p.site_key} {p.period} {p.data.get('cpu_seconds') or 0:.2f} s"
                                           for p in slow))
    for name, (shown, of, allowed) in head.items():
        print(f"  headline figures shown, {name}: {100 * shown / of:.1f}% of {of} figures; "
              f"{100 * shown / allowed:.1f}% of the {allowed} the cell-size rule allows")
    if each:
        print("  quarters of 60+, each figure shown: " + ", ".join(
            f"{name} {100 * shown / of:.0f}%" for name, (shown, of) in each.items()))
    if answers:
        print(f"  answers in shown cells, {len(answers)} quarters of 80-120 check-ins: "
              f"mean {100 * statistics.mean(answers):.1f}%, median {100 * statistics.median(answers):.0f}%, "
              f"lowest {100 * min(answers):.0f}%; the most any suppression could show: "
              f"mean {100 * statistics.mean(ceiling):.1f}%")
    print(f"  suppressor's audit: {len(failed)} publications fail" + (f": {failed[:3]}" if failed else ""))
    linked = Counter(periods.parse(p.period).kind for p in made if metrics.figures(p)["linked"])
    print(f"  withheld whole to protect linked periods: {sum(linked.values())} "
          f"({', '.join(f'{n} {kind}s' for kind, n in sorted(linked.items())) or 'none'})")


def monthend(n: int, months: int, jobs: int):
    """Time a network's month-end run with one process and with ``jobs``: the run of
    the last 1 January (December, the fourth quarter and the year just ended)."""
    today = datetime.date(timezone.localdate().year, 1, 1)
    before = datetime.date(today.year - 1, 12, 1)
    parallel = connection.vendor == "postgresql"
    fresh()
    start = time.perf_counter()
    checkins = seed(n, months, today=today)
    print(f"{n} sites x {months} months: {checkins:,} check-ins seeded as rollups "
          f"in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    earlier = publishing.run(today=before, threshold=T, jobs=jobs if parallel else 1)
    print(f"everything up to November {before.year} published first: {len(earlier.made)} publications in "
          f"{time.perf_counter() - start:.1f} s")
    sites_count = len(publishing.site_keys())
    results = {}
    for j in dict.fromkeys((1, jobs)):
        if j > 1 and not parallel:
            print(f"--jobs {j}: needs PostgreSQL (--postgresql); this database is {connection.vendor}")
            continue
        Publication.objects.filter(published_on=today).delete()
        load = os.getloadavg()[0]
        start = time.perf_counter()
        done = publishing.run(today=today, threshold=T, jobs=j)
        took = time.perf_counter() - start
        results[j] = (took, {(p.site_key, p.period): {k: v for k, v in p.data.items()
                                                        if k not in ("seconds", "cpu_seconds")}
                             for p in Publication.objects.filter(published_on=today)})
        cpu = sum(p.data.get("cpu_seconds") or 0 for p in done.made)
        print(f"month-end run as of {today}, --jobs {j}: {len(done.made)} publications for {sites_count} sites in "
              f"{took:.1f} s: {1000 * took / sites_count:.0f} ms per site; {cpu:.1f} s of CPU in the publications "
              f"(load average before {load:.1f} on {os.cpu_count()} cores)")
    if len(results) == 2:
        (one, first_made), (many, many_made) = results[1], results[jobs]
        print(f"speed-up with --jobs {jobs}: {one / many:.2f}x; "
              f"same numbers as one process: {'yes' if first_made == many_made else 'NO'}")

