"""The catalogue of published tables: which cells exist for a period, how they add
up, and how they are laid out as tables. Pure: no database.

A cell is keyed ``(period label, dimension, category)``. Categories are what we
choose to publish, coarser than what a rollup stores (``category`` maps one to
the other): one "no answer" cell per question (not answered and "prefer not to
say" together), the 0-10 PEG items as three bands, multi-select options counted
once each (the "did not choose" copy is not published). The results items
shown are not published at all: each is a function of the answers, so it would
be a second copy of cells we already publish, and a way round their protection.

A cell that appears in two tables (a distribution and the margin of a cross-tab
built on it, a month's total and a row of its quarter's trend) is the same
cell, so it is protected once and shows the same everywhere.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from django.utils import translation

from questionnaire import instruments as ins
from questionnaire.rollups import ALL, CROSS_TABS, NOT_ANSWERED, PEG_BANDS, UCLA3_BANDS, UNKNOWN

from .periods import MONTH, WINDOW, Period, months, parts

Key = tuple[str, str, str]
NO_ANSWER = "no_answer"
ITEM_BANDS = (("0-3", range(0, 4)), ("4-6", range(4, 7)), ("7-10", range(7, 11)))

INTERIOR, MARGIN, HEADLINE, TOTAL = "interior", "margin", "headline", "total"

# Answers published together: the five-point support question as three groups
# (the national benchmark is "always or usually"), so that one small answer
# does not hide its neighbours.
MERGED = {
    "support": (
        ("always_usually", "Always or usually", ("always", "usually")),
        ("sometimes", "Sometimes", ("sometimes",)),
        ("rarely_never", "Rarely or never", ("rarely", "never")),
    ),
}
# Questions not published as tables: how long an opioid has been taken is
# "3 months or more" exactly when the long-term opioid flag is "yes", and
# otherwise nearly always "not asked"; the flag says it once.
UNPUBLISHED = frozenset({"opioid_duration"})

# Publication formats. A publication keeps the format it was made in, forever: its
# cells, its tables and the words under them are those of that format, and a later
# change of the catalogue applies to periods not yet published (and to a period an
# operator publishes again on purpose, as a new version beside the old one:
# ``publishing.republish``). What each format changed, as staff read it:
FORMAT = 5  # the format new publications are made in
FORMATS = {
    3: "A month showed whole answer lines for its headline figures and score bands.",
    4: "A month shows each headline figure beside the rest of its line, no finer cells.",
    5: "The pain medicines table shows \u201cMedication for opioid use disorder\u201d.",
}
# Cells a format publishes that earlier formats did not (they still exist, and
# count, in every period: in an older publication they are unknowns like a
# month's unpublished cells). (dimension, category) -> the first format.
ADDED = {("medicines", "moud"): 5}
MONTH_WHOLE_BEFORE_4 = ("chronic_pain", "high_impact_chronic_pain", "long_term_opioid", "support",
                        "peg_band", "ucla3_band")  # what a month published in format 3

# The cells behind the headline shares (share of all check-ins in the period).
HEADLINE_CELLS = {
    "share_chronic_pain": (("chronic_pain", "yes"),),
    "share_high_impact": (("high_impact_chronic_pain", "yes"),),
    "share_long_term_opioid": (("long_term_opioid", "yes"),),
    "share_support_usually": (("support", "always_usually"),),
}
# The means: (sum dimension, divisor of the stored sum, dimension whose NO_ANSWER
# cell is the check-ins without a score).
MEANS = {"mean_peg": ("peg_sum", 10, "peg_band"), "mean_ucla3": ("ucla3_sum", 1, "ucla3_band")}


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str
    values: tuple[tuple[str, str], ...]  # (category, label), "no answer" included
    multi: bool = False  # a check-in may count in several categories (or none)
    question: bool = True  # a question's own answers (counted in "answers in shown cells")


def _no_answer(label: str = "No answer") -> tuple[tuple[str, str], ...]:
    return ((NO_ANSWER, label),)


def _flag(code: str, title: str) -> Dimension:
    return Dimension(code, title, (("yes", "Yes"), ("no", "No"), (UNKNOWN, "Cannot tell from the answers")),
                     question=False)


def dimensions() -> tuple[Dimension, ...]:
    """Return every published dimension, in the order staff see them.

    Staff pages and exports are in English: the labels are the instruments' own
    (the person's side shows the same ones, translated), taken in English here.
    """
    with translation.override("en"):
        return tuple(_english(d) for d in _dimensions())


def _english(d: Dimension) -> Dimension:
    return replace(d, title=str(d.title), values=tuple((code, str(label)) for code, label in d.values))


def _dimensions() -> list[Dimension]:
    out = []
    for q in ins.QUESTIONS:
        if q.kind == ins.SINGLE and q.code in MERGED:
            out.append(Dimension(q.code, q.short, tuple((v, label) for v, label, _ in MERGED[q.code]) + _no_answer()))
        elif q.kind == ins.SINGLE:
            out.append(Dimension(q.code, q.short, q.choices + _no_answer()))
        elif q.kind == ins.SCALE:
            out.append(Dimension(q.code, q.short, tuple((b, b) for b, _ in ITEM_BANDS) + _no_answer()))
        elif q.kind == ins.MULTI:
            out.append(Dimension(q.code, q.short, q.choices + _no_answer(), multi=True))
        else:
            out += [
                Dimension(ins.coping_field(option), label, ins.COPING_STATES + _no_answer())
                for option, label in q.rows
            ]
    out += [
        _flag("chronic_pain", "Chronic pain (most days or every day, past 3 months)"),
        _flag("high_impact_chronic_pain", "High-impact chronic pain"),
        _flag("long_term_opioid", "Long-term opioid therapy (3 months or more)"),
        Dimension("peg_band", "PEG pain score band", tuple((b, b) for b in PEG_BANDS) + _no_answer("No score"),
                  question=False),
        Dimension("ucla3_band", "UCLA-3 loneliness score band",
                  tuple((b, b) for b in UCLA3_BANDS) + _no_answer("No score"), question=False),
    ]
    return out


DIMENSIONS = {d.code: d for d in dimensions()}


def category(dimension: str, value: str) -> str | None:
    """Return the published category of a rollup's (dimension, value), or None if unpublished."""
    if dimension == "total":
        return ALL
    if "*" in dimension:
        rows, cols = dimension.split("*")
        rv, cv = value.split("*")
        r, c = category(rows, rv), category(cols, cv)
        return None if r is None or c is None else f"{r}*{c}"
    d = DIMENSIONS.get(dimension)
    if d is None:
        return None  # results items, sums behind means
    if value in (NOT_ANSWERED, ins.PREFER_NOT):
        return UNKNOWN if dimension in ("chronic_pain", "high_impact_chronic_pain", "long_term_opioid") else NO_ANSWER
    if dimension in MERGED:
        return next(v for v, _, values in MERGED[dimension] if value in values)
    question = ins.BY_CODE.get(dimension)
    if question is not None and question.kind == ins.SCALE:
        return next(band for band, numbers in ITEM_BANDS if int(value) in numbers)
    return value


def categories(dimension: str, value: str) -> tuple[str, ...]:
    """Return every published category a rollup's (dimension, value) counts in: its
    own (``category``) and, for a month, the rest of a split line (``composite``)."""
    cat = category(dimension, value)
    if cat is None:
        return ()
    rest = composite(dimension, cat)
    return (cat,) if rest is None else (cat, rest)


@dataclass(frozen=True)
class Table:
    """A table as staff see it: rows x columns of cell keys, with margins."""

    id: str
    title: str
    row_title: str
    rows: tuple[tuple[str, tuple[Key, ...], Key | None], ...]  # (label, cells, row margin)
    columns: tuple[str, ...]
    column_margins: tuple[Key, ...] = ()  # one per column, under the table
    grand_total: Key | None = None


# A month holds about a quarter of a quarter's check-ins: most of its question
# cells would be hidden anyway, and every cell it shows ties its quarter's hands
# (a quarter cell is the sum of three month cells: when one month hides a cell the
# others show, the quarter must hide it too). So a month publishes its trend
# figures only: the total, the means, and for each headline figure its own cell
# and the rest of its line as one cell ("No, or cannot tell"). Its other cells
# still exist, unknown to everyone, so that the quarter's cells remain sums of
# month cells, and the quarter's finer cells are free of what its months hid.
REST = "rest"
MONTH_SPLIT = {
    "chronic_pain": ("yes", "No, or cannot tell"),
    "high_impact_chronic_pain": ("yes", "No, or cannot tell"),
    "long_term_opioid": ("yes", "No, or cannot tell"),
    "support": ("always_usually", "Sometimes, rarely, never, or no answer"),
}
MONTH_DIMENSIONS = tuple(MONTH_SPLIT)


def composite(dimension: str, cat: str) -> str | None:
    """Return the month cell that also counts a check-in of ``(dimension, cat)`` (None: none)."""
    split = MONTH_SPLIT.get(dimension)
    return REST if split is not None and cat != split[0] else None


@dataclass(frozen=True)
class Catalogue:
    """Every cell of one period, the sums the tables print, and the tables showing them."""

    period: Period
    cells: dict[Key, str]  # key -> INTERIOR / MARGIN / HEADLINE / TOTAL (how dear it is to hide)
    published: frozenset  # the cells this period publishes (a month: its trend figures only)
    relations: tuple[tuple[Key, tuple[Key, ...]], ...]  # total = sum(parts), inside the period
    links: tuple[tuple[Key, tuple[Key, ...]], ...]  # this period's cell = sum of its parts' cells
    tables: tuple[Table, ...]


def total_key(period: Period) -> Key:
    return (period.label, "total", ALL)


def cross_tabs() -> tuple[tuple[str, str], ...]:
    return CROSS_TABS


def in_format(cell: tuple[str, str], fmt: int) -> bool:
    """Return True if a publication of format ``fmt`` has the (dimension, category) cell."""
    return fmt >= ADDED.get(cell, 0)


@functools.lru_cache(maxsize=512)
def build(period: Period, fmt: int = FORMAT) -> Catalogue:
    """Return the catalogue of one period as format ``fmt`` publishes it (the cells
    exist whatever their counts).

    ``cells``, ``relations`` and ``links`` are the same in every format (they are
    facts about the counts); ``published`` and ``tables`` are what a publication of
    that format holds and shows. Worked out once per period, format and process
    (it follows from them alone), and shared: callers read it, never change it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Format {fmt} is not one this catalogue knows ({', '.join(map(str, FORMATS))}).")
    if period.kind == WINDOW:
        return _window(period)  # first published in format 5: the same in every format since
    p = period.label
    total = total_key(period)
    dims = DIMENSIONS
    cells: dict[Key, str] = {total: TOTAL}
    relations: list[tuple[Key, tuple[Key, ...]]] = []
    tables: list[Table] = []
    margins = {code for pair in CROSS_TABS for code in pair}
    headline = {cell for cells_ in HEADLINE_CELLS.values() for cell in cells_}

    month = period.kind == MONTH
    whole_months = month and fmt < 4  # format 3: a month's lines shown whole, not split
    shown_dims = (set(MONTH_WHOLE_BEFORE_4 if whole_months else MONTH_DIMENSIONS) if month else set(dims)) - UNPUBLISHED
    split = {}  # a month's published cells of a split dimension: its headline cell and the rest
    for d in dims.values():
        keys = tuple((p, d.code, value) for value, _ in d.values)
        for (value, _), key in zip(d.values, keys):
            cells[key] = HEADLINE if (d.code, value) in headline else MARGIN if d.code in margins else INTERIOR
        rows = tuple((label, (key,), None) for (_, label), key in zip(d.values, keys)
                     if in_format((d.code, key[2]), fmt))
        if month and d.code in MONTH_SPLIT:
            head, rest_label = MONTH_SPLIT[d.code]
            rest = (p, d.code, REST)
            cells[rest] = INTERIOR
            relations.append((rest, tuple(k for k in keys if k[2] != head)))
            relations.append((total, keys))
            relations.append((total, ((p, d.code, head), rest)))
            split[d.code] = ((p, d.code, head), rest)
            if whole_months:
                tables.append(Table(f"dist:{d.code}", d.title, "Answer", rows, ("Check-ins",), (total,), total))
                continue
            rows = ((dict(d.values)[head], ((p, d.code, head),), None), (rest_label, (rest,), None))
            tables.append(Table(f"dist:{d.code}", d.title, "Answer", rows, ("Check-ins",), (total,), total))
            continue
        if d.code not in shown_dims:
            if not d.multi:
                relations.append((total, keys))
            continue
        if d.multi:
            # Each option counts the check-ins that chose it: the column does not add up.
            tables.append(Table(f"multi:{d.code}", d.title, "Answer", rows, ("Check-ins",)))
        else:
            relations.append((total, keys))
            tables.append(Table(f"dist:{d.code}", d.title, "Answer", rows, ("Check-ins",), (total,), total))

    for row_code, col_code in CROSS_TABS:
        rdim, cdim = dims[row_code], dims[col_code]
        code = f"{row_code}*{col_code}"
        grid = {(rv, cv): (p, code, f"{rv}*{cv}") for rv, _ in rdim.values for cv, _ in cdim.values}
        for key in grid.values():
            cells[key] = INTERIOR
        for rv, _ in rdim.values:
            relations.append(((p, row_code, rv), tuple(grid[(rv, cv)] for cv, _ in cdim.values)))
        for cv, _ in cdim.values:
            relations.append(((p, col_code, cv), tuple(grid[(rv, cv)] for rv, _ in rdim.values)))
        if month:
            continue
        tables.append(
            Table(
                f"cross:{code}", f"{rdim.title} by {cdim.title}", rdim.title,
                tuple(
                    (rl, tuple(grid[(rv, cv)] for cv, _ in cdim.values), (p, row_code, rv))
                    for rv, rl in rdim.values
                ),
                tuple(label for _, label in cdim.values),
                tuple((p, col_code, cv) for cv, _ in cdim.values),
                total,
            )
        )

    tables.insert(0, Table("total", "Shared check-ins", "", (("All shared check-ins", (total,), None),), ("Check-ins",)))
    if parts(period):
        # The monthly trend: each month's total (a cell of that month's own
        # publication) is a row; together they add up to this period's total.
        tables.insert(1, Table("trend", "Check-ins by month", "Month",
                               tuple((m.title, (total_key(m),), None) for m in months(period)),
                               ("Check-ins",), (total,), total))

    links = tuple(
        (key, tuple((part.label, key[1], key[2]) for part in parts(period))) for key in cells
    ) if parts(period) else ()
    if month and not whole_months:
        published = frozenset({total, *(k for pair in split.values() for k in pair)})
    else:
        published = frozenset(k for k in cells if (k[1] == "total" or k[1] in shown_dims or ("*" in k[1] and not month))
                              and k[2] != REST and in_format(k[1:], fmt))
    return Catalogue(period, cells, published, tuple(relations), links, tuple(tables))


def _window(period: Period) -> Catalogue:
    """Return the catalogue of a rolling window of four quarters: what the pooled figures need.

    Only the total and, for each headline share, its cell and the rest of its line
    (as a month publishes them): every cell is the sum of its four quarters' cells,
    so the window is linked to them, and through them to every other period.
    Publishing no more keeps the linked system small.
    """
    p = period.label
    total = total_key(period)
    headline = {cell for cells_ in HEADLINE_CELLS.values() for cell in cells_}
    cells: dict[Key, str] = {total: TOTAL}
    relations: list[tuple[Key, tuple[Key, ...]]] = []
    published = {total}
    tables = [Table("total", "Shared check-ins", "", (("All shared check-ins", (total,), None),), ("Check-ins",))]
    for code, (head, rest_label) in MONTH_SPLIT.items():
        d = DIMENSIONS[code]
        keys = tuple((p, code, value) for value, _ in d.values)
        for key in keys:
            cells[key] = HEADLINE if (code, key[2]) in headline else INTERIOR
        rest = (p, code, REST)
        cells[rest] = INTERIOR
        relations += [(total, keys), (rest, tuple(k for k in keys if k[2] != head)), (total, ((p, code, head), rest))]
        published |= {(p, code, head), rest}
        rows = ((dict(d.values)[head], ((p, code, head),), None), (rest_label, (rest,), None))
        tables.append(Table(f"dist:{code}", d.title, "Answer", rows, ("Check-ins",), (total,), total))
    links = tuple((key, tuple((q.label, key[1], key[2]) for q in parts(period)))
                  for key in cells if key[2] != REST)
    return Catalogue(period, cells, frozenset(published), tuple(relations), links, tuple(tables))
