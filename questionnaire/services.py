"""Writes: saving a shared check-in (the only place a CheckIn row is made)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from . import instruments as ins
from .models import CheckIn, CheckInItem, Site
from .rollups import facts, rollup_add
from .rules import CONTENT_VERSION
from .scoring import Scores

def checkin_fields(answers: dict, scores: Scores) -> dict:
    """Return the CheckIn column values for one set of answers and its scores."""
    fields: dict = {}
    for q in ins.QUESTIONS:
        if q.kind in (ins.SINGLE, ins.SCALE):
            fields[q.code] = answers.get(q.code)
        elif q.kind == ins.MULTI:
            chosen = answers.get(q.code) or []
            for value, _ in q.all_choices:
                fields[ins.multi_field(q.code, value)] = value in chosen
        else:
            for option, _ in q.rows:
                fields[ins.coping_field(option)] = answers.get(ins.coping_field(option))
    fields.update(scores.as_dict())
    if scores.peg is not None:
        fields["peg"] = Decimal(f"{scores.peg:.1f}")  # exactly one decimal, as stored
    return fields


def checkin_submit(
    *, answers: dict, scores: Scores, site: Site | None, shown: list[str], today: datetime.date,
    claim: Callable[[], bool] | None = None,
) -> CheckIn | None:
    """Save one shared check-in, the results items it was shown and its rollups, once.

    ``claim`` runs first, in the same transaction: it removes the check-in's
    server-side copy (``flow.claim``) and says whether this request got it. If
    not (a second click, a concurrent POST) nothing is saved and None returned.
    Nothing else is written: no token, no session row, no time of day, so no
    row in the database can be paired with this one. Seeders and benchmarks,
    which have no session, pass no ``claim``.
    """
    with transaction.atomic():
        if claim is not None and not claim():
            return None
        fields = checkin_fields(answers, scores)
        checkin = CheckIn(site=site, submitted_on=today, content_version=CONTENT_VERSION, **fields)
        # Field checks here (choices, ranges); the database enforces the
        # constraints itself, without one query per constraint.
        checkin.full_clean(validate_constraints=False)
        checkin.save()
        CheckInItem.objects.bulk_create(CheckInItem(checkin=checkin, item_id=item) for item in shown)
        rollup_add(site_id=site.pk if site else None, day=today, cells=facts(fields))
    return checkin
