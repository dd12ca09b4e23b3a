"""Reading what is published: the one road for every number a staff member sees.

The dashboard, the print view, the CSV (``views``) and the ``aggregates``
command read publications only through these selectors. They are read-only:
nothing here publishes (``publishing`` does, from ``manage.py publish``) or
reads a true count, so a view written the obvious way cannot publish on a click.
Each period is shown as it was published, in its own format (its tables are
``catalogue.build(period, format)``): a category its format did not have is
absent, never "hidden" or 0. Where an operator published a period again
(``publishing.republish``), the newest version is shown, with when and why.

Where a cell is decided hidden: ``publishing`` (its ``_publish``, with
``disclosure.suppress``). Here a publication's stored cells are only laid out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet

from . import catalogue, disclosure, periods
from .catalogue import Key
from .models import Publication
from .relations import identities

FORMAT = catalogue.FORMAT  # stored in each new publication's data (what each changed: catalogue.FORMATS)

# How a publication stores a cell that is not a count.
MARKS = {"hidden": disclosure.HIDDEN, "withheld": disclosure.WITHHELD, "fewer": disclosure.FEWER_THAN_THRESHOLD,
         "linked": disclosure.LINKED}
CODES = {mark: code for code, mark in MARKS.items()}

# The headline figures of a period, as ``SiteTables.derived[label]`` holds them:
# a count, shares in percent of all check-ins, means to one decimal; None = hidden.
HEADLINES = ("checkins", "share_chronic_pain", "share_high_impact", "share_long_term_opioid",
             "mean_peg", "mean_ucla3", "share_support_usually")


def cell_code(key: Key) -> str:
    """Return how a publication names a cell: "period|dimension|value"."""
    return "|".join(key)


def cell_key(code: str) -> Key:
    """Return the cell a publication's code names."""
    period, dimension, value = code.split("|", 2)
    return (period, dimension, value)


def _present(threshold: int) -> QuerySet[Publication]:
    """Return the publications staff see: the newest version of each period, in a
    format the catalogue knows (one made before formats were numbered is kept, unread)."""
    newer = Publication.objects.filter(site_key=OuterRef("site_key"), period=OuterRef("period"),
                                       threshold=OuterRef("threshold"), version__gt=OuterRef("version"))
    return Publication.objects.filter(threshold=threshold, data__format__in=list(catalogue.FORMATS)).exclude(
        Exists(newer))


def publications(*, site_key: int, threshold: int) -> QuerySet[Publication]:
    """Return a site's publications as staff see them: the newest version of each period."""
    return _present(threshold).filter(site_key=site_key)


def every_version(*, site_key: int, threshold: int) -> QuerySet[Publication]:
    """Return every publication of a site ever made, older versions included, oldest first:
    all of it is out, so all of it is what a new publication is protected against."""
    return Publication.objects.filter(site_key=site_key, threshold=threshold).order_by("period", "version")


class NotPublished(LookupError):
    """Raised by ``site_tables`` for a period not published yet."""


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
    relations: tuple  # (total, parts) as cell codes, for outside audit
    linked: bool = False  # withheld whole so that small numbers in linked periods stay hidden
    # headline figure -> (published count or None for a mean, published number it is out of);
    # only for figures that are shown, so a count never says more than the figure.
    counts: dict = field(default_factory=dict)
    format: int = catalogue.FORMAT  # the format the period was published in
    # Categories of the present tables this period's format did not publish: (table title, answer).
    lacks: tuple[tuple[str, str], ...] = ()
    remade: Remade | None = None  # the period was published again: when and why
    # headline share hidden for this quarter -> its ``Pooled`` figure over the rolling window
    # of four quarters that ends with it, where that window shows it.
    pooled: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Remade:
    """A period published again on purpose: the first version stays stored, unchanged."""

    on: object  # datetime.date of this version
    first_on: object  # datetime.date of the first version
    version: int
    why: str  # what the new format adds, in staff words (``catalogue.FORMATS``)


@dataclass(frozen=True)
class Pooled:
    """A headline share over the last four quarters: never the quarter's own figure."""

    window: periods.Period
    value: int  # percent, as the window's publication stores it
    count: int
    denominator: int


def withheld_whole(pub: Publication) -> bool:
    """Return True if a publication was withheld whole so that linked small numbers stay hidden.

    (Publications made before this flag stored the failing cells under "linked";
    they are read the same way, and never printed.)
    """
    return bool(pub.data.get("withheld_whole") or pub.data.get("linked"))


_KIND_ORDER = {periods.MONTH: 0, periods.QUARTER: 1, periods.YEAR: 2, periods.WINDOW: 3}


