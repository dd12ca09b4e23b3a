"""Benchmark (not a test): the attacker against what the suppressor on this checkout publishes.

Makes up SITES communities, each with a year of synthetic check-ins, in turn of
the kinds the attack of issue 20 used (``disclosure_audit.KINDS``: steady months
of 13-50, very uneven months, almost everyone alike, heavy skipping and "prefer
not to say", months of 0-12), publishes every month,
quarter and year with ``stats.publishing.publish_until``, then runs the
independent attacker (tests/disclosure_audit.py, all three layers: declared
sums, the app's own relations, the published means and shares) over each
site's whole year at once, with the true counts to check the attack itself.

Prints, per site and in total: hidden cells and never-published month cells
recovered exactly, proven 1..T-1, proven at most T-1 (not through a withheld
period), lines whose hidden parts sum to 1..T-1; means shown; headline figures shown (% of figure x period, quarters with 60 or
more check-ins, months with 30 or more; of all, and of those the cell-size rule
allows at all); answers in shown cells for quarters of about 100 check-ins, with
the most any suppression could show (``metrics.ceilings``); publish and attack
times.

Run: scripts/bench attack [SITES] [SEED] (default 50 sites = 200 site-quarters), on a
scratch SQLite database of the run's own.
"""

import datetime
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/h_attack.sqlite3")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from harness import seeding  # noqa: E402
from questionnaire.models import Rollup  # noqa: E402
from stats import catalogue, metrics, periods, publishing, selectors  # noqa: E402
from stats.counts import Counts  # noqa: E402
from stats.models import Publication  # noqa: E402
from tests import disclosure_audit as audit  # noqa: E402

YEAR = 2025
TODAY = datetime.date(YEAR + 1, 1, 5)
T = 11
SITE = {"name": "Benchmark", "contact": ""}


def seed(site_key: int, rng: random.Random, kind: str = "steady") -> dict:
    """Add a year of check-ins' rollups for one site, results items included (``harness.seeding``)."""
    sizes = audit.KINDS[kind][0](rng)
    drawn = audit.site_answers(rng, kind, sizes)
    checkins = ((datetime.date(YEAR, month, 1), answers)
                for month, batch in enumerate(drawn, start=1) for answers in batch)
    seeding.store_rollups(site_key, seeding.rollups_of(checkins, items=True, site=SITE))
    return dict(zip(range(1, 13), sizes))


