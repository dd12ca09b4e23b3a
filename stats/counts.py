"""True counts of a site, read from its monthly rollups.

Only publishing (and the benchmarks' metrics and the tests) read true counts:
staff never see them, only what ``publishing`` made of them (``selectors``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from questionnaire.models import Rollup

from . import catalogue, periods
from .catalogue import MEANS, Key

MEAN_SUMS = {sum_name for sum_name, _, _ in MEANS.values()}


class Counts:
    """True counts of a site's cells, summed from its monthly rollups (one query)."""

    def __init__(self, site_key: int, until: datetime.date):
        self.first_month: datetime.date | None = None
        rows = Rollup.objects.filter(site_key=site_key, month__lt=until).values_list(
            "month", "dimension", "value", "count", "total"
        )
        self._months: dict[datetime.date, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        self._sums: dict[datetime.date, dict[str, tuple[int, int]]] = defaultdict(dict)
        for month, dimension, value, count, total in rows:
            self.first_month = min(self.first_month or month, month)
            if dimension in MEAN_SUMS:
                self._sums[month][dimension] = (count, total)
                continue
            for cat in catalogue.categories(dimension, value):
                self._months[month][(dimension, cat)] += count
        self._cache: dict[str, dict[Key, int]] = {}

    def of(self, period: periods.Period) -> dict[Key, int]:
        """Return the count of every cell of a period (zeros included)."""
        if period.label not in self._cache:
            found: dict[tuple[str, str], int] = defaultdict(int)
            for month in periods.months(period):
                for cell, count in self._months.get(month.start, {}).items():
                    found[cell] += count
            self._cache[period.label] = {key: found[(key[1], key[2])] for key in catalogue.build(period).cells}
        return self._cache[period.label]

    def sum_of(self, period: periods.Period, dimension: str) -> tuple[int, int]:
        """Return (how many, their sum) behind a mean over a period."""
        n = s = 0
        for month in periods.months(period):
            count, total = self._sums.get(month.start, {}).get(dimension, (0, 0))
            n, s = n + count, s + total
        return n, s
