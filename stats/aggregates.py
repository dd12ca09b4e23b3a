"""Staff aggregates: the one road for every number a staff member sees.

Rollups (``rollups``) -> a period's catalogue of cells (``catalogue``) ->
disclosure control (``disclosure``) -> a frozen ``Publication``. The dashboard,
charts, CSV and the ``aggregates`` command all read publications through
``site_tables``; nothing else turns check-ins into numbers for staff.

A period is published once, when it is first looked at after it ended, after
every earlier period of the same site (months, then their quarter, then their
year). Its numbers never change afterwards, and each new publication is
protected taking all earlier ones as given.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from questionnaire.models import Rollup
from questionnaire.rollups import ALL

from . import catalogue, disclosure, knowledge, periods
from .catalogue import HEADLINE_CELLS, MEANS, NO_ANSWER, Key
from .disclosure import suppress
from .models import Publication
from .relations import identities

MARKS = {"hidden": disclosure.HIDDEN, "withheld": disclosure.WITHHELD, "fewer": disclosure.FEWER_THAN_THRESHOLD,
         "linked": disclosure.LINKED}
CODES = {mark: code for code, mark in MARKS.items()}


def _code(key: Key) -> str:
    return "|".join(key)


def _key(code: str) -> Key:
    period, dimension, value = code.split("|", 2)
    return (period, dimension, value)


class Counts:
    """True counts of a site's cells, summed from its monthly rollups (one query)."""

    def __init__(self, site_key: int, until: datetime.date):
        self.first_month: datetime.date | None = None
        rows = Rollup.objects.filter(site_key=site_key, month__lt=until).values_list(
            "month", "dimension", "value", "count", "total"
        )
        self._months: dict[datetime.date, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        self._sums: dict[datetime.date, dict[str, tuple[int, int]]] = defaultdict(dict)
        for month, dimension, value, count, total in rows:
            self.first_month = min(self.first_month or month, month)
            if dimension in MEAN_SUMS:
                self._sums[month][dimension] = (count, total)
                continue
            for cat in catalogue.categories(dimension, value):
                self._months[month][(dimension, cat)] += count
        self._cache: dict[str, dict[Key, int]] = {}

    def of(self, period: periods.Period) -> dict[Key, int]:
        """Return the count of every cell of a period (zeros included)."""
        if period.label not in self._cache:
            found: dict[tuple[str, str], int] = defaultdict(int)
            for month in periods.months(period):
                for cell, count in self._months.get(month.start, {}).items():
                    found[cell] += count
            self._cache[period.label] = {key: found[(key[1], key[2])] for key in catalogue.build(period).cells}
        return self._cache[period.label]

    def sum_of(self, period: periods.Period, dimension: str) -> tuple[int, int]:
        """Return (how many, their sum) behind a mean over a period."""
        n = s = 0
        for month in periods.months(period):
            count, total = self._sums.get(month.start, {}).get(dimension, (0, 0))
            n, s = n + count, s + total
        return n, s


MEAN_SUMS = {sum_name for sum_name, _, _ in MEANS.values()}

# The headline figures of a period, as ``SiteTables.derived[label]`` holds them:
# a count, shares in percent of all check-ins, means to one decimal; None = hidden.
HEADLINES = ("checkins", "share_chronic_pain", "share_high_impact", "share_long_term_opioid",
             "mean_peg", "mean_ucla3", "share_support_usually")
HEADLINE_WORDS = {
    "checkins": "check-ins", "share_chronic_pain": "% chronic pain", "share_high_impact": "% high-impact chronic pain",
    "share_long_term_opioid": "% long-term opioid therapy", "mean_peg": "mean PEG", "mean_ucla3": "mean UCLA-3",
    "share_support_usually": "% support always or usually",
}


def _means(counts: Counts, period: periods.Period, threshold: int) -> dict[str, float | None]:
    """Return the means a period may publish: over groups of at least T check-ins.

    What each tells about the counts is part of the suppression problem.
    """
    out = {}
    for name, (sum_name, scale, _) in MEANS.items():
        n, s = counts.sum_of(period, sum_name)
        out[name] = round(s / scale / n, 1) if disclosure.mean_allowed(n, threshold=threshold) else None
    return out


def _derived(values: dict[Key, object], means: dict, period: periods.Period) -> dict:
    """Return the headline figures of a period from its shown cells and means.

    A share is shown only when every cell it is made of is shown: it then tells
    nothing the tables do not.
    """
    p = period.label
    total = values.get(catalogue.total_key(period))
    out = dict.fromkeys(HEADLINES)
    if not isinstance(total, int):
        return out
    out["checkins"] = total
    for name, cells in HEADLINE_CELLS.items():
        shown = [values.get((p, *cell)) for cell in cells]
        if total and all(isinstance(v, int) for v in shown):
            out[name] = round(100 * sum(shown) / total)
    out.update({name: means.get(name) for name in MEANS})
    return out


def _planned(period: periods.Period, counts: Counts, frozen: dict[Key, object], threshold: int) -> frozenset:
    """Return the cells the last month of a quarter hides so that its quarter can show them.

    A quarter's cell is the sum of its months' cells. When the earlier months hid a
    cell whose counts add up to less than T (one month's alone, or two small ones),
    showing the quarter's would give them away (the other months are shown), so the
    quarter would have to hide it too. Hiding this month's cell as well (a count of T
    or more) lets the quarter show the sum. The quarter's figures are what staff read
    most; a month gives up a figure so that its quarter keeps it. (Not when the
    quarter's rest of the line is small: its share is hidden anyway.)
    """
    if period.kind != periods.MONTH or period.start.month % 3:
        return frozenset()
    quarter = periods.Period(datetime.date(period.start.year, period.start.month - 2, 1), periods.QUARTER)
    earlier = [m for m in periods.months(quarter) if m != period]
    true, sums = counts.of(period), counts.of(quarter)
    everyone = sums[catalogue.total_key(quarter)]
    out = set()
    for key in catalogue.build(period).published:
        whole = sums.get((quarter.label, *key[1:]))
        if whole is None or key == catalogue.total_key(period) or true[key] < threshold \
                or 0 < everyone - whole < threshold:
            continue  # not a quarter cell; a small or a fixed count; a share the quarter cannot show
        marks = [frozen.get((m.label, *key[1:])) for m in earlier]
        if not all(isinstance(mark, int) or mark is disclosure.HIDDEN for mark in marks):
            continue  # a month withheld whole: the quarter's total hides with it
        hidden = [m for m, mark in zip(earlier, marks) if mark is disclosure.HIDDEN]
        if len(hidden) == 1 or (hidden and sum(counts.of(m)[(m.label, *key[1:])] for m in hidden) < threshold):
            out.add(key)
    return frozenset(out)


def _publish(site_key: int, period: periods.Period, counts: Counts, frozen: dict[Key, object],
             frozen_means: dict[str, dict], threshold: int, today: datetime.date) -> Publication:
    """Protect one period against everything published before it, and freeze it."""
    started, cpu = time.perf_counter(), time.process_time()
    cat = catalogue.build(period)
    true = counts.of(period)
    total_key = catalogue.total_key(period)
    means = dict.fromkeys(MEANS)
    linked: list[str] = []  # why the period was withheld whole, if it was
    if true[total_key] == 0:
        # No check-ins at all: every count is zero, and zero may be shown.
        values = dict.fromkeys(cat.published, 0)
        primary = complementary = 0
    elif not disclosure.period_publishable(true[total_key], threshold=threshold):
        values = dict.fromkeys(cat.published, disclosure.WITHHELD)
        values[total_key] = disclosure.FEWER_THAN_THRESHOLD
        primary = complementary = 0
    else:
        means = _means(counts, period, threshold)
        # A mean is not a cell the suppressor can hide: when the family fails with
        # the means, it is tried without one of them, then without both. In a month
        # or quarter, a mean can also cost the total (it would tie a small band down
        # through the group's size): then the choice showing more headline figures wins.
        shown = [name for name, mean in means.items() if mean is not None]
        tries = [means] + [{**means, name: None} for name in shown] + ([dict.fromkeys(MEANS)] if len(shown) > 1 else [])
        best = None

        def attempt(option):
            system = knowledge.build(period, counts=counts.of, published=frozen,
                                     means={**frozen_means, period.label: option}, threshold=threshold)
            return system, suppress.suppress(system, planned)

        planned = _planned(period, counts, frozen, threshold)
        tried = {}
        for n, option in enumerate(tries):
            system, outcome = tried.pop(n, None) or attempt(option)
            if outcome.failures:
                best = best or (-1, option, outcome)
                if n == 0 and outcome.unfixable and len(tries) > 2:
                    # Fewer means only widen what an attacker must allow: when even the
                    # choice without any mean fails with every new cell hidden, so does each.
                    tried[len(tries) - 1] = attempt(tries[-1])
                    if tried[len(tries) - 1][1].unfixable:
                        system, _ = tried.pop(len(tries) - 1)
                        break
                continue
            shown_values = {k: disclosure.HIDDEN if k in outcome.hidden else true[k] for k in cat.published}
            score = sum(v is not None for v in _derived(shown_values, option, period).values())
            if best is None or score > best[0]:
                best = (score, option, outcome)
            if total_key not in outcome.hidden or period.kind == periods.YEAR:
                break
        _, means, outcome = best
        values = {k: disclosure.HIDDEN if k in outcome.hidden else true[k] for k in cat.published}
        primary, complementary = len(outcome.primary), len(outcome.complementary)
        if outcome.failures:
            # No choice of hidden cells protects the family: the period is withheld
            # whole, publishing no new number, so all that held before still holds.
            # (A cell the earlier numbers fix, such as a total that is the sum of its
            # months, is stored as it is: it tells nothing new, and a reader can add.)
            known = suppress.fixed(system)
            values = {k: true[k] if k in known and not 0 < true[k] < threshold else disclosure.WITHHELD
                      for k in cat.published}
            if not isinstance(values[total_key], int):
                values[total_key] = disclosure.LINKED
            means = dict.fromkeys(MEANS)
            primary = complementary = 0
            linked = list(outcome.failures)
    derived = {period.label: dict.fromkeys(HEADLINES) if linked else _derived(values, means, period)}
    for month in periods.months(period) if period.kind != periods.MONTH else ():
        month_values = {k: v for k, v in frozen.items() if k[0] == month.label}
        derived[month.label] = _derived(month_values, frozen_means.get(month.label, {}), month)
    data = {
        "format": FORMAT,
        "cells": {_code(k): CODES.get(v, v) if isinstance(v, disclosure.Mark) else v for k, v in values.items()},
        "means": means,
        "derived": derived,
        "hidden": {"primary": primary, "complementary": complementary},
        "audit": [],  # what is published passes the audit: a period that would not is withheld whole
        **({"linked": linked[:5]} if linked else {}),
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
    }
    return Publication(
        site_key=site_key, period=period.label, threshold=threshold, published_on=today, data=data,
    )


FORMAT = 4  # stored in each publication's data; older ones are made again
# (3: a hidden small count must be able to reach T; "it could be 0" no longer protects it;
# 4: a month publishes each headline cell and the rest of its line, no finer cells)


def _current(site_key: int, threshold: int):
    return Publication.objects.filter(site_key=site_key, threshold=threshold, data__format=FORMAT)


def _frozen(publications) -> dict[Key, object]:
    out = {}
    for pub in publications:
        for code, value in pub.data["cells"].items():
            out[_key(code)] = MARKS.get(value, value)
    return out


class NotPublished(LookupError):
    """Raised by ``site_tables(publish=False)`` for a period not published yet."""


def publish_until(*, site_key: int, period: periods.Period, today: datetime.date, threshold: int) -> list[Publication]:
    """Publish every complete period of the site up to ``period``, in order; return all
    of the site's publications (earlier ones untouched)."""
    if not periods.is_complete(period, today):
        raise ValueError(f"{period} is not over yet; only complete periods are published.")
    # Publications made before the catalogue or its protection last changed (an
    # older "format", or none) do not fit the present rules: the protection of a
    # new period must know exactly which cells are out. They are made again, once.
    # (Whoever saw both versions could compare them: the same risk as with any
    # change of what is published, taken once per change.)
    Publication.objects.filter(site_key=site_key, threshold=threshold).exclude(
        pk__in=_current(site_key, threshold).values("pk")).delete()
    existing = {p.period: p for p in _current(site_key, threshold)}
    counts = Counts(site_key, period.end)
    first = min(counts.first_month or period.start, period.start)
    frozen = _frozen(existing.values())
    frozen_means = {label: pub.data.get("means", {}) for label, pub in existing.items()}
    for step in periods.publication_order(first, period.end):
        if step.label in existing:
            continue
        pub = _publish(site_key, step, counts, frozen, frozen_means, threshold, today)
        try:
            with transaction.atomic():
                pub.save()
        except IntegrityError:
            # Another process published it first: its numbers are the frozen ones.
            pub = Publication.objects.get(site_key=site_key, period=step.label, threshold=threshold)
        existing[step.label] = pub
        frozen.update(_frozen([pub]))
        frozen_means[step.label] = pub.data.get("means", {})
    return list(existing.values())


def audit_published(*, site_key: int, threshold: int) -> dict[str, list[str]]:
    """Audit everything published for a site, family by family; return the failures by period.

    Each year with its quarters and months, each quarter not in a published year,
    each month not in a published quarter: the same attacker as when they were
    published, with every number now out.
    """
    from .disclosure import audit

    pubs = {p.period: p for p in _current(site_key, threshold)}
    if not pubs:
        return {}
    frozen = _frozen(pubs.values())
    means = {label: pub.data.get("means", {}) for label, pub in pubs.items()}
    found = {periods.parse(label) for label in pubs}
    tops = [p for p in found if not any(p != q and p in knowledge.family(q) for q in found)]
    counts = Counts(site_key, max(p.end for p in found))
    out = {}
    for top in sorted(tops):
        if pubs[top.label].data["cells"][_code(catalogue.total_key(top))] in ("fewer", 0):
            continue
        system = knowledge.build(top, counts=counts.of, published=frozen, means=means, threshold=threshold,
                                 new=False)
        out[top.label] = [f.what for f in audit.failures(system, set())]
    return out


def figures(pub: Publication) -> dict:
    """Return what a publication gives staff and what it cost.

    ``answers_shown``: over the question tables with one answer per check-in,
    the share of answers that sit in shown cells (None when nothing is shown).
    """
    label = pub.period
    cells = {_key(code): v for code, v in pub.data["cells"].items()}
    total = cells.get((label, "total", ALL))
    questions = {code for code, d in catalogue.DIMENSIONS.items() if d.question and not d.multi}
    tables = {k[1] for k in cells if k[1] in questions}
    answers = None
    if isinstance(total, int) and total and tables:
        answers = sum(v for k, v in cells.items() if k[1] in tables and isinstance(v, int)) / (total * len(tables))
    derived = pub.data["derived"].get(label, {})
    return {
        "checkins": total if isinstance(total, int) else None,
        "withheld": total == "fewer",
        "linked": bool(pub.data.get("linked")),
        "shown": sum(1 for v in cells.values() if isinstance(v, int)),
        "hidden": sum(1 for v in cells.values() if not isinstance(v, int)),
        "headline": sum(1 for name in HEADLINES if derived.get(name) is not None),
        "answers_shown": answers,
        "seconds": pub.data.get("seconds"),
        "cpu_seconds": pub.data.get("cpu_seconds"),
        "audit": list(pub.data.get("audit", [])),
    }


def ceilings(counts: Counts, period: periods.Period, threshold: int) -> dict:
    """Return the most any choice of hidden cells could show of a period (for benchmarks).

    ``headline``: the headline figures the cell-size rule itself allows (a share
    whose count and rest are each 0 or T or more; a mean over T or more).
    ``answers``: over the question tables, the largest share of answers in shown
    cells with the total shown: a line with counts from 1 to T-1 hides them and,
    as its hidden part must reach T, more until it does (None: nothing shown).
    """
    true = counts.of(period)
    everyone = true[catalogue.total_key(period)]
    if everyone < threshold:
        return {"headline": int(everyone == 0), "answers": None}  # (no check-ins: "0" is shown)

    def share_allowed(cells) -> bool:
        count = sum(true[(period.label, *cell)] for cell in cells)
        return all(n == 0 or n >= threshold for n in (count, everyone - count))

    headline = 1 + sum(share_allowed(cells) for cells in HEADLINE_CELLS.values())
    headline += sum(disclosure.mean_allowed(counts.sum_of(period, sum_name)[0], threshold=threshold)
                    for sum_name, _, _ in MEANS.values())
    shown = catalogue.build(period).published
    lines = [[true[k] for k in shown if k[1] == d.code] for d in catalogue.DIMENSIONS.values()
             if d.question and not d.multi]
    lines = [line for line in lines if line]
    lost = 0
    for line in lines:
        values = sorted(line)
        small = [n for n in values if 0 < n < threshold]
        if not small:
            continue
        hidden, rest = sum(small), [n for n in values if n >= threshold]
        if len(small) < 2 or hidden < threshold:
            hidden += next((n for n in rest if hidden + n >= threshold), sum(rest))
        lost += hidden
    answers = 1 - lost / (everyone * len(lines)) if lines else None
    return {"headline": headline, "answers": answers}


@dataclass(frozen=True)
class ShownTable:
    """A table ready to show: every count is an int or the one hidden marker."""

    id: str
    title: str
    row_title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple, object], ...]  # (label, values, row margin or None)
    column_margins: tuple
    grand_total: object