def main(sites: int, first_seed: int):
    call_command("migrate", verbosity=0)
    Publication.objects.all().delete()
    Rollup.objects.all().delete()
    relations = audit.month_relations()
    grand = Counter()
    headline = {"quarter": [0, 0, 0], "month": [0, 0, 0]}  # shown, of all, of those the rule allows
    means_shown = {"quarter": [0, 0], "month": [0, 0]}  # means shown, of all (periods as above)
    answers_100, answers_ceiling = [], []
    publish_seconds = {"month": [], "quarter": [], "year": [], "window": []}
    publish_cpu = {"month": [], "quarter": [], "year": [], "window": []}
    verdicts = Counter()
    attack_seconds = []
    linked_kinds = []
    def pct(pair):
        return f"{100 * pair[0] / pair[1]:.1f}% of {pair[1]}" if pair[1] else "none"

    def times(values):
        return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s" if values else "none"

    def summary(done):
        print()
        print(f"site-quarters: {4 * done} ({', '.join(f'{k} {v}' for k, v in sorted(kinds_done.items()))} sites); "
              f"hidden cells attacked: {grand['cells']}, never-published month cells: {grand['latent']}, "
              f"lines: {grand['lines']}")
        print(f"recovered exactly: {grand['recovered']}; proven 1..{T - 1}: {grand['small']}; "
              f"proven at most {T - 1} (true count 1 or more): {grand['capped']}; "
              f"lines whose hidden parts sum to 1..{T - 1}: {grand['lines_small']}")
        print(f"  of which never-published month cells: recovered {grand['latent_recovered']}, "
              f"proven small {grand['latent_small']}, capped {grand['latent_capped']}")
        print(f"means shown: quarters >= 60 check-ins {pct(means_shown['quarter'])} mean x quarter; "
              f"months >= 30 {pct(means_shown['month'])} mean x month")
        print(f"headline figures shown: quarters >= 60 check-ins {pct(headline['quarter'])} figure x quarter; "
              f"months >= 30 {pct(headline['month'])} figure x month")
        print(f"  of the figures the cell-size rule allows (count and rest each 0 or {T}+, mean over {T}+): "
              f"quarters {pct(headline['quarter'][::2])}, months {pct(headline['month'][::2])}")
        if answers_100:
            print(f"answers in shown cells, quarters of 90-110 check-ins: mean {100 * statistics.mean(answers_100):.1f}%, "
                  f"min {100 * min(answers_100):.1f}% ({len(answers_100)} quarters); the most any suppression "
                  f"could show: mean {100 * statistics.mean(answers_ceiling):.1f}%")
        for kind, values in publish_seconds.items():
            print(f"publish time per {kind}: {times(values)}; CPU {times(publish_cpu[kind])}")
        every = [v for values in publish_seconds.values() for v in values]
        every_cpu = [v for values in publish_cpu.values() for v in values]
        print(f"publish time, all {len(every)} periods: {sum(every):.1f} s ({sum(every_cpu):.1f} s CPU), "
              f"slowest period {max(every, default=0):.2f} s ({max(every_cpu, default=0):.2f} s CPU); "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"suppressor's audit: {verdicts['holds']} periods hold, {verdicts['fails']} fail; "
              f"withheld whole to protect linked periods: {verdicts['linked']} "
              f"({', '.join(sorted(set(linked_kinds)))}); fewer than {T} check-ins: {verdicts['fewer']}")
        print("attacker's verdict: " + ("holds (0 recovered, 0 proven small, 0 capped, 0 small lines)"
                                        if not any(grand[k] for k in ("recovered", "small", "capped", "lines_small"))
                                        else "FAILS"))
        print(f"attack time per site-year: {times(attack_seconds)}", flush=True)

    print(f"{sites} sites x 4 quarters, threshold {T}; attacker: all three layers over each site's year, "
          "hidden cells and the months' never-published cells")
    kinds_done = Counter()
    for n in range(sites):
        site_key = 1000 + n
        rng = random.Random(first_seed + n)
        site_kind = list(audit.KINDS)[n % len(audit.KINDS)]
        kinds_done[site_kind] += 1
        sizes = seed(site_key, rng, site_kind)
        publishing.publish_until(site_key=site_key, period=periods.parse(str(YEAR)), today=TODAY, threshold=T)
        pubs = {p.period: p for p in Publication.objects.filter(site_key=site_key, threshold=T)}
        counts = Counts(site_key, TODAY)
        for label, pub in pubs.items():
            period = periods.parse(label)
            publish_seconds[period.kind].append(pub.data.get("seconds") or 0.0)
            publish_cpu[period.kind].append(pub.data.get("cpu_seconds") or 0.0)
            f = metrics.figures(pub)
            verdicts["fails" if f["audit"] else "holds"] += 1
            verdicts["linked"] += f["linked"]
            verdicts["fewer"] += f["withheld"]
            if f["linked"]:
                linked_kinds.append(period.kind)
            kind = {"quarter": "quarter", "month": "month"}.get(period.kind)
            # The true size, not the published one: a period whose total is hidden still counts.
            checkins = sum(sizes[m.start.month] for m in periods.months(period))
            ceiling = metrics.ceilings(counts, period, T)
            if kind and checkins >= (60 if kind == "quarter" else 30):
                headline[kind][0] += f["headline"]
                headline[kind][1] += len(selectors.HEADLINES)
                headline[kind][2] += ceiling["headline"]
                means_shown[kind][0] += sum(pub.data["derived"][label].get(name) is not None
                                            for name in catalogue.MEANS)
                means_shown[kind][1] += len(catalogue.MEANS)
            if period.kind == "quarter" and 90 <= checkins <= 110 and f["answers_shown"] is not None:
                answers_100.append(f["answers_shown"])
                answers_ceiling.append(ceiling["answers"])
        published = audit.site_publications(site_key, T)
        truth = audit.site_truth(site_key, published, TODAY)
        report = audit.attack(published, relations, threshold=T, truth=truth, category=catalogue.categories)
        latent = report.latent
        attack_seconds.append(report.seconds)
        capped = [f for f in report.capped_nonzero if not f.withheld]
        small = [f for f in report.proven_small if not f.withheld]
        grand.update(cells=report.attacked_cells, lines=report.attacked_lines, recovered=len(report.recovered),
                     small=len(small), capped=len(capped), lines_small=len(report.small_lines),
                     latent=report.attacked_latent,
                     latent_recovered=sum(f.what in latent for f in report.recovered),
                     latent_small=sum(f.what in latent for f in small),
                     latent_capped=sum(f.what in latent for f in capped))
        quarters = [sum(sizes[m] for m in range(q, q + 3)) for q in (1, 4, 7, 10)]
        print(f"site {n + 1:>3} {site_kind:8} quarters {quarters}: {report.attacked_cells} hidden cells, "
              f"recovered {len(report.recovered)}, proven small {len(small)}, capped {len(capped)}, "
              f"small lines {len(report.small_lines)}  ({report.seconds:.1f} s)", flush=True)
        for f in (report.recovered + small + capped + report.small_lines)[:3]:
            print(f"      {f}")
        if (n + 1) % 10 == 0 and n + 1 < sites:
            summary(n + 1)

    summary(sites)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
