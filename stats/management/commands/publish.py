"""Publish every complete period of every site that is not published yet (run daily)."""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stats import publishing


class Command(BaseCommand):
    help = "Publish every complete month, quarter and year of every site, in order (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="publish as if today were this date (YYYY-MM-DD); for tests and catch-up")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"{today!r} is not a date: use YYYY-MM-DD.") from None
        else:
            day = timezone.localdate()
        start = time.perf_counter()
        made = publishing.publish_all(today=day, threshold=settings.SUPPRESSION_THRESHOLD)
        for pub in made:
            self.stdout.write(f"published site {pub.site_key or 'none'} {pub.period}")
        self.stdout.write(f"{len(made)} new publications in {time.perf_counter() - start:.1f} s.")
