"""Remove what the retention settings say is due (run daily, after publish)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stats import retention


class Command(BaseCommand):
    help = ("Remove shared check-ins whose every period is published and older than RETENTION_CHECKIN_MONTHS, "
            "expired sessions, failed-login records and audit events past their RETENTION_* days.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be removed")
        parser.add_argument("--today", help="with --dry-run: count as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, dry_run=False, today=None, **options):
        now = timezone.now()
        day = timezone.localdate(now)
        if today:
            if not dry_run:
                raise CommandError("--today only previews: use it with --dry-run.")
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"{today!r} is not a date: use YYYY-MM-DD.") from None
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        policy = retention.Policy.from_settings()
        report = retention.retention_run(today=day, now=now, policy=policy,
                                         threshold=settings.SUPPRESSION_THRESHOLD, dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        self.stdout.write(f"{verb} {report.checkins} shared check-ins ({report.checkin_items} results items) "
                          f"of {len(report.months)} published site-months")
        self.stdout.write(f"{verb} {report.sessions} expired sessions")
        self.stdout.write(f"{verb} {report.login_records} failed-login records")
        self.stdout.write(f"{verb} {report.audit_events} audit events")
        if report.mismatched:
            months = ", ".join(f"site {key or 'none'} {month:%Y-%m}" for key, month in report.mismatched)
            raise CommandError(f"kept the check-ins of {months}: their rollups differ from them "
                               "(run rollups_check).")
