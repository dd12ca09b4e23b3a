"""What a staff member sees for one place and period, built from the published
tables (``selectors.site_tables``, the one road) and nothing else.

Pure presentation: which figures head the page, which topic each table belongs
to, and which chart shows it. Any catalogue renders: a table this module does not
know goes under "Other tables" with a chart chosen by its shape.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from . import charts, comparisons, content, disclosure, periods
from . import tables as html_tables
from .selectors import Pooled, ShownTable, SiteTables

HIDDEN = disclosure.HIDDEN_LABEL

# National figures for comparison, with their source and year.
BENCHMARKS = {
    "share_chronic_pain": (20.4, "US adults, NHIS 2019"),
    "share_high_impact": (7.4, "US adults, NHIS 2019"),
    "share_support_usually": (77.5, "US adults, NHIS July to December 2020 (NCHS Data Brief No. 420)"),
}

# (key in SiteTables.derived, label, kind): kind is "share" (a percentage) or a scale.
HEADLINE = (
    ("share_chronic_pain", "Chronic pain", "share"),
    ("share_high_impact", "High-impact chronic pain", "share"),
    ("share_long_term_opioid", "Long-term opioid therapy", "share"),
    ("mean_peg", "Mean PEG pain score (0 to 10)", "mean"),
    ("mean_ucla3", "Mean UCLA-3 loneliness score (3 to 9)", "mean"),
    ("share_support_usually", "Get the support they need always or usually", "share"),
)

TOPICS = (
    ("pain", "Pain"),
    ("connection", "Connection"),
    ("medicines", "Medicines"),
    ("coping", "Ways to ease pain"),
    ("wellbeing", "Sleep, stress and safety"),
    ("other", "Other tables"),
)
TOPIC_OF = {
    **dict.fromkeys(("pain_frequency", "pain_duration", "pain_impact", "pain_areas", "peg_pain", "peg_enjoyment",
                     "peg_activity", "chronic_pain", "high_impact_chronic_pain", "peg_band"), "pain"),
    **dict.fromkeys(("ucla_companionship", "ucla_left_out", "ucla_isolated", "lonely", "rejected",
                     "pain_avoidance", "support", "ucla3_band", "chronic_pain*ucla3_band",
                     "pain_avoidance*support"), "connection"),
    **dict.fromkeys(("medicines", "long_term_opioid", "long_term_opioid*ucla3_band"), "medicines"),
    **dict.fromkeys(("sleep", "stress", "safety"), "wellbeing"),
}
COPING_PREFIX = "dist:coping_"
COPING_STATES = ("Using now", "Tried before", "Would like to learn more", "Not for me")

# Monthly trend lines: (derived key, title, low, high, unit, reference).
TRENDS = (
    ("mean_peg", "Mean PEG pain score by month", 0, 10, "", None),
    ("share_chronic_pain", "Share with chronic pain by month", 0, 100, "%", (20.4, "US adults 20.4%")),
    ("mean_ucla3", "Mean UCLA-3 loneliness score by month", 3, 9, "", None),
)


@dataclass(frozen=True)
class Grid:
    """A table as the page and the CSV show it: every cell an int or HIDDEN."""

    title: str
    row_title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple], ...]  # (label, cells), the Total column included
    footer: tuple[str, tuple] | None = None


@dataclass(frozen=True)
class Block:
    id: str
    title: str
    chart: str
    grid: Grid
    note: str = ""

    @property
    def table(self) -> str:
        return html_tables.render(self.grid)

    @property
    def definition(self) -> content.Definition | None:
        return content.table_definition(self.id)



@dataclass(frozen=True)
class Earlier:
    """A headline figure in an earlier period, and the change since then."""

    title: str  # the earlier period, e.g. "Q2 2026 (April to June)"
    text: str  # its value, HIDDEN, "not published" or "no check-ins"
    change: comparisons.Change | None = None  # only when both values are shown
    short: str = ""  # the earlier period in short, e.g. "Q2 2026" (for the cards)


@dataclass(frozen=True)
class PooledFigure:
    """A quarter's hidden headline share shown over the last four quarters instead."""

    title: str  # "Last 4 quarters, October 2025 to September 2026"
    text: str  # "25%"
    out_of: str  # "76 of 306 check-ins"
    interval: str  # "95% interval: 20.4% to 30.3%"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    text: str | None  # None: hidden to protect small numbers
    benchmark: str = ""  # the benchmark and its source
    previous: str = ""  # last period in one line (for the CSV and the staff home)
    kind: str = "count"
    empty: bool = False  # no check-ins in the period: nothing is hidden
    out_of: str = ""  # e.g. "14 of 44 check-ins"
    interval: str = ""  # e.g. "95% interval: 21% to 47%", or why there is none
    earlier: tuple[Earlier, ...] = ()  # last period, the same period a year earlier
    judgement: str = ""  # e.g. "Higher than 20.4% of US adults, NHIS 2019"
    pooled: PooledFigure | None = None  # only where ``text`` is None: never the period's own

    @property
    def definition(self) -> content.Definition | None:
        return content.HEADLINE_DEFINITIONS.get(self.key)


