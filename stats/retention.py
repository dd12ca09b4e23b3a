"""Retention: what is removed, and when, so nothing personal is kept forever.

- A shared check-in (and the results items it was shown) goes once it is older
  than ``RETENTION_CHECKIN_MONTHS`` whole months **and** every period that counts
  it is published for its community: its month, its quarter and its year. A
  check-in counts in one community only (its site, or "no community"), so those
  three publications are all that can ever show it. Publications are frozen and
  made from rollups, never from check-ins, and the rollups stay; so no published
  number changes, and a period published again later (a new format, a raised
  threshold) is made from the same rollups. A site's month goes whole, and is
  recorded as a ``RetiredMonth`` so that ``rollups_check`` knows why its rollups
  have no check-ins behind them. A month whose rollups do not match its
  check-ins is kept and reported: the check-ins are the only way to repair it.
- Expired sessions: Django's ``clearsessions`` (by its own clock: a session's
  expiry is its own).
- django-axes' records of failed staff logins older than ``RETENTION_LOGIN_DAYS``.
- The staff audit log older than ``RETENTION_AUDIT_DAYS``.

The decisions (``checkin_cutoff``, ``moment_cutoff``, ``due_months``) are pure:
``today``/``now`` are passed in, never read from a clock. ``retention_run`` does
the deleting; ``manage.py retention`` only calls it and prints the counts.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models.functions import TruncMonth
from django.utils import timezone

from . import periods

SiteMonth = tuple[int, datetime.date]  # (rollup site key, first day of the month)


@dataclass(frozen=True)
class Policy:
    """How long each kind of record is kept; 0 keeps it forever."""

    checkin_months: int
    login_days: int
    audit_days: int

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(settings.RETENTION_CHECKIN_MONTHS, settings.RETENTION_LOGIN_DAYS, settings.RETENTION_AUDIT_DAYS)


def checkin_cutoff(today: datetime.date, months: int) -> datetime.date | None:
    """Return the first month whose check-ins are kept whatever is published: the
    running month and the ``months`` whole months before it (None: keep all)."""
    if months <= 0:
        return None
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def moment_cutoff(now: datetime.datetime, days: int) -> datetime.datetime | None:
    """Return the moment before which records are removed (None: keep all)."""
    return None if days <= 0 else now - datetime.timedelta(days=days)


def counting_periods(month: datetime.date) -> tuple[str, str, str]:
    """Return the labels of every published period a month's check-ins count in."""
    quarter = datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    return (periods.Period(month, periods.MONTH).label, periods.Period(quarter, periods.QUARTER).label,
            periods.Period(datetime.date(month.year, 1, 1), periods.YEAR).label)


def due_months(site_months: Iterable[SiteMonth], published: Mapping[int, Collection[str]],
               cutoff: datetime.date | None) -> list[SiteMonth]:
    """Return the site-months whose check-ins may go: before ``cutoff``, and their
    month, quarter and year all published for that site key."""
    if cutoff is None:
        return []
    return sorted({(key, month) for key, month in site_months
                   if month < cutoff and set(counting_periods(month)) <= set(published.get(key, ()))})


@dataclass
class Report:
    """What a run removed (or, dry, would remove): counts only."""

    checkins: int = 0
    checkin_items: int = 0
    months: list[SiteMonth] = field(default_factory=list)  # site-months retired
    mismatched: list[SiteMonth] = field(default_factory=list)  # due, but kept: rollups differ from check-ins
    sessions: int = 0
    login_records: int = 0
    audit_events: int = 0


def _month_checkins(key: int, month: datetime.date):
    """Return the check-ins of one site-month (key 0: those of no community)."""
    from questionnaire.models import CheckIn

    queryset = CheckIn.objects.filter(site__isnull=True) if key == 0 else CheckIn.objects.filter(site_id=key)
    return queryset.filter(submitted_on__gte=month, submitted_on__lt=periods.Period(month, periods.MONTH).end)


def _rollups_match(key: int, month: datetime.date) -> bool:
    """Return whether a site-month's stored rollups are exactly what its check-ins make."""
    from questionnaire import rollups
    from questionnaire.models import Rollup

    checkins = _month_checkins(key, month)
    expected: Counter = Counter()
    for fields in checkins.values().iterator(chunk_size=2000):
        for dimension, value, amount in rollups.facts(fields):
            expected[(dimension, value)] += 1
            expected[(dimension, value, "total")] += amount
    stored: Counter = Counter()
    for dimension, value, count, total in Rollup.objects.filter(site_key=key, month=month).values_list(
            "dimension", "value", "count", "total"):
        stored[(dimension, value)] += count
        stored[(dimension, value, "total")] += total
    return +expected == +stored


def _site_months(cutoff: datetime.date) -> set[SiteMonth]:
    from questionnaire import rollups
    from questionnaire.models import CheckIn

    rows = (CheckIn.objects.filter(submitted_on__lt=cutoff).annotate(m=TruncMonth("submitted_on"))
            .values_list("site_id", "m").distinct())
    return {(rollups.site_key(site_id), month if isinstance(month, datetime.date) else month.date())
            for site_id, month in rows}


def _published(keys: Iterable[int], threshold: int) -> dict[int, set[str]]:
    from . import selectors

    return {key: {p.label for p in selectors.published_periods(site_key=key, threshold=threshold)} for key in keys}


def retention_run(*, today: datetime.date, now: datetime.datetime, policy: Policy, threshold: int,
                  dry_run: bool) -> Report:
    """Remove (or, with ``dry_run``, count) every record the policy says is due."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from questionnaire.models import RetiredMonth

    from .models import AuditEvent

    report = Report()
    cutoff = checkin_cutoff(today, policy.checkin_months)
    if cutoff is not None:
        candidates = _site_months(cutoff)
        published = _published({key for key, _ in candidates}, threshold)
        for key, month in due_months(candidates, published, cutoff):
            with transaction.atomic():
                checkins = _month_checkins(key, month)
                if not _rollups_match(key, month):
                    report.mismatched.append((key, month))
                    continue
                report.months.append((key, month))
                if dry_run:
                    from questionnaire.models import CheckInItem

                    report.checkins += checkins.count()
                    report.checkin_items += CheckInItem.objects.filter(checkin__in=checkins).count()
                    continue
                _, removed = checkins.delete()
                report.checkins += removed.get("questionnaire.CheckIn", 0)
                report.checkin_items += removed.get("questionnaire.CheckInItem", 0)
                retired, made = RetiredMonth.objects.select_for_update().get_or_create(
                    site_key=key, month=month,
                    defaults={"checkins": removed.get("questionnaire.CheckIn", 0), "retired_on": today})
                if not made:
                    retired.checkins += removed.get("questionnaire.CheckIn", 0)
                    retired.save(update_fields=["checkins"])

    session_model = import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
    # Sessions carry their own expiry, and Django's clearsessions judges it by its
    # own clock: the one decision here not taken on ``now``.
    report.sessions = session_model.objects.filter(expire_date__lt=timezone.now()).count()
    if not dry_run:
        call_command("clearsessions")  # Django's own pruning of expired sessions

    since = moment_cutoff(now, policy.login_days)
    if since is not None:
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            old = model.objects.filter(attempt_time__lt=since)
            report.login_records += old.count() if dry_run else old.delete()[1].get(model._meta.label, 0)

    since = moment_cutoff(now, policy.audit_days)
    if since is not None:
        old = AuditEvent.objects.filter(created_at__lt=since)
        report.audit_events += old.count() if dry_run else old.delete()[0]
    return report
