"""Publish every complete period of every site that is not published yet (run daily).

On PostgreSQL any number of these may run at once, on any number of machines, and
each may use several processes (--jobs): every site is claimed by one process at a
time (stats.publishing.claim), and its new publications are written in one
transaction. On SQLite one process publishes.

A published period keeps the format it was made in. ``--republish PERIOD --site
SLUG`` publishes one old period again in the present format, as a new version
beside the old (an operator's choice, never automatic; stats.publishing.republish).
"""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from questionnaire.models import Site
from questionnaire.rollups import site_key
from stats import announce, periods, publishing


class Command(BaseCommand):
    help = "Publish every complete month, quarter and year of every site, in order (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="publish as if today were this date (YYYY-MM-DD); for tests and catch-up")
        parser.add_argument("--jobs", type=int, default=1,
                            help="processes publishing sites side by side (PostgreSQL only; default 1)")
        parser.add_argument("--republish", metavar="PERIOD",
                            help="publish this old period again in the present format, as a new version "
                                 "beside the first (needs --site)")
        parser.add_argument("--site", help="with --republish: a site's slug, or 'none' for no community")

    def handle(self, *args, today=None, jobs=1, republish=None, site=None, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"{today!r} is not a date: use YYYY-MM-DD.") from None
        else:
            day = timezone.localdate()
        if republish or site:
            self._republish(republish, site, day)
            return
        start = time.perf_counter()
        try:
            done = publishing.run(today=day, threshold=settings.SUPPRESSION_THRESHOLD, jobs=jobs)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for pub in done.made:
            self.stdout.write(f"published site {pub.site_key or 'none'} {pub.period}")
        if done.skipped:
            self.stdout.write(f"left to another publish run, which held them: sites "
                              f"{', '.join(str(key or 'none') for key in done.skipped)}")
        if done.made:
            # Staff who opted in hear of new figures: a link, never a number. What is
            # published stays published if the mail server is down.
            try:
                sent = announce.announce(done.made)
            except OSError as error:
                self.stderr.write(f"could not send the e-mails about new figures: {error}")
            else:
                if sent:
                    self.stdout.write(f"{sent} e-mails about new figures sent.")
        self.stdout.write(f"{len(done.made)} new publications in {time.perf_counter() - start:.1f} s.")

    def _republish(self, label, slug, day):
        if not label or not slug:
            raise CommandError("Name both the period (--republish 2026-Q1) and the site (--site SLUG, or none).")
        try:
            period = periods.parse(label)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if slug == "none":
            key = 0
        else:
            found = Site.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"No site with the slug {slug!r}.")
            key = site_key(found.pk)
        try:
            pub = publishing.republish(site_key=key, period=period, threshold=settings.SUPPRESSION_THRESHOLD,
                                       today=day)
        except publishing.RepublishRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"published site {slug} {pub.period} again: version {pub.version}, "
                          f"format {pub.data['format']} (version {pub.data['remade']['from_version']} stays, "
                          f"format {pub.data['remade']['from_format']}).")