@dataclass(frozen=True)
class SiteTables:
    period: periods.Period
    threshold: int
    withheld: bool  # fewer than T check-ins, or withheld whole (``linked``): nothing else is shown
    tables: tuple[ShownTable, ...]
    derived: dict  # period label -> {"mean_peg", "mean_ucla3", "share_chronic_pain"}
    hidden: dict  # {"primary": n, "complementary": n} for this period's own cells
    relations: tuple  # (total, parts) as cell codes, for outside audit
    linked: bool = False  # withheld whole so that small numbers in linked periods stay hidden


def _show(value) -> object:
    if value in ("hidden", "withheld"):
        return disclosure.HIDDEN_LABEL
    return value


def site_keys() -> list[int]:
    """Return the key of every site with check-ins or a community, "no community" (0) first."""
    from questionnaire.models import Site

    keys = set(Rollup.objects.values_list("site_key", flat=True).distinct())
    keys |= set(Site.objects.values_list("pk", flat=True))
    return sorted(keys | {0})


def publish_all(*, today: datetime.date, threshold: int) -> list[Publication]:
    """Publish every complete period of every site not published yet; return the new ones.

    Idempotent, and safe while people submit: only complete periods are published,
    and check-ins only ever arrive in the running month.
    """
    made = []
    last = periods.Period(periods.month(today).start, periods.MONTH)
    previous = periods.Period(datetime.date(last.start.year - (last.start.month == 1),
                                            (last.start.month - 2) % 12 + 1, 1), periods.MONTH)
    if not periods.is_complete(previous, today):
        return made
    for key in site_keys():
        before = set(_current(key, threshold).values_list("period", flat=True))
        for pub in publish_until(site_key=key, period=previous, today=today, threshold=threshold):
            if pub.period not in before:
                made.append(pub)
    return made


