"""Print a site's published tables for one period, exactly as staff will see them,
with what the publication shows, hides and cost, and the suppressor's audit."""

import json as json_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from questionnaire.models import Site
from questionnaire.rollups import site_key
from stats import aggregates, periods
from stats.models import Publication


class Command(BaseCommand):
    help = "Show the published aggregate tables of a site for a month, quarter or year."

    def add_arguments(self, parser):
        parser.add_argument("--site", required=True, help="a site's slug, or 'none' for check-ins with no community")
        parser.add_argument("--period", required=True, help="2026-09, 2026-Q3 or 2026")
        parser.add_argument("--json", action="store_true", help="print cells, hidden flags and linking sums as JSON")
        parser.add_argument("--audit", action="store_true",
                            help="audit again everything published for the site (linear programs)")

    def handle(self, *args, site, period, json: bool, audit: bool, **options):
        try:
            chosen = periods.parse(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if site == "none":
            key, name = 0, "No community"
        else:
            found = Site.objects.filter(slug=site).first()
            if found is None:
                raise CommandError(f"No site with the slug {site!r}.")
            key, name = site_key(found.pk), found.name
        today = timezone.localdate()
        if not periods.is_complete(chosen, today):
            raise CommandError(f"{chosen} is not over yet; only complete periods are published.")
        threshold = settings.SUPPRESSION_THRESHOLD
        try:
            result = aggregates.site_tables(site_key=key, period=chosen, today=today, threshold=threshold,
                                            publish=False)
        except aggregates.NotPublished:
            raise CommandError(f"{chosen} is not published yet: run manage.py publish.") from None
        if json:
            self.stdout.write(_json(result, name))
            return
        self.stdout.write(aggregates.as_text(result, name))
        self.stdout.write("\nWhat each publication shows and hides:")
        labels = [chosen.label] + [m.label for m in periods.months(chosen) if m != chosen]
        counts = aggregates.Counts(key, chosen.end)
        for pub in Publication.objects.filter(site_key=key, threshold=threshold, period__in=labels):
            self.stdout.write("  " + figures_line(pub, aggregates.ceilings(counts, periods.parse(pub.period), threshold)))
        if audit:
            failures = aggregates.audit_published(site_key=key, threshold=threshold)
            bad = sum(len(f) for f in failures.values())
            self.stdout.write(f"\nAudit of everything published for {name}: "
                              + ("holds." if not bad else f"{bad} failures: {failures}"))


def figures_line(pub, ceiling: dict | None = None) -> str:
    """One line of what a publication shows; with ``ceiling`` (``aggregates.ceilings``),
    also the most any suppression could show."""
    f = aggregates.figures(pub)
    answers = "-" if f["answers_shown"] is None else f"{100 * f['answers_shown']:.0f}%"
    most = ""
    if ceiling is not None:
        most = f" ({ceiling['headline']} allowed by the cell-size rule)"
        if ceiling["answers"] is not None and f["answers_shown"] is not None:
            answers += f" (at most {100 * ceiling['answers']:.0f}%)"
    verdict = "holds" if not f["audit"] else f"FAILS ({len(f['audit'])}: {f['audit'][0]})"
    if f["linked"]:
        verdict += f" (withheld whole: {pub.data['linked'][0]})"
    return (f"{pub.period:8} check-ins {_n(f):>5} | "
            f"cells shown {f['shown']:3}, hidden {f['hidden']:3} | headline figures {f['headline']} of "
            f"{len(aggregates.HEADLINES)}{most} | answers in shown cells {answers:>4} | "
            f"published in {f['seconds'] or 0:.2f} s ({f['cpu_seconds'] or 0:.2f} s CPU) | audit {verdict}")


def _n(f) -> str:
    if f["checkins"] is not None:
        return str(f["checkins"])
    return "fewer than T" if f["withheld"] else "withheld whole" if f["linked"] else "hidden"


def _json(result, name: str) -> str:
    return json_module.dumps(aggregates.as_json(result, name), indent=2, ensure_ascii=False)
