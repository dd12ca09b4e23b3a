"""Load demo data: the `demo` community, synthetic shared check-ins, a staff member
of it and an administrator. Each account's generated password is printed once."""

import datetime
import random
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from questionnaire import rules, scoring, synthetic
from questionnaire.models import Membership, Site
from questionnaire.services import checkin_submit

STAFF_USERNAME = "demo-staff"
ADMIN_USERNAME = "demo-admin"


class Command(BaseCommand):
    help = "Create the demo community, a few hundred synthetic check-ins, a staff user and an admin (once)."

    def add_arguments(self, parser):
        parser.add_argument("--checkins", type=int, default=400)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, checkins, seed, verbosity=1, **options):
        self.quiet = verbosity == 0  # a scratch database (the benchmarks): no password shown
        site, _ = Site.objects.get_or_create(
            slug="demo",
            defaults={
                "name": "Demo Recovery Community",
                "contact": "Peer support meets Tuesdays at 6 pm. Call the front desk at 555-0100.",
            },
        )
        if site.checkins.exists():
            self.stdout.write(f"Demo community already has {site.checkins.count()} check-ins.")
        else:
            self._checkins(site, checkins, random.Random(seed))
        staff = self._account(STAFF_USERNAME, "Staff member of the demo community (staff pages)")
        if staff:
            Membership.objects.create(user=staff, site=site)
        self._account(ADMIN_USERNAME, "Administrator (the admin site and every community's numbers)", superuser=True)

    def _checkins(self, site, count, rng):
        today = timezone.localdate()
        for _ in range(count):
            # Spread over the last 12 months, growing towards today, so most months
            # are big enough to publish and some counts are small enough to hide.
            days_ago = int(365 * (rng.random() if rng.random() < 0.75 else rng.random() ** 2))
            answers = synthetic.answers(rng)
            scores = scoring.score(answers)
            checkin_submit(
                answers=answers,
                scores=scores,
                site=site,
                shown=rules.shown_item_ids(rules.evaluate(answers, scores, site=site)),
                today=today - datetime.timedelta(days=days_ago),
            )
        self.stdout.write(f"Created {count} synthetic check-ins for {site.name}.")

    def _account(self, username, role, *, superuser=False):
        """Create an account with a generated password, printed only now; return it (None if it existed)."""
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"{role}: {username!r} exists (its password was printed when it was made; "
                f"set a new one with: .venv/bin/python manage.py changepassword {username})."
            )
            return None
        password = secrets.token_urlsafe(12)
        if superuser:
            user = User.objects.create_superuser(username, password=password)
        else:
            user = User.objects.create_user(username, password=password)
        if not self.quiet:
            self.stdout.write(self.style.SUCCESS(
                f"{role}: {username!r} created. Password (shown only this once): {password}"
            ))
        return user