_KIND_ORDER = {periods.MONTH: 0, periods.QUARTER: 1, periods.YEAR: 2}


def published_periods(*, site_key: int, threshold: int) -> list[periods.Period]:
    """Return the site's published periods, newest first (a month before its quarter and year)."""
    found = [periods.parse(label) for label in
             _current(site_key, threshold).values_list("period", flat=True)]
    return sorted(found, key=lambda p: (-p.end.toordinal(), _KIND_ORDER[p.kind]))


@functools.lru_cache(maxsize=256)
def _layout(period: periods.Period) -> tuple[catalogue.Catalogue, tuple]:
    """Return a period's catalogue and the sums a reader may check (cell codes).

    Both follow from the period alone, so each process works them out once per
    period instead of on every look (they cost more than the rest of a look).
    """
    cat = catalogue.build(period)
    # The printed sums and the identities among cells that are published (a month's
    # unpublished cells take part in the protection, but no reader sees them).
    published = set(cat.published) | {k for m in periods.parts(period) for k in catalogue.build(m).published}
    sums = list(cat.relations + cat.links)
    sums += [((period.label, *t), tuple((period.label, *p) for p in parts)) for t, parts in identities()]
    relations = tuple((_code(t), tuple(_code(p) for p in parts)) for t, parts in sums
                      if t in published and published.issuperset(parts))
    return cat, relations


