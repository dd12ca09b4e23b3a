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

from . import dashboard
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
        [],
        ["Headline figures"],
        ["Figure", "Value", "Compare with"],
    ]
    for figure in board.headline:
        compare = figure.benchmark or (f"Previous period: {figure.previous}" if figure.previous else "")
        out.append([figure.label, figure.text if figure.text is not None else dashboard.HIDDEN, compare])
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
