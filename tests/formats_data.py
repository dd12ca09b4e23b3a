"""A site whose catalogue changes under it, for tests/test_formats.py and benchmarks/formats.py.

``seed`` stores a year of a demo-like site's rollups (about 100 check-ins a
quarter), with some people taking medication for opioid use disorder (the
category format 5 adds), through the same facts a live submission adds.
``joined`` is what an attacker who kept every version of every publication
knows: for each cell, a count wherever any version showed one.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter

from questionnaire import rollups, scoring, synthetic
from questionnaire.models import Rollup
from questionnaire.services import checkin_fields

YEAR = 2025
# Check-ins per month: demo-like (about 100 a quarter), with one small month.
SIZES = {1: 28, 2: 35, 3: 31, 4: 9, 5: 44, 6: 40, 7: 30, 8: 26, 9: 38, 10: 33, 11: 41, 12: 29}


def seed(site_key: int, *, sizes: dict[int, int] = SIZES, seed: int = 20, moud: float = 0.15) -> None:
    """Store a year of synthetic check-ins' rollups; a share ``moud`` also take MOUD."""
    rng = random.Random(seed)
    cells, totals = Counter(), Counter()
    for month, size in sizes.items():
        day = datetime.date(YEAR, month, 1)
        for _ in range(size):
            answers = synthetic.answers(rng)
            meds = [m for m in answers.get("medicines") or [] if m not in ("none", "prefer_not")]
            if answers.get("medicines") is not None and "prefer_not" not in answers["medicines"] \
                    and rng.random() < moud:
                answers["medicines"] = [*meds, "moud"]
            for dimension, value, amount in rollups.facts(checkin_fields(answers, scoring.score(answers))):
                cells[(day, dimension, value)] += 1
                totals[(day, dimension, value)] += amount
    Rollup.objects.bulk_create(
        Rollup(site_key=site_key, month=m, dimension=d, value=v, count=c, total=totals[(m, d, v)])
        for (m, d, v), c in cells.items())


def joined(versions) -> dict:
    """Return every version of every publication as one attacker's view, in the shape
    ``tests.disclosure_audit.attack`` reads: a count wins over a marker, a shown
    figure over a hidden one. ``versions``: publication ``data`` dicts with their period."""
    out: dict[str, dict] = {}
    for period, data in versions:
        pub = out.setdefault(period, {"cells": {}, "derived": {}})
        for code, value in data["cells"].items():
            if isinstance(value, int) and isinstance(pub["cells"].get(code), int):
                assert value == pub["cells"][code], f"{code} was published as {pub['cells'][code]} and {value}"
            if not isinstance(pub["cells"].get(code), int):
                pub["cells"][code] = value
        for label, figures in (data.get("derived") or {}).items():
            known = pub["derived"].setdefault(label, {})
            for name, value in figures.items():
                if known.get(name) is None:
                    known[name] = value
    return out


def stored(site_key: int, threshold: int) -> list[tuple[str, dict]]:
    """Return (period, data) of every publication of a site, every version."""
    from stats.models import Publication

    return [(p.period, p.data) for p in Publication.objects.filter(site_key=site_key, threshold=threshold)
            .order_by("period", "version")]
