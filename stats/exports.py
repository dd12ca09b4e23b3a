"""CSV export of exactly the dashboard's tables, for funders and boards.

A header block names the place, period, threshold, content version and date of
publication; hidden cells are the marker text, so a spreadsheet shows words, not
a number. Aggregates only: the CSV is built from the same ``Dashboard`` as the page.
"""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse

from questionnaire.rules import CONTENT_VERSION

from . import charts, dashboard, periods
from .disclosure import LINKED_LABEL

# A cell a spreadsheet would run as a formula gets a leading apostrophe.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def rows(board: dashboard.Dashboard, *, place_name: str, published_on, threshold: int) -> list[list]:
    """Return the CSV's rows: the header block, the headline figures, then every table."""
    period = board.period
    out = [
        ["Site", place_name],
        ["Period", f"{period.label} ({period.title})"],
        ["Threshold", f"Counts from 1 to {threshold - 1}, and cells that would give them away, are hidden"],
        ["Hidden cells show", dashboard.HIDDEN],
        ["Content version", CONTENT_VERSION],
        ["Published on", published_on.isoformat() if published_on else ""],
        ["Tables format", _edition(board.tables)],
        [],
        ["Headline figures"],
        ["Figure", "Value", "Out of", "95% interval", "Last period", "A year earlier", "Benchmark"],
    ]
    for figure in board.headline:
        if figure.empty:
            out.append([figure.label, "No check-ins in this period"])
            continue
        earlier = [f"{then.title}: {then.text}" + (f" ({then.change.text})" if then.change else "")
                   for then in figure.earlier]
        out.append([figure.label, figure.text if figure.text is not None else dashboard.HIDDEN, figure.out_of,
                    figure.interval, *earlier, figure.judgement or figure.benchmark])
        if figure.pooled:
            # Marked as pooled in its own row: never the period's own figure.
            out.append([f"{figure.label}, pooled: {figure.pooled.title[0].lower()}{figure.pooled.title[1:]}",
                        figure.pooled.text, figure.pooled.out_of, figure.pooled.interval])
    if board.tables.linked:
        out += [[], [f"This period is {LINKED_LABEL}: nothing else is published."]]
    elif board.withheld:
        out += [[], [f"Fewer than {threshold} check-ins in this period: nothing else is published."]]
    for grid in dashboard.all_grids(board):
        out += [[], [grid.title], [grid.row_title or "", *grid.columns]]
        out += [[label, *cells] for label, cells in grid.rows]
        if grid.footer:
            out.append([grid.footer[0], *grid.footer[1]])
    return [[_safe(cell) for cell in row] for row in out]


def _edition(tables) -> str:
    """Return which edition of the tables this is (publications never change; a period
    published again is a new version, and a category added later is not in older tables)."""
    out = str(tables.format)
    if tables.remade:
        out += (f"; published again on {tables.remade.on.isoformat()} (first version "
                f"{tables.remade.first_on.isoformat()}): {tables.remade.why}")
    for table, answer in tables.lacks:
        out += f"; no row for \"{answer}\" in \"{table}\" (added later)"
    return out


def filename(place_slug: str | None, period_label: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9-]+", "-", place_slug or "no-community")
    return f"checkins-{slug}-{period_label}.csv"


def csv_response(board: dashboard.Dashboard, *, place, published_on, threshold: int) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    csv.writer(buffer).writerows(rows(board, place_name=place.name, published_on=published_on,
                                      threshold=threshold))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(place.slug, board.period.label)}"'
    return response


# The long CSV: one row per published cell of every offered period, for reuse.
LONG_HEADER = ["period", "period_title", "table_id", "table", "row", "column", "count", "share_percent",
               "denominator", "hidden", "pooled"]


def long_rows(all_tables) -> list[list]:
    """Return the tidy CSV's rows for a site's published periods (``SiteTables`` each).

    Each cell as the page shows it (``dashboard.grid_of``, margins as "Total"):
    its count, or an empty count and hidden = 1 for the one marker; its share in
    percent of all shared check-ins in the period (the denominator), only when
    both are shown. A period withheld whole is one hidden "Shared check-ins" row.
    A rolling window of four quarters (the pooled figures) has pooled = 1.
    """
    out = [LONG_HEADER]
    for tables in all_tables:
        period = tables.period
        pooled = int(period.kind == periods.WINDOW)
        total = dashboard.checkins(tables)
        denominator = total if isinstance(total, int) and total > 0 else None
        if tables.withheld:
            out.append([period.label, period.title, "total", "Shared check-ins", "All shared check-ins",
                        "Check-ins", "", "", "", 1, pooled])
            continue
        for table in tables.tables:
            grid = dashboard.grid_of(table)
            lines = list(grid.rows) + ([grid.footer] if grid.footer else [])
            for label, cells in lines:
                for column, value in zip(grid.columns, cells):
                    hidden = value == dashboard.HIDDEN
                    count = "" if hidden else value
                    share = (round(100 * value / denominator, 1)
                             if not hidden and isinstance(value, int) and denominator else "")
                    out.append([period.label, period.title, table.id, table.title, label, column, count, share,
                                denominator if denominator is not None else "", int(hidden), pooled])
    return [[_safe(cell) for cell in row] for row in out]


def long_csv_response(all_tables, *, place) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(long_rows(all_tables))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(place.slug, "all-periods")}"'
    return response


def svg_response(block: dashboard.Block, *, place, period) -> HttpResponse:
    """Return one chart as an SVG file to download, with where its numbers come from."""
    caption = f"{place.name}, {period.title}. Shared check-ins; “hidden” protects small numbers."
    response = HttpResponse(charts.standalone(block.chart, title=block.title, caption=caption),
                            content_type="image/svg+xml")
    name = re.sub(r"[^A-Za-z0-9-]+", "-", block.id).strip("-")
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(place.slug, period.label)[:-4]}-{name}.svg"')
    return response