def site_tables(*, site_key: int, period: periods.Period, today: datetime.date, threshold: int,
                publish: bool = True) -> SiteTables:
    """Return a period's published tables for a site.

    With ``publish`` (the default) a complete period not published yet is published
    first, after every earlier one; without it, ``NotPublished`` is raised instead.

    A look reads only the publications it shows (the period and its months), in
    one query, so its cost does not grow with the site's history or data.
    """
    labels = [period.label] + [m.label for m in periods.months(period)]
    pubs = {p.period: p for p in _current(site_key, threshold).filter(period__in=labels)}
    if period.label not in pubs:
        if not publish:
            raise NotPublished(f"{period} is not published yet for this site.")
        pubs = {p.period: p for p in publish_until(site_key=site_key, period=period, today=today, threshold=threshold)}
    values = {}
    for label in labels:
        if label in pubs:
            values.update({_key(c): v for c, v in pubs[label].data["cells"].items()})
    pub = pubs[period.label]
    cat, relations = _layout(period)
    linked = bool(pub.data.get("linked"))
    withheld = linked or values[catalogue.total_key(period)] == "fewer"
    tables = []
    if not withheld:
        for table in cat.tables:
            tables.append(ShownTable(
                table.id, table.title, table.row_title, table.columns,
                tuple((label, tuple(_show(values.get(k, "withheld")) for k in keys),
                       _show(values[m]) if m else None) for label, keys, m in table.rows),
                tuple(_show(values[k]) for k in table.column_margins),
                _show(values[table.grand_total]) if table.grand_total else None,
            ))
    return SiteTables(period, threshold, withheld, tuple(tables), pub.data["derived"], pub.data["hidden"], relations,
                      linked)


