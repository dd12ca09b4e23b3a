"""Published periods: whole calendar months, quarters and years, once complete,
and rolling windows of four quarters ("2026-Q3-4Q": October 2025 to September
2026), published right after their last quarter for the pooled figures.

Pure: no Django. ``today`` is always passed in, never read from a clock.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

MONTH, QUARTER, YEAR, WINDOW = "month", "quarter", "year", "window"
_SPAN = {MONTH: 1, QUARTER: 3, YEAR: 12, WINDOW: 12}
WINDOW_SUFFIX = "-4Q"  # a window is named after its last quarter: "2026-Q3-4Q"
# ASCII digits only (``\d`` would take "٢٠٢٦"); whole text, no trailing newline.
_PATTERNS = (
    (re.compile(r"([0-9]{4})-Q([1-4])-4Q", re.ASCII), WINDOW),
    (re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])", re.ASCII), MONTH),
    (re.compile(r"([0-9]{4})-Q([1-4])", re.ASCII), QUARTER),
    (re.compile(r"([0-9]{4})", re.ASCII), YEAR),
)
# With nothing published yet for a place, a complete period is "being prepared"
# only this long after it ended (``publish`` runs daily); later, no figures are coming.
PREPARING_FOR = datetime.timedelta(days=31)


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date  # first day
    kind: str

    # (worked out once per period: the suppressor asks for them hundreds of thousands of times)
    @functools.cached_property
    def end(self) -> datetime.date:
        """Return the first day after the period."""
        index = self.start.year * 12 + self.start.month - 1 + _SPAN[self.kind]
        return datetime.date(index // 12, index % 12 + 1, 1)

    @functools.cached_property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == WINDOW:
            return last_quarter(self).label + WINDOW_SUFFIX
        return f"{self.start.year}"

    @property
    def title(self) -> str:
        if self.kind == WINDOW:
            return f"last 4 quarters, {self.start:%B %Y} to {months(self)[-1].start:%B %Y}"
        if self.kind == MONTH:
            return f"{self.start:%B %Y}"
        if self.kind == QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year} ({self.start:%B} to {months(self)[-1].start:%B})"
        return f"{self.start.year}"

    def __str__(self):
        return self.label


def parse(text: str) -> Period:
    """Return the period named "2026-09", "2026-Q3", "2026" or "2026-Q3-4Q"; ValueError otherwise.

    Every period returned has a first day and an end (the day after it) that
    dates can hold: "9999-12" and "9999" are refused here, not by a later
    ``ValueError: year 10000`` far from the input.
    """
    text = text.strip()
    if len(text) <= 10:
        for pattern, kind in _PATTERNS:
            match = pattern.fullmatch(text)
            if match:
                year = int(match.group(1))
                try:
                    if kind == MONTH:
                        period = Period(datetime.date(year, int(match.group(2)), 1), MONTH)
                    elif kind == QUARTER:
                        period = Period(datetime.date(year, 3 * int(match.group(2)) - 2, 1), QUARTER)
                    elif kind == WINDOW:
                        period = window(Period(datetime.date(year, 3 * int(match.group(2)) - 2, 1), QUARTER))
                    else:
                        period = Period(datetime.date(year, 1, 1), YEAR)
                    period.end  # noqa: B018 - the day after it must be a date too
                except (ValueError, OverflowError):
                    break
                return period
    raise ValueError(f"{text[:20]!r} is not a period: use 2026-09, 2026-Q3, 2026 or 2026-Q3-4Q.")


def window(quarter: Period) -> Period:
    """Return the rolling window of four quarters that ends with ``quarter``.

    Raise ``ValueError`` when it would start before the first day a date can hold.
    """
    if quarter.kind != QUARTER:
        raise ValueError(f"{quarter} is not a quarter.")
    index = quarter.start.year * 12 + quarter.start.month - 1 - 9
    return Period(datetime.date(index // 12, index % 12 + 1, 1), WINDOW)


def last_quarter(period: Period) -> Period:
    """Return the last quarter of a quarter, year or window."""
    last = months(period)[-1].start
    return Period(datetime.date(last.year, last.month - 2, 1), QUARTER)


def default(published: list[Period]) -> Period | None:
    """Return the period a staff page shows when none is asked for: the newest quarter, else the newest."""
    quarters = [p for p in published if p.kind == QUARTER]
    return (quarters or published or [None])[0]


def choose(text: str, *, published: list[Period], today: datetime.date) -> tuple[Period | None, str | None]:
    """Return (period, problem) for a staff page's ``?period=`` text.

    ``published`` are the place's published periods, newest first. The problem
    is None for a published period, "preparing" for a complete period that the
    daily ``publish`` has not reached yet (after everything published so far,
    or, with nothing published, ended within ``PREPARING_FOR``), "none" when no
    period is asked for and nothing is published. Raise ``ValueError`` for
    anything else — not a period, not over yet, or before or between what was
    published — which the page answers with a 404: never a 500, never a promise
    of figures that are not coming.
    """
    if not text.strip():
        chosen = default(published)
        return (chosen, None) if chosen else (None, "none")
    chosen = parse(text)
    if chosen.kind == WINDOW:
        # A window's figures are shown in its last quarter's cards, marked as pooled.
        raise ValueError(f"{chosen} is shown with the quarter {last_quarter(chosen)}.")
    if chosen in published:
        return chosen, None
    if not is_complete(chosen, today):
        raise ValueError(f"{chosen} is not over yet.")
    if published:
        coming = chosen.end > max(p.end for p in published)
    else:
        coming = today - chosen.end < PREPARING_FOR
    if not coming:
        raise ValueError(f"There are no figures for {chosen}.")
    return chosen, "preparing"


def month(day: datetime.date) -> Period:
    return Period(day.replace(day=1), MONTH)


def months(period: Period) -> list[Period]:
    """Return the months of a period, in order."""
    return list(_months(period))


@functools.lru_cache(maxsize=1024)
def _months(period: Period) -> tuple[Period, ...]:
    out, current = [], period.start
    while current < period.end:
        out.append(Period(current, MONTH))
        current = Period(current, MONTH).end
    return tuple(out)


def parts(period: Period) -> list[Period]:
    """Return the periods a period is the sum of: a quarter's months, a year's or a window's quarters."""
    if period.kind == QUARTER:
        return months(period)
    if period.kind in (YEAR, WINDOW):
        return [Period(m.start, QUARTER) for m in months(period)[::3]]
    return []


def overlap(a: Period, b: Period) -> bool:
    """Return True if two periods share a month."""
    return a.start < b.end and b.start < a.end


def is_complete(period: Period, today: datetime.date) -> bool:
    """A period is published only once it has ended (the running month never is)."""
    return period.end <= today


def publication_order(first_day: datetime.date, today: datetime.date) -> list[Period]:
    """Return every complete period from January of ``first_day``'s year on, in the
    order they are published: each month, then its quarter when it ends a quarter,
    then its year when it ends a year, then the rolling window of four quarters
    that ends with that quarter. Each new table is protected against all
    published before it (a month with no check-ins is published as too small)."""
    order = []
    current = Period(datetime.date(first_day.year, 1, 1), MONTH)
    while is_complete(current, today):
        order.append(current)
        if current.start.month % 3 == 0:
            order.append(Period(datetime.date(current.start.year, current.start.month - 2, 1), QUARTER))
        if current.start.month == 12:
            order.append(Period(datetime.date(current.start.year, 1, 1), YEAR))
        if current.start.month % 3 == 0:
            order.append(window(order[-1 - (current.start.month == 12)]))
        current = Period(current.end, MONTH)
    return order
