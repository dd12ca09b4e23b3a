"""The catalogue of published tables: which cells exist for a period, how they add
up, and how they are laid out as tables. Pure: no Django, no database.

A cell is keyed ``(period label, dimension, value)``, the same key as its rollup
(summed over the period's months). A cell that appears in two tables — a
question's distribution and the margin of a cross-tab built on it, or a month's
total and a row of its quarter's trend — is the same cell, so it is protected
once and shows the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaire import instruments as ins
from questionnaire.rollups import ALL, CROSS_TABS, NOT_ANSWERED, PEG_BANDS, UCLA3_BANDS, UNKNOWN

from .periods import Period, months, parts

Key = tuple[str, str, str]
NOT = "!"  # prefix of the "did not choose" cell of a multi-select option

INTERIOR, MARGIN, TOTAL = "interior", "margin", "total"


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str
    values: tuple[tuple[str, str], ...]  # (value, label), "not answered" included
    multi: bool = False  # options counted separately (chose it / did not)


def _flag(code: str, title: str) -> Dimension:
    return Dimension(code, title, (("yes", "Yes"), ("no", "No"), (UNKNOWN, "Cannot tell from the answers")))


def dimensions(item_ids: tuple[str, ...] = ()) -> tuple[Dimension, ...]:
    """Return every counted dimension, in the order staff see them."""
    na = ((NOT_ANSWERED, "Not answered"),)
    out = []
    for q in ins.QUESTIONS:
        if q.kind == ins.SINGLE:
            out.append(Dimension(q.code, q.short, q.all_choices + na))
        elif q.kind == ins.SCALE:
            out.append(Dimension(q.code, q.short, tuple((str(n), str(n)) for n in range(11)) + na))
        elif q.kind == ins.MULTI:
            out.append(Dimension(q.code, q.short, q.all_choices + na, multi=True))
        else:
            out += [
                Dimension(ins.coping_field(option), label, ins.COPING_STATES + na)
                for option, label in q.rows
            ]
    out += [
        _flag("chronic_pain", "Chronic pain (most days or every day, past 3 months)"),
        _flag("high_impact_chronic_pain", "High-impact chronic pain"),
        _flag("long_term_opioid", "Long-term opioid therapy (3 months or more)"),
        Dimension("peg_band", "PEG pain score band", tuple((b, b) for b in PEG_BANDS) + ((NOT_ANSWERED, "No score"),)),
        Dimension(
            "ucla3_band", "UCLA-3 loneliness score band", tuple((b, b) for b in UCLA3_BANDS) + ((NOT_ANSWERED, "No score"),)
        ),
    ]
    if item_ids:
        out.append(Dimension("item", "Results items shown", tuple((i, i) for i in item_ids), multi=True))
    return tuple(out)


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


@dataclass(frozen=True)
class Catalogue:
    """Every cell of one period, how the cells add up, and the tables showing them."""

    period: Period
    cells: dict[Key, str]  # key -> INTERIOR / MARGIN / TOTAL
    relations: tuple[tuple[Key, tuple[Key, ...]], ...]  # total = sum(parts), inside the period
    links: tuple[tuple[Key, tuple[Key, ...]], ...]  # this period's cell = sum of its parts' cells
    tables: tuple[Table, ...]


def total_key(period: Period) -> Key:
    return (period.label, "total", ALL)


def build(period: Period, item_ids: tuple[str, ...] = ()) -> Catalogue:
    """Return the catalogue of one period (the cells exist whatever their counts)."""
    p = period.label
    total = total_key(period)
    dims = {d.code: d for d in dimensions(item_ids)}
    cells: dict[Key, str] = {total: TOTAL}
    relations: list[tuple[Key, tuple[Key, ...]]] = []
    tables: list[Table] = []
    margins = {code for pair in CROSS_TABS for code in pair}

    for d in dims.values():
        if d.multi:
            rows = []
            for value, label in d.values:
                chose, did_not = (p, d.code, value), (p, d.code, NOT + value)
                cells[chose] = cells[did_not] = INTERIOR
                relations.append((total, (chose, did_not)))
                rows.append((label, (chose, did_not), total))
            tables.append(Table(f"multi:{d.code}", d.title, "Answer", tuple(rows), ("Chose it", "Did not")))
        else:
            keys = tuple((p, d.code, value) for value, _ in d.values)
            for key in keys:
                cells[key] = MARGIN if d.code in margins else INTERIOR
            relations.append((total, keys))
            tables.append(
                Table(
                    f"dist:{d.code}", d.title, "Answer",
                    tuple((label, (key,), None) for (_, label), key in zip(d.values, keys)),
                    ("Check-ins",), (total,), total,
                )
            )

    for row_code, col_code in CROSS_TABS:
        rdim, cdim = dims[row_code], dims[col_code]
        code = f"{row_code}*{col_code}"
        grid = {
            (rv, cv): (p, code, f"{rv}*{cv}") for rv, _ in rdim.values for cv, _ in cdim.values
        }
        for key in grid.values():
            cells[key] = INTERIOR
        for rv, _ in rdim.values:
            relations.append(((p, row_code, rv), tuple(grid[(rv, cv)] for cv, _ in cdim.values)))
        for cv, _ in cdim.values:
            relations.append(((p, col_code, cv), tuple(grid[(rv, cv)] for rv, _ in rdim.values)))
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
    return Catalogue(period, cells, tuple(relations), links, tuple(tables))
