"""Reading a headline figure beside others: its 95% interval, the change since
an earlier period, and a judgement against a benchmark (NHS Fingertips' way).

Plain functions over published numbers only (a published count and the
published number of check-ins it is out of); nothing here reads a true count.
A hidden figure stays hidden: with no value there is no interval, no count and
no change, only the one marker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # the normal quantile for a two-sided 95% interval

HIGHER, SIMILAR, LOWER = "higher", "similar", "lower"
UP, DOWN, SAME = "up", "down", "same"
ARROWS = {UP: "↑", DOWN: "↓", SAME: "→"}


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Return the Wilson score interval of ``count`` out of ``n`` as percentages.

    Wilson (1927), as Fingertips and Newcombe (1998, method 3) use it: it stays
    inside 0 to 100 and behaves for small counts and shares near 0 or 100.
    """
    if n <= 0 or not 0 <= count <= n:
        raise ValueError(f"Need 0 <= count <= n and n > 0, not {count} of {n}.")
    p = count / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if count == 0 else max(0.0, centre - half) * 100
    high = 100.0 if count == n else min(1.0, centre + half) * 100
    return low, high


def judge(interval: tuple[float, float] | None, benchmark: float) -> str | None:
    """Return how a figure compares with a benchmark, only as far as its interval supports it.

    Fingertips' rule: "higher" when the whole interval lies above the benchmark,
    "lower" when it lies below, otherwise "similar". No interval, no judgement.
    """
    if interval is None:
        return None
    low, high = interval
    if benchmark < low:
        return HIGHER
    if benchmark > high:
        return LOWER
    return SIMILAR


@dataclass(frozen=True)
class Change:
    direction: str  # UP, DOWN or SAME
    text: str  # the change in words, e.g. "up 5 points"

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction]


def change(now: float, before: float, kind: str) -> Change:
    """Return the change from ``before`` to ``now`` in words.

    Shares change in percentage points, means in points of their scale (one
    decimal), counts by how many.
    """
    diff = now - before
    if kind == "mean":
        diff = round(diff, 1)
        amount = f"{abs(diff):.1f}"
    else:
        diff = round(diff)
        amount = f"{abs(diff):,}"
    unit = {"share": " percentage points" if abs(diff) != 1 else " percentage point",
            "mean": " points" if abs(diff) != 1 else " point", "count": ""}[kind]
    if diff == 0:
        return Change(SAME, "no change")
    return Change(UP if diff > 0 else DOWN, f"{'up' if diff > 0 else 'down'} {amount}{unit}")


def judgement_text(judgement: str | None, benchmark_text: str) -> str:
    """Return a judgement against a benchmark in plain words."""
    if judgement is None:
        return ""
    return {HIGHER: "Higher than", LOWER: "Lower than", SIMILAR: "Similar to"}[judgement] + " " + benchmark_text