def published_periods(*, site_key: int, threshold: int) -> list[periods.Period]:
    """Return the site's published periods, newest first (a month before its quarter, year and window)."""
    found = [periods.parse(label) for label in
             publications(site_key=site_key, threshold=threshold).values_list("period", flat=True)]
    return sorted(found, key=lambda p: (-p.end.toordinal(), _KIND_ORDER[p.kind]))


def latest_quarters(*, site_keys, threshold: int) -> dict[int, periods.Period]:
    """Return each site's latest published quarter (sites with none are left out), in one query."""
    latest: dict[int, periods.Period] = {}
    rows = _present(threshold).filter(site_key__in=list(site_keys), period__contains="-Q").exclude(
        period__endswith=periods.WINDOW_SUFFIX).values_list("site_key", "period")
    for key, label in rows:
        quarter = periods.parse(label)
        if key not in latest or quarter > latest[key]:
            latest[key] = quarter
    return latest


def headlines(*, site_keys, threshold: int, periods_by_site: dict[int, periods.Period]) -> dict[int, dict]:
    """Return the frozen headline figures (``derived[period]``) of one published period per
    site, in one query: for the staff home and the previous period's check-ins."""
    wanted = {key: period.label for key, period in periods_by_site.items() if key in set(site_keys)}
    rows = _present(threshold).filter(site_key__in=list(wanted), period__in=set(wanted.values())).values_list(
        "site_key", "period", "data__derived")
    return {key: (derived or {}).get(label, {}) for key, label, derived in rows if wanted.get(key) == label}


def headline_series(*, site_key: int, threshold: int, periods_wanted) -> dict[str, dict]:
    """Return the frozen headline figures (``derived[period]``) of each named period
    that is published for a site, in one query (for the trends across periods).
    A period left out is not published; a withheld one has every figure None."""
    wanted = {p.label for p in periods_wanted}
    rows = publications(site_key=site_key, threshold=threshold).filter(period__in=wanted).values_list(
        "period", "data__derived")
    return {label: (derived or {}).get(label, {}) for label, derived in rows}


def offered_periods(*, site_key: int, threshold: int) -> list[periods.Period]:
    """Return the published periods a staff member may choose, newest first: those
    from the community's first month with check-ins on (one query).

    Periods before it are published as zero check-ins; they are not offered, so
    "no check-ins yet" never looks like "hidden". With no check-ins at all, none.
    """
    rows = publications(site_key=site_key, threshold=threshold).exclude(
        period__endswith=periods.WINDOW_SUFFIX).values_list("period", "data__derived")
    found, started = [], []  # (a window is shown in its last quarter's cards, not as a page)
    for label, derived in rows:
        period = periods.parse(label)
        found.append(period)
        if ((derived or {}).get(label) or {}).get("checkins") != 0:
            started.append(period)
    if not started:
        return []
    months = [p for p in started if p.kind == periods.MONTH]
    start = min(p.start for p in (months or started))
    return sorted((p for p in found if p.end > start), key=lambda p: (-p.end.toordinal(), _KIND_ORDER[p.kind]))


def published_on(*, site_key: int, period: periods.Period, threshold: int):
    """Return the day a period was published for a site (None if it is not)."""
    return (publications(site_key=site_key, threshold=threshold).filter(period=period.label)
            .values_list("published_on", flat=True).first())


@functools.lru_cache(maxsize=256)
def _layout(period: periods.Period, fmt: int, part_formats: tuple[int, ...]) -> tuple[catalogue.Catalogue, tuple]:
    """Return a period's catalogue in its format and the sums a reader may check (cell codes).

    Both follow from the period and the formats alone, so each process works them
    out once instead of on every look (they cost more than the rest of a look).
    """
    cat = catalogue.build(period, fmt)
    # The printed sums and the identities among cells that are published (a month's
    # unpublished cells take part in the protection, but no reader sees them).
    published = set(cat.published) | {k for m, f in zip(periods.parts(period), part_formats)
                                      for k in catalogue.build(m, f).published}
    sums = list(cat.relations + cat.links)
    sums += [((period.label, *t), tuple((period.label, *p) for p in parts)) for t, parts in identities()]
    relations = tuple((cell_code(t), tuple(cell_code(p) for p in parts)) for t, parts in sums
                      if t in published and published.issuperset(parts))
    return cat, relations


def _show(value) -> object:
    if value in ("hidden", "withheld"):
        return disclosure.HIDDEN_LABEL
    return value


