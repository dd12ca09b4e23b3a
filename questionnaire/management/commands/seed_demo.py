"""Load demo data: the `demo` community, synthetic shared check-ins, a staff user."""

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


class Command(BaseCommand):
    help = "Create the demo community, a few hundred synthetic check-ins and a staff user (once)."

    def add_arguments(self, parser):
        parser.add_argument("--checkins", type=int, default=400)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, checkins, seed, **options):
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
        self._staff(site)

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
                token=secrets.token_urlsafe(32),
                today=today - datetime.timedelta(days=days_ago),
            )
        self.stdout.write(f"Created {count} synthetic check-ins for {site.name}.")

    def _staff(self, site):
        User = get_user_model()
        if User.objects.filter(username=STAFF_USERNAME).exists():
            self.stdout.write(
                f"Staff user {STAFF_USERNAME!r} exists (its password was printed when it was made; "
                f"reset it with: manage.py changepassword {STAFF_USERNAME})."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(STAFF_USERNAME, password=password)
        Membership.objects.create(user=user, site=site)
        self.stdout.write(
            self.style.SUCCESS(
                f"Staff user {STAFF_USERNAME!r} created. Password (shown only this once): {password}"
            )
        )
