"""Charts as server-rendered SVG: bars, grouped bars, small multiples and lines.

Pure: data in, SVG text out; no client script, nothing from another origin. The
strict CSP forbids inline styles, so every colour and font comes from classes in
static/css/staff.css. Each chart has a <title> and a <desc> (its text
alternative) and labels its bars and points directly; colours pass 3:1 against
white and never carry meaning alone (every bar says what it is in words).

A hidden cell is drawn as the one marker, the word "hidden" at a fixed place:
never as a bar, a point, or a gap whose size could be measured.
"""

from __future__ import annotations

import functools
import itertools
import textwrap

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360  # about one unit per CSS pixel on a phone; scaled up to at most 30rem on a laptop
MARKER = "hidden"  # drawn in place of a hidden cell; the page explains the word
CHARS_PER_LINE = 48  # at the 13-unit label font, across the full width
LINE = 16
COLOURS = 7  # classes c0..c6 in staff.css
_ids = itertools.count(1)


def is_hidden(value) -> bool:
    return not isinstance(value, (int, float)) or isinstance(value, bool)


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}"


def _text(x, y, text, cls="", anchor="start", extra="") -> str:
    cls_attr = f' class="{cls}"' if cls else ""
    anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{cls_attr}{anchor_attr}{extra}>{escape(text)}</text>'


def _wrap(label: str, width: int = CHARS_PER_LINE) -> list[str]:
    return textwrap.wrap(label, width) or [""]


def _svg(kind: str, title: str, desc: str, height: float, body: list[str]) -> SafeString:
    n = next(_ids)
    return mark_safe(
        f'<svg class="chart chart-{kind}" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="chart{n}-title chart{n}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart{n}-title">{escape(title)}</title><desc id="chart{n}-desc">{escape(desc)}</desc>'
        + "".join(body) + "</svg>"
    )


def _describe(kind: str, labelled: list[tuple[str, object]]) -> str:
    """Return a short text alternative: the largest shown value and how many are hidden."""
    shown = [(label, v) for label, v in labelled if not is_hidden(v)]
    hidden = len(labelled) - len(shown)
    parts = [f"{kind}."]
    if shown:
        label, top = max(shown, key=lambda pair: pair[1])
        parts.append(f"Largest: {label}, {_number(top)}.")
    if hidden:
        parts.append(f"{hidden} of {len(labelled)} hidden to protect small numbers.")
    parts.append("The table has every number.")
    return " ".join(parts)


def _scale(values) -> float:
    shown = [v for v in values if not is_hidden(v)]
    return max(shown + [1])


def _share(value, top: float) -> float:
    """Return a shown value's part of the scale (0 for a hidden one, which gets no bar)."""
    return 0.0 if is_hidden(value) else value / top


def _bar(x: float, y: float, value, *, width: float, height: int, colour: int, gap: int) -> list[str]:
    """Return one bar and its number, or, for a hidden value, only the marker: a hidden
    cell never becomes a bar, so no size can be read off the chart."""
    baseline = y + height - 1  # the text sits on the bar's lower edge
    if is_hidden(value):
        return [_text(x, baseline, MARKER, "marker")]
    out = []
    if width > 0:
        out.append(f'<rect class="bar c{colour % COLOURS}" x="{x:.1f}" y="{y:.1f}" '
                   f'width="{width:.1f}" height="{height}"/>')
    out.append(_text(x + width + gap, baseline, _number(value), "value"))
    return out


def bars(title: str, rows: list[tuple[str, object]], *, what: str = "Check-ins") -> SafeString:
    """Return a horizontal bar chart: each label on its own line(s), its bar below."""
    top = _scale(v for _, v in rows)
    lane = WIDTH - 60
    y, body = 4.0, []
    for label, value in rows:
        for line in _wrap(label):
            y += LINE
            body.append(_text(0, y - 4, line, "label"))
        bar_y = y + 2
        body += _bar(0, bar_y, value, width=lane * _share(value, top), height=14, colour=0, gap=5)
        y = bar_y + 14 + 10
    return _svg("bars", title, _describe(f"Bar chart of {what.lower()}", rows), y, body)


def grouped_bars(title: str, groups: list[tuple[str, list[object]]], series: list[str]) -> SafeString:
    """Return grouped horizontal bars: one group per row of a cross-tab, one bar per
    column, each bar labelled with its column's name (no legend needed)."""
    label_w = 128
    lane = WIDTH - label_w - 50
    top = _scale(v for _, values in groups for v in values)
    y, body, labelled = 4.0, [], []
    for group, values in groups:
        for line in _wrap(group):
            y += LINE + 2
            body.append(_text(0, y - 4, line, "label group"))
        for i, (name, value) in enumerate(zip(series, values)):
            labelled.append((f"{group}, {name}", value))
            row_y = y + 2
            body.append(_text(label_w - 6, row_y + 11, _wrap(name, 20)[0], "label small", "end"))
            body += _bar(label_w, row_y, value, width=lane * _share(value, top), height=12, colour=i, gap=5)
            y = row_y + 15
        y += 8
    return _svg("grouped", title, _describe("Grouped bar chart of check-ins", labelled), y, body)


