"""Retention removes what is due and nothing that any published number needs:
publications, rollups, every dashboard page and CSV export are unchanged after it."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from questionnaire import rollups
from questionnaire.models import CheckIn, CheckInItem, RetiredMonth, Rollup
from stats import retention
from stats.models import AuditEvent

from . import retention_data as data

D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2026, 8, 10, 12, 0))
POLICY = retention.Policy(checkin_months=24, login_days=30, audit_days=730)


# --- the decisions, without a database ---------------------------------------------

@pytest.mark.parametrize("today, months, cutoff", [
    (D(2026, 8, 10), 24, D(2024, 8, 1)),
    (D(2026, 8, 1), 24, D(2024, 8, 1)),
    (D(2026, 1, 31), 1, D(2025, 12, 1)),
    (D(2026, 3, 5), 14, D(2025, 1, 1)),
    (D(2026, 3, 5), 0, None),
])
def test_the_cutoff_keeps_the_running_month_and_n_whole_months_before_it(today, months, cutoff):
    assert retention.checkin_cutoff(today, months) == cutoff


def test_a_month_counts_in_its_month_quarter_and_year():
    assert retention.counting_periods(D(2024, 5, 1)) == ("2024-05", "2024-Q2", "2024")
    assert retention.counting_periods(D(2024, 12, 1)) == ("2024-12", "2024-Q4", "2024")


ALL_2024 = {f"2024-{m:02d}" for m in range(1, 13)} | {f"2024-Q{q}" for q in range(1, 5)} | {"2024"}


@pytest.mark.parametrize("published, cutoff, due", [
    ({1: ALL_2024}, D(2024, 8, 1), [(1, D(2024, 2, 1)), (1, D(2024, 5, 1))]),
    ({1: ALL_2024 - {"2024"}}, D(2024, 8, 1), []),  # the year is not published
    ({1: ALL_2024 - {"2024-Q2"}}, D(2024, 8, 1), [(1, D(2024, 2, 1))]),
    ({1: ALL_2024 - {"2024-02"}}, D(2024, 8, 1), [(1, D(2024, 5, 1))]),
    ({1: ALL_2024}, D(2024, 5, 1), [(1, D(2024, 2, 1))]),  # the cutoff month stays
    ({0: ALL_2024}, D(2025, 1, 1), [(0, D(2024, 2, 1))]),  # another site's publications count for nothing
    ({1: ALL_2024}, None, []),  # retention of check-ins turned off
])
def test_a_site_month_is_due_only_when_old_enough_and_every_period_counting_it_is_published(published, cutoff, due):
    site_months = [(1, D(2024, 2, 1)), (1, D(2024, 5, 1)), (1, D(2024, 8, 1)), (0, D(2024, 2, 1))]
    assert retention.due_months(site_months, published, cutoff) == due


def test_records_older_than_the_days_go_and_zero_keeps_them_forever():
    assert retention.moment_cutoff(NOW, 30) == NOW - datetime.timedelta(days=30)
    assert retention.moment_cutoff(NOW, 0) is None


# --- a run over real data -------------------------------------------------------------

@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Build the check-ins and publications once per module (publishing takes seconds);
    each test runs in its own transaction, rolled back after it."""
    with django_db_blocker.unblock():
        data.clear()
        site = data.build()
        yield site
        data.clear()


def _per_site_month():
    found = {}
    for site_id, day in CheckIn.objects.values_list("site_id", "submitted_on"):
        key = (site_id or 0, day.year, day.month)
        found[key] = found.get(key, 0) + 1
    return found


