"""Writes: saving a shared check-in (the only place a CheckIn row is made)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from . import instruments as ins
from .models import CheckIn, CheckInItem, Site, UsedSubmitToken
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
    return fields


def checkin_submit(
    *, answers: dict, scores: Scores, site: Site | None, shown: list[str], token: str,
    today: datetime.date,
) -> CheckIn | None:
    """Save one shared check-in and the results items it was shown, once per token.

    Return None (and save nothing) if the token was already spent.

    The token row and the check-in are written in one transaction, so two
    concurrent POSTs of the same form (a double click) leave exactly one row.
    """
    try:
        with transaction.atomic():
            UsedSubmitToken.objects.create(token=token, used_on=today)
            checkin = CheckIn(
                site=site, submitted_on=today, content_version=CONTENT_VERSION,
                **checkin_fields(answers, scores),
            )
            checkin.full_clean()
            checkin.save()
            CheckInItem.objects.bulk_create(CheckInItem(checkin=checkin, item_id=item) for item in shown)
    except IntegrityError:
        return None
    UsedSubmitToken.objects.filter(used_on__lt=today - TOKEN_LIFETIME).delete()
    return checkin
