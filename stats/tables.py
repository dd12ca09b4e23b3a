"""Accessible HTML tables of the dashboard, built in Python.

A dashboard has some 1,500 cells; Django's template engine spends about a
millisecond per 10 of them, so the tables are written here, escaped with
``format_html``, the same markup a template would give: a caption, column and
row headers with scope, and the one marker for a hidden cell.
"""

from __future__ import annotations

import functools

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import disclosure

HIDDEN_CELL = ('<span class="hidden-cell">hidden<span class="visually-hidden"> to protect small numbers</span>'
               "</span>")


def _cell(value) -> str:
    if value == disclosure.HIDDEN_LABEL:
        return HIDDEN_CELL
    if value is None:
        return ""
    return escape(value)


def _row(label: str, cells) -> str:
    return (f'<tr><th scope="row">{escape(label)}</th>'
            + "".join(f'<td class="num">{_cell(v)}</td>' for v in cells) + "</tr>")


def render(grid) -> SafeString:
    """Return a dashboard Grid as an HTML table."""
    head = "".join(f'<th scope="col" class="num">{escape(c)}</th>' for c in grid.columns)
    out = [
        '<table class="table table-sm grid">',
        f'<caption class="visually-hidden">{escape(grid.title)}</caption>',
        f'<thead><tr><th scope="col">{escape(grid.row_title or "Answer")}</th>{head}</tr></thead>',
        "<tbody>", *(_row(label, cells) for label, cells in grid.rows), "</tbody>",
    ]
    if grid.footer:
        out.append(f"<tfoot>{_row(*grid.footer)}</tfoot>")
    out.append("</table>")
    return mark_safe("".join(out))


def definition(about, title: str) -> SafeString:
    """Return a folded "What this counts" panel (a ``content.Definition``), as the
    template would write it: each block has one, so it is written here, once per
    table and title (the texts are fixed)."""
    return _definition(about, title)


@functools.lru_cache(maxsize=512)
def _definition(about, title: str) -> SafeString:
    parts = [("The question as asked", about.question), ("Counted", about.numerator), ("Out of", about.denominator),
             ("Source", about.source), ("Keep in mind", about.caveats)]
    rows = "".join(f"<dt>{escape(name)}</dt><dd>{escape(text)}</dd>" for name, text in parts if text)
    return mark_safe(f'<details class="definition"><summary>What this counts<span class="visually-hidden">: '
                     f'{escape(title)}</span></summary><dl>{rows}</dl></details>')