def _logins_and_audit(site):
    """Add old and recent failed-login records and audit events (relative to NOW)."""
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.get(username="member")
    made = {}
    for age in (31, 29):
        when = NOW - datetime.timedelta(days=age)
        attempt = AccessAttempt.objects.create(username=f"u{age}", ip_address="192.0.2.1", user_agent="",
                                               get_data="", post_data="", http_accept="", path_info="/",
                                               failures_since_start=1)
        failure = AccessFailureLog.objects.create(username=f"u{age}", ip_address="192.0.2.1", user_agent="",
                                                  http_accept="", path_info="/", locked_out=False)
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)
        AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=when)
        made[("login", age)] = (attempt.pk, failure.pk)
    for age in (731, 729):
        event = AuditEvent.objects.create(user=member, site=site, period="2024-Q1", action="view")
        AuditEvent.objects.filter(pk=event.pk).update(created_at=NOW - datetime.timedelta(days=age))
        made[("audit", age)] = event.pk
    # Sessions expire by Django's own clock (clearsessions reads it).
    real_now = timezone.now()
    Session.objects.create(session_key="e" * 32, session_data="x", expire_date=real_now - datetime.timedelta(hours=1))
    Session.objects.create(session_key="l" * 32, session_data="x", expire_date=real_now + datetime.timedelta(hours=1))
    return made


@pytest.mark.django_db
def test_retention_removes_only_check_ins_whose_every_period_is_published_and_no_number_changes(scene):
    before_tables = data.tables()
    before_pages = data.pages(scene)
    before = _per_site_month()
    items_before = CheckInItem.objects.count()
    made = _logins_and_audit(scene)

    report = retention.retention_run(today=data.TODAY, now=NOW, policy=POLICY, threshold=11, dry_run=False)

    # Riverside's February and May 2024: published month, quarter and year, older
    # than 24 whole months. August 2024 is published too but too recent; 2025's
    # year is not published; "no community" has no published year 2024.
    gone = {(scene.pk, 2024, 2), (scene.pk, 2024, 5)}
    assert report.months == [(scene.pk, D(2024, 2, 1)), (scene.pk, D(2024, 5, 1))]
    assert report.checkins == sum(before[k] for k in gone) == 35
    assert _per_site_month() == {k: n for k, n in before.items() if k not in gone}
    assert report.checkin_items == items_before - CheckInItem.objects.count() > 0
    assert not CheckInItem.objects.filter(checkin__isnull=True).exists()
    assert sorted(RetiredMonth.objects.values_list("site_key", "month", "checkins")) == [
        (scene.pk, D(2024, 2, 1), 15), (scene.pk, D(2024, 5, 1), 20)]

    from axes.models import AccessAttempt, AccessFailureLog

    old_attempt, old_failure = made[("login", 31)]
    new_attempt, new_failure = made[("login", 29)]
    assert report.login_records == 2
    assert not AccessAttempt.objects.filter(pk=old_attempt).exists()
    assert not AccessFailureLog.objects.filter(pk=old_failure).exists()
    assert AccessAttempt.objects.filter(pk=new_attempt).exists()
    assert AccessFailureLog.objects.filter(pk=new_failure).exists()
    assert report.audit_events == 1
    assert not AuditEvent.objects.filter(pk=made[("audit", 731)]).exists()
    assert AuditEvent.objects.filter(pk=made[("audit", 729)]).exists()
    assert report.sessions == 1
    assert not Session.objects.filter(session_key="e" * 32).exists()
    assert Session.objects.filter(session_key="l" * 32).exists()

    # Every published number, every page and every export: unchanged.
    assert data.tables() == before_tables
    after_pages = data.pages(scene)
    assert after_pages.keys() == before_pages.keys() and len(after_pages) > 40
    for name, body in before_pages.items():
        assert after_pages[name] == body, name

    # A second run finds nothing more to do.
    again = retention.retention_run(today=data.TODAY, now=NOW, policy=POLICY, threshold=11, dry_run=False)
    assert (again.checkins, again.months, again.login_records, again.audit_events) == (0, [], 0, 0)


@pytest.mark.django_db
def test_a_dry_run_counts_the_same_and_removes_nothing(scene):
    made = _logins_and_audit(scene)
    count = CheckIn.objects.count(), CheckInItem.objects.count(), AuditEvent.objects.count(), Session.objects.count()
    dry = retention.retention_run(today=data.TODAY, now=NOW, policy=POLICY, threshold=11, dry_run=True)
    assert (CheckIn.objects.count(), CheckInItem.objects.count(), AuditEvent.objects.count(),
            Session.objects.count()) == count
    assert not RetiredMonth.objects.exists()
    assert made
    real = retention.retention_run(today=data.TODAY, now=NOW, policy=POLICY, threshold=11, dry_run=False)
    assert (dry.checkins, dry.checkin_items, dry.months, dry.login_records, dry.audit_events, dry.sessions) == (
        real.checkins, real.checkin_items, real.months, real.login_records, real.audit_events, real.sessions)


