"""The one seeding path for synthetic shared check-ins (tests and benchmarks).

A check-in's rollup cells come from the app's own code, as a live submission
makes them: ``synthetic.answers`` → ``scoring.score`` → ``services.checkin_fields``
→ ``rollups.facts``. Storing only the rollups (``seed_rollups``) is what the
staff wing reads, so publishing can be tested and measured without the rows;
``benchmarks/seed.py`` writes the rows too, at benchmark scale, through the same
``submission``.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterable, Iterator

from questionnaire import rules, scoring, synthetic
from questionnaire.rollups import facts
from questionnaire.services import checkin_fields

Cell = tuple[datetime.date, str, str]  # (month, dimension, value)


def submission(answers: dict, *, site=None) -> tuple[dict, list[str], list[tuple[str, str, int]]]:
    """Return what a shared submission of ``answers`` stores: the CheckIn column values,
    the results items shown (``site``: a community's name and contact, or None) and
    the rollup cells."""
    scores = scoring.score(answers)
    fields = {**checkin_fields(answers, scores), "content_version": rules.CONTENT_VERSION}
    return fields, _shown(answers, scores, site), facts(fields)


def _shown(answers: dict, scores: scoring.Scores, site) -> list[str]:
    return rules.shown_item_ids(rules.evaluate(answers, scores, site=site))


def synthetic_checkins(months: dict[datetime.date, int], rng: random.Random) -> Iterator[tuple[datetime.date, dict]]:
    """Yield (month, answers) for ``months[month]`` synthetic check-ins in each month."""
    for month, size in months.items():
        for _ in range(size):
            yield month, synthetic.answers(rng)


def rollups_of(checkins: Iterable[tuple[datetime.date, dict]], *, items: bool = False,
               site=None) -> dict[Cell, tuple[int, int]]:
    """Return the rollups the check-ins add up to: (month, dimension, value) → (count, total).

    ``items`` adds an "item" cell per results item shown (``site`` as in ``submission``):
    the attacker's model of our public logic reads them (``benchmarks/attack.py``).
    """
    counts, totals = Counter(), Counter()
    for month, answers in checkins:
        scores = scoring.score(answers)
        shown = _shown(answers, scores, site) if items else ()
        for dimension, value, amount in facts(checkin_fields(answers, scores), shown):
            counts[(month, dimension, value)] += 1
            totals[(month, dimension, value)] += amount
    return {cell: (count, totals[cell]) for cell, count in counts.items()}


def store_rollups(site_key: int, rollups: dict[Cell, tuple[int, int]]) -> None:
    from questionnaire.models import Rollup

    Rollup.objects.bulk_create(
        (Rollup(site_key=site_key, month=m, dimension=d, value=v, count=c, total=t)
         for (m, d, v), (c, t) in rollups.items()), batch_size=5000)


def seed_rollups(site_key: int, months: dict[datetime.date, int], rng: random.Random) -> dict[Cell, tuple[int, int]]:
    """Store the rollups of synthetic check-ins for one site (no check-in rows); return them."""
    rollups = rollups_of(synthetic_checkins(months, rng))
    store_rollups(site_key, rollups)
    return rollups
