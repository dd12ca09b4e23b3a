"""Print a site's published tables for one period, exactly as staff will see them,
with what the publication shows, hides and cost, and the suppressor's audit.

Every number printed comes from the publications themselves, never from the
true counts behind hidden cells: an operator may forward this output.
"""

import json as json_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from questionnaire.models import Site
from questionnaire.rollups import site_key
from stats import disclosure, metrics, periods, publishing, selectors
from stats.selectors import SiteTables

HEADLINE_WORDS = {
    "checkins": "check-ins", "share_chronic_pain": "% chronic pain", "share_high_impact": "% high-impact chronic pain",
    "share_long_term_opioid": "% long-term opioid therapy", "mean_peg": "mean PEG", "mean_ucla3": "mean UCLA-3",
    "share_support_usually": "% support always or usually",
}


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
            result = selectors.site_tables(site_key=key, period=chosen, threshold=threshold)
        except selectors.NotPublished:
            raise CommandError(f"{chosen} is not published yet: run manage.py publish.") from None
        if json:
            self.stdout.write(_json(result, name))
            return
        self.stdout.write(as_text(result, name))
        self.stdout.write("\nWhat each publication shows and hides:")
        labels = [chosen.label] + [m.label for m in periods.months(chosen) if m != chosen]
        for pub in selectors.publications(site_key=key, threshold=threshold).filter(period__in=labels):
            self.stdout.write("  " + figures_line(pub))
        if audit:
            failures = publishing.audit_published(site_key=key, threshold=threshold)
            bad = sum(len(f) for f in failures.values())
            self.stdout.write(f"\nAudit of everything published for {name}: "
                              + ("holds." if not bad else f"{bad} failures: {failures}"))


def figures_line(pub) -> str:
    """One line of what a publication shows (read from the publication alone)."""
    f = metrics.figures(pub)
    answers = "-" if f["answers_shown"] is None else f"{100 * f['answers_shown']:.0f}%"
    verdict = "holds" if not f["audit"] else f"FAILS ({len(f['audit'])}: {f['audit'][0]})"
    return (f"{pub.period:8} check-ins {_n(f):>5} | "
            f"cells shown {f['shown']:3}, hidden {f['hidden']:3} | headline figures {f['headline']} of "
            f"{len(selectors.HEADLINES)} | answers in shown cells {answers:>4} | "
            f"published in {f['seconds'] or 0:.2f} s ({f['cpu_seconds'] or 0:.2f} s CPU) | audit {verdict}")


def _n(f) -> str:
    if f["checkins"] is not None:
        return str(f["checkins"])
    return "fewer than T" if f["withheld"] else "withheld whole" if f["linked"] else "hidden"


def _json(result, name: str) -> str:
    return json_module.dumps(as_json(result, name), indent=2, ensure_ascii=False)


def _fmt(value) -> str:
    return "" if value is None else str(value)


def as_text(result: SiteTables, site_name: str) -> str:
    """Return the tables as plain text, hidden cells shown by the one marker."""
    out = [f"{site_name}: {result.period.title} (published period {result.period.label})",
           f"Counts from 1 to {result.threshold - 1} and the cells that would give them away "
           f"are shown as \"{disclosure.HIDDEN_LABEL}\"."]
    out.append(f"Published in format {result.format}" + (
        f", version {result.remade.version}, made again on {result.remade.on}: {result.remade.why}"
        if result.remade else "") + ".")
    out += [f"Not in this format's tables: {table}: {answer}." for table, answer in result.lacks]
    if result.linked:
        out.append(f"This period is {disclosure.LINKED_LABEL}: nothing else is published.")
        return "\n".join(out) + "\n"
    if result.withheld:
        out.append(f"Fewer than {result.threshold} check-ins in this period: nothing else is published.")
        return "\n".join(out) + "\n"
    if result.tables[0].rows[0][1] == (0,):
        out.append("No shared check-ins in this period.")
        return "\n".join(out) + "\n"
    for table in result.tables:
        columns = list(table.columns) + (["Total"] if any(m is not None for _, _, m in table.rows) else [])
        body = [[label, *map(_fmt, values)] + ([_fmt(margin)] if len(columns) > len(values) else [])
                for label, values, margin in table.rows]
        if table.column_margins:
            body.append(["Total", *map(_fmt, table.column_margins)]
                        + ([_fmt(table.grand_total)] if len(columns) > len(table.column_margins) else []))
        header = [table.row_title or "", *columns]
        widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header))]
        out += ["", table.title, "-" * len(table.title)]
        for row in [header, *body]:
            out.append("  ".join(str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
                                 for i, (cell, width) in enumerate(zip(row, widths))).rstrip())
    out += ["", f"Shares (only where the count and the rest are each 0 or at least {result.threshold}) and "
            f"means (only over groups of at least {result.threshold}, and only where the audit holds with them):"]
    for label, numbers in sorted(result.derived.items()):
        out.append(f"  {label}: " + ", ".join(
            f"{HEADLINE_WORDS[k]} {v if v is not None else disclosure.HIDDEN_LABEL}" for k, v in numbers.items()))
    return "\n".join(out) + "\n"


def _cells(result: SiteTables):
    """Yield every value the tables show (hidden ones as the marker), margins included."""
    for table in result.tables:
        for _, values, margin in table.rows:
            yield from (*values, margin)
        yield from (*table.column_margins, table.grand_total)


def as_json(result: SiteTables, site_name: str) -> dict:
    """Return the tables, every cell with its hidden flag, and the sums linking cells."""
    return {
        "site": site_name,
        "period": result.period.label,
        "threshold": result.threshold,
        "withheld": result.withheld,
        "linked": result.linked,
        "format": result.format,
        "version": result.remade.version if result.remade else 1,
        "hidden_marker": disclosure.HIDDEN_LABEL,
        "tables": [
            {
                "id": t.id, "title": t.title, "columns": list(t.columns),
                "rows": [{"label": label, "cells": list(values), "total": margin} for label, values, margin in t.rows],
                "column_totals": list(t.column_margins), "grand_total": t.grand_total,
            }
            for t in result.tables
        ],
        "derived": result.derived,
        "hidden_cells": sum(value == disclosure.HIDDEN_LABEL for value in _cells(result)),
        "sums": [{"total": total, "parts": list(parts)} for total, parts in result.relations],
    }