def small_multiples(title: str, rows: list[tuple[str, list[object]]], columns: list[str]) -> SafeString:
    """Return one small bar chart per column, side by side, on one scale: each row's
    label across the width, then one short bar (or the marker) under each column."""
    col_w = WIDTH / len(columns)
    lane = col_w - 36
    top = _scale(v for _, values in rows for v in values)
    body, labelled = [], []
    header_lines = max(len(_wrap(c, 14)) for c in columns)
    for i, name in enumerate(columns):
        for j, line in enumerate(_wrap(name, 14)):
            body.append(_text(i * col_w, 14 + j * 14, line, f"label small head h{i % COLOURS}"))
    y = 14 * header_lines + 8.0
    for label, values in rows:
        for line in _wrap(label):
            y += LINE
            body.append(_text(0, y - 4, line, "label"))
        bar_y = y + 1
        for i, value in enumerate(values):
            labelled.append((f"{label}, {columns[i]}", value))
            x = i * col_w
            body += _bar(x, bar_y, value, width=lane * _share(value, top), height=12, colour=i, gap=4)
        y = bar_y + 12 + 10
    return _svg("multiples", title, _describe("Small bar charts, one per answer", labelled), y, body)


def line(title: str, points: list[tuple[str, object]], *, low: float, high: float, unit: str = "",
         reference: tuple[float, str] | None = None, what: str = "Line chart by month") -> SafeString:
    """Return a line chart over periods: shown points joined in order; a hidden
    period breaks the line and shows the marker on its axis, never a point; a
    period with nothing to show (``None``: no check-ins, or not published) is a gap.
    A label may hold a second line after a newline (the year under a quarter)."""
    left, right, top_pad, axis_y = 44, 16, 26, 150
    two_lines = any("\n" in label for label, _ in points)
    height = axis_y + (40 if two_lines else 26)
    span = (high - low) or 1
    step = (WIDTH - left - right) / max(len(points) - 1, 1)
    value_class = "value small" if len(points) > 8 else "value"

    def y_of(v):
        return axis_y - (axis_y - top_pad) * (v - low) / span

    body = [f'<line class="axis" x1="{left}" y1="{axis_y}" x2="{WIDTH - right}" y2="{axis_y}"/>']
    for tick in (low, high):
        body.append(_text(left - 6, y_of(tick) + 4, f"{_number(tick)}{unit}", "tick", "end"))
        if tick != low:
            body.append(f'<line class="grid" x1="{left}" y1="{y_of(tick):.1f}" x2="{WIDTH - right}" '
                        f'y2="{y_of(tick):.1f}"/>')
    if reference is not None:
        value, label = reference
        ry = y_of(value)
        body.append(f'<line class="reference" x1="{left}" y1="{ry:.1f}" x2="{WIDTH - right}" y2="{ry:.1f}"/>')
        body.append(_text(WIDTH - right, ry - 4, label, "tick", "end"))
    xs = [left + i * step if len(points) > 1 else (left + WIDTH - right) / 2 for i in range(len(points))]
    segment: list[str] = []

    def close():
        if len(segment) > 1:
            body.append(f'<polyline class="trend" points="{" ".join(segment)}"/>')
        segment.clear()

    for x, (label, value) in zip(xs, points):
        for i, part in enumerate(label.split("\n")):
            body.append(_text(x, axis_y + 16 + 13 * i, part, "tick", "middle"))
        if value is None:
            close()
            continue
        if is_hidden(value):
            close()
            body.append(_text(x + 4, axis_y - 6, MARKER, "marker small", "start",
                              f' transform="rotate(-90 {x + 4:.1f} {axis_y - 6:.1f})"'))
            continue
        y = y_of(value)
        segment.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3.5"/>')
        body.append(_text(x, y - 8, f"{_number(value)}{unit}", value_class, "middle"))
    close()
    shown = [(label.replace("\n", " "), value) for label, value in points if value is not None]
    gaps = len(points) - len(shown)
    desc = _describe(what, shown) + (f" {gaps} of {len(points)} with nothing to show." if gaps else "")
    return _svg("line", title, desc, height, body)


@functools.lru_cache(maxsize=1)
def _chart_css() -> str:
    """Return the charts' rules from staff.css (the one place they are written), for a
    chart that leaves the page and so leaves the page's stylesheet behind."""
    from django.contrib.staticfiles import finders

    with open(finders.find("css/staff.css"), encoding="utf-8") as css:
        rules = [line.strip() for line in css if line.startswith(".chart ")]
    return " ".join(rule for rule in rules if not rule.startswith(".chart {"))  # (its size is the page's)


def standalone(svg: str, *, title: str, caption: str) -> str:
    """Return a page's chart as an SVG file of its own: its styles inside, a white
    background, its title drawn above it, a size to open at, and lines below saying
    where the numbers come from."""
    head, rest = svg.split(">", 1)
    view = head.split('viewBox="0 0 ', 1)[1].split('"', 1)[0]
    width, height = (float(v) for v in view.split())
    top_lines = _wrap(title, 44)
    bottom_lines = _wrap(caption, 52)
    top = 18 * len(top_lines) + 8
    total = top + height + 15 * len(bottom_lines) + 6
    head = (head.replace(f'viewBox="0 0 {view}"', f'viewBox="0 0 {width:.0f} {total:.0f}" '
                                                  f'width="{2 * width:.0f}" height="{2 * total:.0f}"')
            + ' font-family="system-ui, sans-serif"')
    header = "".join(_text(0, 16 + 18 * i, line, "group") for i, line in enumerate(top_lines))
    footer = "".join(_text(0, top + height + 14 + 15 * i, line, "small") for i, line in enumerate(bottom_lines))
    inner, body = rest[:-len("</svg>")].split("</desc>", 1)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{head}><style>{_chart_css()}</style>{inner}</desc>'
            f'<rect width="100%" height="100%" fill="#fff"/>{header}<g transform="translate(0 {top})">{body}</g>'
            f'{footer}</svg>\n')
