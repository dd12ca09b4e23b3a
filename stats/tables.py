"""Accessible HTML tables of the dashboard, built in Python.

A dashboard has some 1,500 cells; Django's template engine spends about a
millisecond per 10 of them, so the tables are written here, escaped with
``format_html``, the same markup a template would give: a caption, column and
row headers with scope, and the one marker for a hidden cell.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

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


def block(shown, *, prefix: str, chart_url: str = "") -> SafeString:
    """Return a dashboard block (a ``dashboard.Block``): its heading, chart and table
    side by side, its note, what you could do with it, the chart's download link
    (when ``chart_url``, the period's chart URL without the chart's id, is given)
    and what it counts. Written here for the same reason as the tables: a dashboard
    has some 40 of them."""
    anchor = slugify(f"{prefix}{shown.id}")
    title = escape(shown.title)
    about = shown.definition
    out = [
        f'<section class="block" data-table="{escape(shown.id)}" aria-labelledby="{anchor}-title">',
        f'<h3 id="{anchor}-title">{title}</h3>',
        f'<div class="block-body"><figure class="chart-box">{shown.chart}</figure>',
        f'<div class="table-box" role="region" aria-label="Table: {title}" tabindex="0">{shown.table}</div></div>',
    ]
    if shown.note:
        out.append(f'<p class="block-note">{escape(shown.note)}</p>')
    if about and about.use:
        out.append(f'<p class="block-use"><strong>What you could do with this:</strong> {escape(about.use)}</p>')
    out.append('<div class="block-tools">')
    if chart_url:
        out.append(f'<a class="no-print" href="{escape(chart_url)}&amp;chart={quote(shown.id, safe="")}" download>'
                   f'Download this chart (SVG)<span class="visually-hidden">: {title}</span></a>')
    if about:
        out.append(definition(about, shown.title))
    out.append("</div></section>")
    return mark_safe("".join(out))