@dataclass
class Dashboard:
    tables: SiteTables
    headline: list[Figure] = field(default_factory=list)
    topics: list[tuple[str, str, list[Block]]] = field(default_factory=list)
    trends: list[Block] = field(default_factory=list)
    series: list[Block] = field(default_factory=list)  # every headline figure across periods
    series_title: str = ""
    empty: bool = False

    @property
    def period(self) -> periods.Period:
        return self.tables.period

    @property
    def withheld(self) -> bool:
        return self.tables.withheld


def grid_of(table: ShownTable) -> Grid:
    """Return a shown table with its margins laid out as a Total column and row."""
    with_total = any(margin is not None for _, _, margin in table.rows)
    columns = tuple(table.columns) + (("Total",) if with_total else ())
    rows = tuple((label, tuple(values) + ((margin,) if with_total else ())) for label, values, margin in table.rows)
    footer = None
    if table.column_margins:
        cells = tuple(table.column_margins)
        if with_total or len(cells) < len(columns):
            cells += (table.grand_total,)
        footer = ("Total", cells)
    return Grid(table.title, table.row_title, columns, rows, footer)


SHARE_COLUMN = "% of all check-ins"


def with_shares(grid: Grid, total) -> Grid:
    """Return a one-count-per-row table with each count's share of all the period's
    check-ins beside it (the denominator the headline uses); a hidden count's share
    is the same one marker. Other shapes, or no shown total, are returned as they are."""
    if not isinstance(total, int) or total <= 0 or len(grid.columns) != 1:
        return grid

    def share(cells):
        value = cells[0]
        return cells + ((f"{round(100 * value / total)}%" if isinstance(value, int) else HIDDEN),)

    footer = (grid.footer[0], share(grid.footer[1])) if grid.footer and len(grid.footer[1]) == 1 else grid.footer
    return Grid(grid.title, grid.row_title, grid.columns + (SHARE_COLUMN,),
                tuple((label, share(cells)) for label, cells in grid.rows), footer)


def checkins(tables: SiteTables) -> object:
    """Return the period's number of shared check-ins (an int, or HIDDEN if withheld)."""
    if tables.withheld:
        return HIDDEN
    own = tables.derived.get(tables.period.label, {})
    if "checkins" in own:
        return HIDDEN if own["checkins"] is None else own["checkins"]
    total = next(t for t in tables.tables if t.id == "total")
    return total.rows[0][1][0]