def site_tables(*, site_key: int, period: periods.Period, threshold: int) -> SiteTables:
    """Return a period's published tables for a site; raise ``NotPublished`` if it is not.

    A look reads only the publications it shows (the period and its months; for a
    quarter, also the rolling window that ends with it), in one query, so its cost
    does not grow with the site's history or data.
    """
    labels = [period.label] + [m.label for m in periods.months(period)]
    window = periods.window(period) if period.kind == periods.QUARTER else None
    if window is not None:
        labels.append(window.label)
    pubs = {p.period: p for p in publications(site_key=site_key, threshold=threshold).filter(period__in=labels)}
    if period.label not in pubs:
        raise NotPublished(f"{period} is not published yet for this site.")
    values = {}
    for label in labels:
        if label in pubs:
            values.update({cell_key(c): v for c, v in pubs[label].data["cells"].items()})
    pub = pubs[period.label]
    fmt = pub.data["format"]
    part_formats = tuple(pubs[m.label].data["format"] if m.label in pubs else catalogue.FORMAT
                         for m in periods.parts(period))
    cat, relations = _layout(period, fmt, part_formats)
    linked = withheld_whole(pub)
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
    own = pub.data["derived"].get(period.label, {})
    counts = {} if withheld else _headline_counts(period, values, own)
    pooled = _pooled(window, pubs.get(window.label), own) if window and not linked else {}
    return SiteTables(period, threshold, withheld, tuple(tables), pub.data["derived"], relations, linked, counts,
                      fmt, () if withheld else _lacks(period, fmt), _remade(pub, site_key), pooled)


def _lacks(period: periods.Period, fmt: int) -> tuple[tuple[str, str], ...]:
    """Return the (table, answer) categories added since ``fmt`` (``catalogue.ADDED``) that
    the present tables of the period have and its own lack."""
    if fmt == catalogue.FORMAT:
        return ()
    present = catalogue.build(period).published - catalogue.build(period, fmt).published
    out = []
    for dimension, category in sorted({k[1:] for k in present if k[1:] in catalogue.ADDED}):
        d = catalogue.DIMENSIONS[dimension]
        out.append((d.title, dict(d.values).get(category, category)))
    return tuple(out)


def _remade(pub: Publication, site_key: int) -> Remade | None:
    """Return when and why a period was published again (None for a first version)."""
    if pub.version == 1:
        return None
    first_on = (Publication.objects.filter(site_key=site_key, period=pub.period, threshold=pub.threshold, version=1)
                .values_list("published_on", flat=True).first())
    why = pub.data.get("remade", {}).get("why") or catalogue.FORMATS[pub.data["format"]]
    return Remade(pub.published_on, first_on, pub.version, why)


def windows(*, site_key: int, threshold: int, quarters) -> list[SiteTables]:
    """Return the published tables of the rolling window ending with each of these quarters (if published)."""
    wanted = {periods.window(q).label for q in quarters if q.kind == periods.QUARTER}
    found = publications(site_key=site_key, threshold=threshold).filter(period__in=wanted).values_list(
        "period", flat=True)
    return [site_tables(site_key=site_key, period=periods.parse(label), threshold=threshold)
            for label in sorted(found)]


def _pooled(window: periods.Period, pub: Publication | None, own: dict) -> dict:
    """Return the window's shown figure for each headline share the quarter hides.

    Both are published numbers: the window's share, its cell and its total (the
    share's denominator, all check-ins of the four quarters).
    """
    if pub is None or withheld_whole(pub):
        return {}
    cells = {cell_key(c): v for c, v in pub.data["cells"].items()}
    total = cells.get(catalogue.total_key(window))
    derived = pub.data["derived"].get(window.label, {})
    out = {}
    for name, parts in catalogue.HEADLINE_CELLS.items():
        shown = [cells.get((window.label, *cell)) for cell in parts]
        if own.get(name) is None and derived.get(name) is not None and isinstance(total, int) \
                and all(isinstance(v, int) for v in shown):
            out[name] = Pooled(window, derived[name], sum(shown), total)
    return out


def _headline_counts(period: periods.Period, values: dict, own: dict) -> dict:
    """Return each shown headline figure's published count and denominator.

    A share is out of all check-ins of the period (no answer included); a mean is
    out of the check-ins with a score, when the published "no answer" cell says how many.
    """
    total = values.get(catalogue.total_key(period))
    if not isinstance(total, int):
        return {}
    out = {}
    for name, cells in catalogue.HEADLINE_CELLS.items():
        shown = [values.get((period.label, *cell)) for cell in cells]
        if own.get(name) is not None and all(isinstance(v, int) for v in shown):
            out[name] = (sum(shown), total)
    for name, (_, _, band) in catalogue.MEANS.items():
        missing = values.get((period.label, band, catalogue.NO_ANSWER))
        if own.get(name) is not None and isinstance(missing, int):
            out[name] = (None, total - missing)
    return out