@pytest.mark.django_db
def test_nothing_is_removed_under_a_policy_of_zeros(scene):
    count = CheckIn.objects.count()
    report = retention.retention_run(today=D(2040, 1, 1), now=NOW, policy=retention.Policy(0, 0, 0),
                                     threshold=11, dry_run=False)
    assert (report.checkins, report.login_records, report.audit_events) == (0, 0, 0)
    assert CheckIn.objects.count() == count


@pytest.mark.django_db
def test_publications_at_another_threshold_do_not_count(scene):
    report = retention.retention_run(today=data.TODAY, now=NOW, policy=POLICY, threshold=12, dry_run=True)
    assert report.months == []


@pytest.mark.django_db
def test_a_month_whose_rollups_differ_from_its_check_ins_is_kept_and_reported(scene):
    Rollup.objects.filter(site_key=scene.pk, month=D(2024, 5, 1), dimension="total").update(count=21)
    report = retention.retention_run(today=data.TODAY, now=NOW, policy=POLICY, threshold=11, dry_run=False)
    assert report.months == [(scene.pk, D(2024, 2, 1))]
    assert report.mismatched == [(scene.pk, D(2024, 5, 1))]
    assert CheckIn.objects.filter(site=scene, submitted_on__year=2024, submitted_on__month=5).count() == 20


@pytest.mark.django_db
def test_rollups_check_knows_retired_months_and_still_checks_their_totals(scene):
    retention.retention_run(today=data.TODAY, now=NOW, policy=POLICY, threshold=11, dry_run=False)
    stored = data.tables()["rollups"]
    assert rollups.recompute(apply=False) == []
    call_command("rollups_check")
    call_command("rollups_check", "--fix")
    assert data.tables()["rollups"] == stored  # a repair never drops a retired month's rollups
    # A retired month's total is still compared, with the check-ins removed.
    Rollup.objects.filter(site_key=scene.pk, month=D(2024, 2, 1), dimension="total").update(count=16)
    assert rollups.recompute(apply=False) == [
        f"({scene.pk}, datetime.date(2024, 2, 1), 'total', 'all'): stored (16, 0), recomputed (15, 0)"]
    with pytest.raises(CommandError):
        call_command("rollups_check")


@pytest.mark.django_db
def test_the_command_prints_counts_only_and_dry_run_removes_nothing(scene, capsys):
    count = CheckIn.objects.count()
    call_command("retention", "--dry-run", "--today", "2026-08-10")
    out = capsys.readouterr().out
    assert "would remove 35 shared check-ins" in out
    assert CheckIn.objects.count() == count
    with pytest.raises(CommandError, match="--dry-run"):
        call_command("retention", "--today", "2026-08-10")
    with pytest.raises(CommandError, match="not a date"):
        call_command("retention", "--dry-run", "--today", "2026-13-01")


@pytest.mark.django_db
def test_the_command_removes_what_it_reports(scene, capsys):
    count = CheckIn.objects.count()
    call_command("retention")
    out = capsys.readouterr().out
    removed = int(out.split("removed ", 1)[1].split(" shared check-ins")[0])
    assert removed > 0 and CheckIn.objects.count() == count - removed
    assert "expired sessions" in out and "failed-login records" in out and "audit events" in out


@pytest.mark.parametrize(("value", "ok"), [("0", True), ("36", True), ("-1", False), ("two", False)])
def test_a_retention_setting_below_zero_or_not_a_number_stops_start_up(value, ok):
    from .test_settings import PRODUCTION, manage

    result = manage("check", RETENTION_CHECKIN_MONTHS=value, **PRODUCTION)
    assert (result.returncode == 0) is ok, result.stdout + result.stderr
    if not ok:
        assert "RETENTION_CHECKIN_MONTHS" in result.stderr