def previous(period: periods.Period) -> periods.Period:
    """Return the period of the same kind just before this one."""
    if period.kind == periods.YEAR:
        return periods.Period(datetime.date(period.start.year - 1, 1, 1), periods.YEAR)
    months = {periods.MONTH: 1, periods.QUARTER: 3}[period.kind]
    index = period.start.year * 12 + period.start.month - 1 - months
    return periods.Period(datetime.date(index // 12, index % 12 + 1, 1), period.kind)


def year_before(period: periods.Period) -> periods.Period:
    """Return the same period a year earlier."""
    return periods.Period(period.start.replace(year=period.start.year - 1), period.kind)


def short_title(period: periods.Period) -> str:
    """Return a period's name in short: "Q2 2026", "Aug 2026" or "2026" (for a card or an axis)."""
    if period.kind == periods.QUARTER:
        return period.title.split(" (")[0]
    if period.kind == periods.MONTH:
        return f"{period.start:%b %Y}"
    return period.title


def _format(value, kind: str) -> str | None:
    if value is None or value == HIDDEN:
        return None
    if kind == "share":
        return f"{value:g}%"
    if kind == "mean":
        return f"{value:.1f}"
    return f"{value:,}"


def _earlier(period: periods.Period, figures_then: dict | None, key: str, kind: str, now) -> Earlier:
    """Return a figure in an earlier period: its value, or why there is none (the one
    marker when it is hidden), and the change when both are shown."""
    short = short_title(period)
    if figures_then is None:
        return Earlier(period.title, "not published", short=short)
    if figures_then.get("checkins") == 0 and key != "checkins":
        return Earlier(period.title, "no check-ins", short=short)
    then = figures_then.get(key)
    if then is None:
        return Earlier(period.title, HIDDEN, short=short)
    moved = comparisons.change(now, then, kind) if now is not None else None
    return Earlier(period.title, _format(then, kind), moved, short=short)


def _reading(key: str, kind: str, value, counts: dict) -> tuple[str, str, str]:
    """Return (out of, interval, judgement) of a shown figure, from published numbers only."""
    if value is None or key not in counts:
        return "", "", ""
    count, n = counts[key]
    if kind == "mean":
        return f"of {n:,} who answered", "No interval: the spread is not published", ""
    low, high = comparisons.wilson(count, n)
    interval = f"95% interval: {low:.1f}% to {high:.1f}%"
    judgement = ""
    if key in BENCHMARKS:
        level, source = BENCHMARKS[key]
        judgement = comparisons.judgement_text(comparisons.judge((low, high), level), f"{level}% of {source}")
    return f"{count:,} of {n:,} check-ins", interval, judgement


def figures(period: periods.Period, own: dict, before: dict | None, *, counts: dict | None = None,
            year_ago: dict | None = None) -> list[Figure]:
    """Return the headline row from a publication's frozen figures (``derived[period]``).

    ``before`` and ``year_ago`` are last period's and the same period a year
    earlier's figures (None if not published); ``counts`` the published count and
    denominator of each shown figure (``SiteTables.counts``). Every comparison is
    made from published numbers; a hidden figure gets none.
    """
    counts = counts or {}
    empty = own.get("checkins") == 0
    out = []
    for key, label, kind in (("checkins", "Shared check-ins", "count"), *HEADLINE):
        value = own.get(key)
        earlier = (_earlier(previous(period), before, key, kind, value),
                   _earlier(year_before(period), year_ago, key, kind, value))
        benchmark = ""
        if key in BENCHMARKS:
            level, source = BENCHMARKS[key]
            benchmark = f"{level}% of {source}"
        out_of, interval, judgement = _reading(key, kind, value, counts)
        out.append(Figure(key, label, _format(value, kind), benchmark=benchmark,
                          previous=f"{earlier[0].title}: {earlier[0].text}" if key == "checkins" else "",
                          kind=kind, empty=empty and key != "checkins", out_of=out_of, interval=interval,
                          earlier=() if empty and key != "checkins" else earlier, judgement=judgement))
    return out


def headline(tables: SiteTables, before: dict | None, year_ago: dict | None = None) -> list[Figure]:
    own = {} if tables.withheld else tables.derived.get(tables.period.label, {})
    out = figures(tables.period, own, before, counts=tables.counts, year_ago=year_ago)
    return [replace(f, pooled=pooled_figure(tables.pooled[f.key])) if f.text is None and f.key in tables.pooled
            else f for f in out]


def pooled_figure(pooled: Pooled) -> PooledFigure:
    """Return a pooled share as its card shows it, with its own count, denominator and interval."""
    low, high = comparisons.wilson(pooled.count, pooled.denominator)
    return PooledFigure(pooled.window.title[0].upper() + pooled.window.title[1:], _format(pooled.value, "share"),
                        f"{pooled.count:,} of {pooled.denominator:,} check-ins",
                        f"95% interval: {low:.1f}% to {high:.1f}%")


def _dimension(table_id: str) -> str:
    return table_id.split(":", 1)[1] if ":" in table_id else table_id


def _chart(table: ShownTable) -> str:
    """Choose a chart by the table's shape."""
    if table.id.startswith("cross:"):
        return charts.grouped_bars(table.title, [(label, list(values)) for label, values, _ in table.rows],
                                   list(table.columns))
    if table.id.startswith("multi:"):
        return charts.bars(table.title, [(label, values[0]) for label, values, _ in table.rows],
                           what=f"{table.columns[0]} counts")
    if len(table.columns) == 1:
        return charts.bars(table.title, [(label, values[0]) for label, values, _ in table.rows])
    return charts.grouped_bars(table.title, [(label, list(values)) for label, values, _ in table.rows],
                               list(table.columns))


def _coping_block(tables: list[ShownTable]) -> Block:
    """Return the ten ways to ease pain as one chart and one table."""
    title = "Ways to ease pain: using now, tried, want to learn more, not for me"
    columns = tuple(tables[0].rows[i][0] for i in range(len(tables[0].rows)))
    rows = tuple((t.title, tuple(values[0] for _, values, _ in t.rows) + (t.grand_total,)) for t in tables)
    chart = charts.small_multiples(title, [(t.title, [values[0] for _, values, _ in t.rows][:len(COPING_STATES)])
                                           for t in tables], list(columns[:len(COPING_STATES)]))
    grid = Grid(title, "Way to ease pain", columns + ("Total",), rows)
    return Block("coping", title, chart, grid, note="The chart leaves out “Not answered”; the table has it.")


def _round_up(value: int) -> int:
    """Return a round axis maximum at or above a value (10, 20, 50, 100, 200...)."""
    step = 10
    while True:
        for nice in (1, 2, 5):
            if nice * step >= value:
                return nice * step
        step *= 10


def _trends(tables: SiteTables) -> list[Block]:
    """Return the month-by-month lines of a quarter or a year (none for a month)."""
    trend = next((t for t in tables.tables if t.id == "trend"), None)
    if trend is None:
        return []
    months = periods.months(tables.period)
    short = [m.start.strftime("%b") for m in months]
    counts = [values[0] for _, values, _ in trend.rows]
    top = max([c for c in counts if not charts.is_hidden(c)] + [10])
    blocks = [Block("trend", trend.title, charts.line(trend.title, list(zip(short, counts)), low=0,
                                                       high=_round_up(top)), grid_of(trend))]
    for key, title, low, high, unit, reference in TRENDS:
        values = [_series_value(tables.derived.get(m.label), key) for m in months]
        label = title.replace(" by month", "") + (" (%)" if unit == "%" else "")
        grid = Grid(title, "Month", (label,), tuple((m.title, (_series_cell(tables.derived.get(m.label), key),))
                                                    for m in months))
        note = "Each month's share is out of all its check-ins, those who skipped the question included." \
            if unit == "%" else "Each month's mean is over the check-ins with a score that month."
        blocks.append(Block(f"trend:{key}", title,
                            charts.line(title, list(zip(short, values)), low=low, high=high, unit=unit,
                                        reference=reference), grid, note=note))
    return blocks


SERIES_QUARTERS = 8
SERIES_MONTHS = 12
NOTHING = "no check-ins"  # a period before the community's first check-in, or with none
NOT_PUBLISHED = "not published"


def series_periods(period: periods.Period) -> list[periods.Period]:
    """Return the periods a trend across periods shows, oldest first: the last 12
    months up to a month, else the last 8 quarters up to the period's last quarter."""
    if period.kind == periods.MONTH:
        out, count = [period], SERIES_MONTHS
    else:
        last = periods.Period(datetime.date(period.end.year if period.end.month > 1 else period.end.year - 1,
                                            (period.end.month - 4) % 12 + 1, 1), periods.QUARTER)
        out, count = [last], SERIES_QUARTERS
    while len(out) < count:
        out.append(previous(out[-1]))
    return out[::-1]


def _axis_label(period: periods.Period, first: bool) -> str:
    """Return a period's axis label: "Q3" or "Aug", with the year below on the first
    point and wherever a new year starts."""
    name = short_title(period).split(" ")[0]
    return f"{name}\n{period.start.year}" if first or period.start.month == 1 else name


def _series_value(figures_then: dict | None, key: str):
    """Return a figure's point: its value, HIDDEN, or None for nothing to show."""
    if figures_then is None:
        return None
    if figures_then.get("checkins") == 0 and key != "checkins":
        return None
    value = figures_then.get(key)
    return HIDDEN if value is None else value


def _series_cell(figures_then: dict | None, key: str) -> object:
    """Return a figure's table cell: its value, HIDDEN, or why there is none."""
    if figures_then is None:
        return NOT_PUBLISHED
    if figures_then.get("checkins") == 0 and key != "checkins":
        return NOTHING
    value = figures_then.get(key)
    return HIDDEN if value is None else value


def _row_title(period: periods.Period) -> str:
    """Return a period's name in a trend's table: "Q3 2026" (its months are on the
    axis and in the picker), "September 2026", "2026"."""
    return short_title(period) if period.kind == periods.QUARTER else period.title


def series(period: periods.Period, figures_by_label: dict[str, dict]) -> list[Block]:
    """Return one line chart and its table for every headline figure across the
    periods of ``series_periods`` (``figures_by_label``: each published period's
    frozen headline figures). Gaps are gaps, hidden is the one marker, and a
    figure with a national benchmark draws it as a dashed line."""
    shown = series_periods(period)
    out = []
    for key, label, kind in (("checkins", "Shared check-ins", "count"), *HEADLINE):
        points = [(_axis_label(p, i == 0), _series_value(figures_by_label.get(p.label), key))
                  for i, p in enumerate(shown)]
        values = [v for _, v in points if isinstance(v, (int, float))]
        if kind == "share":
            low, high, unit = 0, 100, "%"
        elif key == "mean_peg":
            low, high, unit = 0, 10, ""
        elif key == "mean_ucla3":
            low, high, unit = 3, 9, ""
        else:
            low, high, unit = 0, _round_up(max(values + [10])), ""
        reference = None
        if key in BENCHMARKS:
            level, source = BENCHMARKS[key]
            reference = (level, f"US adults {level:g}%")
        span = f"{short_title(shown[0])} to {short_title(shown[-1])}"
        title = f"{label}, {span}"
        grid = Grid(title, "Period", (label + (" (%)" if kind == "share" else ""),),
                    tuple((_row_title(p), (_series_cell(figures_by_label.get(p.label), key),)) for p in shown))
        out.append(Block(f"series:{key}", title,
                         charts.line(title, points, low=low, high=high, unit=unit, reference=reference,
                                     what=f"Line chart of {label.lower()} by period"), grid))
    return out


def build(tables: SiteTables, before: dict | None = None, year_ago: dict | None = None, *,
          across: dict[str, dict] | None = None) -> Dashboard:
    """Return the whole dashboard of one published period (``before``, ``year_ago``:
    the headline figures of last period and of the same period a year earlier;
    ``across``: the published headline figures of the periods of ``series_periods``)."""
    board = Dashboard(tables, headline(tables, before, year_ago))
    if across is not None:
        board.series = series(tables.period, across)
        shown = series_periods(tables.period)
        board.series_title = f"{short_title(shown[0])} to {short_title(shown[-1])}"
    if tables.withheld:
        return board
    board.empty = checkins(tables) == 0
    if board.empty:
        return board
    grouped: dict[str, list[Block]] = {code: [] for code, _ in TOPICS}
    coping = [t for t in tables.tables if t.id.startswith(COPING_PREFIX)]
    for table in tables.tables:
        if table.id in ("total", "trend"):
            continue
        if table.id.startswith(COPING_PREFIX):
            if table is coping[0]:
                grouped["coping"].append(_coping_block(coping))
            continue
        topic = TOPIC_OF.get(_dimension(table.id), "other")
        grid = grid_of(table)
        if table.id.startswith(("dist:", "multi:")):
            grid = with_shares(grid, checkins(tables))
        grouped[topic].append(Block(table.id, table.title, _chart(table), grid))
    board.topics = [(code, title, grouped[code]) for code, title in TOPICS if grouped[code]]
    board.trends = _trends(tables)
    return board


def all_grids(board: Dashboard) -> list[Grid]:
    """Return every table of the dashboard, in page order (for the CSV)."""
    out = [block.grid for block in board.trends]
    for _, _, blocks in board.topics:
        out += [block.grid for block in blocks]
    return out


def find_block(board: Dashboard, block_id: str) -> Block | None:
    """Return the dashboard's block of that id (a chart to download), or None."""
    blocks = list(board.series) + list(board.trends) + [b for _, _, bs in board.topics for b in bs]
    return next((b for b in blocks if b.id == block_id), None)