def _fmt(value) -> str:
    return "" if value is None else str(value)


def as_text(result: SiteTables, site_name: str) -> str:
    """Return the tables as plain text, hidden cells shown by the one marker."""
    out = [f"{site_name}: {result.period.title} (published period {result.period.label})",
           f"Counts from 1 to {result.threshold - 1} and the cells that would give them away "
           f"are shown as \"{disclosure.HIDDEN_LABEL}\"."]
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
    out += ["", "Means and shares (only for groups of at least "
            f"{result.threshold} whose rest is 0 or at least {result.threshold}):"]
    for label, numbers in sorted(result.derived.items()):
        out.append(f"  {label}: " + ", ".join(
            f"{HEADLINE_WORDS[k]} {v if v is not None else disclosure.HIDDEN_LABEL}" for k, v in numbers.items()))
    return "\n".join(out) + "\n"


def as_json(result: SiteTables, site_name: str) -> dict:
    """Return the tables, every cell with its hidden flag, and the sums linking cells."""
    return {
        "site": site_name,
        "period": result.period.label,
        "threshold": result.threshold,
        "withheld": result.withheld,
        "linked": result.linked,
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
        "hidden_counts": result.hidden,
        "sums": [{"total": total, "parts": list(parts)} for total, parts in result.relations],
    }


def headlines(*, site_keys, threshold: int, periods_by_site: dict[int, periods.Period]) -> dict[int, dict]:
    """Return the frozen headline figures (``derived[period]``) of one published period per
    site, in one query: for the staff home and the previous period's check-ins."""
    wanted = {key: period.label for key, period in periods_by_site.items() if key in set(site_keys)}
    rows = Publication.objects.filter(site_key__in=list(wanted), period__in=set(wanted.values()),
                                      threshold=threshold, data__format=FORMAT,
                                      ).values_list("site_key", "period", "data__derived")
    return {key: (derived or {}).get(label, {}) for key, label, derived in rows if wanted.get(key) == label}
