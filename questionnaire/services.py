"""Writes: saving a shared check-in (the only place a CheckIn row is made)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from . import instruments as ins
from .models import CheckIn, CheckInItem, Site, UsedSubmitToken
from .rollups import facts, rollup_add
from .rules import CONTENT_VERSION
from .scoring import Scores

TOKEN_LIFETIME = datetime.timedelta(days=2)  # longer than any session lasts


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
    *, answers: dict, scores: Scores, site: Site | None, shown: list[str], token: str,
    today: datetime.date,
) -> CheckIn | None:
    """Save one shared check-in, the results items it was shown and its rollups, once per token.

    Return None (and save nothing) if the token was already spent.

    The token row and the check-in are written in one transaction, so two
    concurrent POSTs of the same form (a double click) leave exactly one row.
    """
    try:
        with transaction.atomic():
            UsedSubmitToken.objects.create(token=token, used_on=today)
            fields = checkin_fields(answers, scores)
            checkin = CheckIn(site=site, submitted_on=today, content_version=CONTENT_VERSION, **fields)
            # Field checks here (choices, ranges); the database enforces the
            # constraints itself, without one query per constraint.
            checkin.full_clean(validate_constraints=False)
            checkin.save()
            CheckInItem.objects.bulk_create(CheckInItem(checkin=checkin, item_id=item) for item in shown)
            rollup_add(site_id=site.pk if site else None, day=today, cells=facts(fields, shown))
    except IntegrityError:
        return None
    UsedSubmitToken.objects.filter(used_on__lt=today - TOKEN_LIFETIME).delete()
    return checkin
