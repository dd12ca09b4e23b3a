"""Shared by the retention and backup tests: a site and the "no community" group
with check-ins over several months of 2024 and 2025, some periods published, and
a snapshot of everything staff can read (publications, rollups, every published
dashboard page and CSV export)."""

from __future__ import annotations

import datetime
import random
import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

from questionnaire import rules, scoring, synthetic
from questionnaire.services import checkin_submit
from stats import periods, publishing, selectors

# Publishing and retention both run "on" this day: no clock is read.
TODAY = datetime.date(2026, 8, 10)
SITE_MONTHS = {(2024, 2): 15, (2024, 5): 20, (2024, 8): 18, (2024, 11): 25, (2025, 2): 14, (2025, 5): 12}
SITE_PUBLISHED_TO = "2025-Q1"  # every month, quarter and year of 2024, and 2025 to March
NONE_MONTHS = {(2024, 3): 13, (2024, 9): 16}
NONE_PUBLISHED_TO = "2024-Q3"  # not the year 2024: its check-ins must all stay
PASSWORD = "a-long-test-password"


def fill(site, sizes, seed):
    """Submit shared check-ins as people would (results items included)."""
    rng = random.Random(seed)
    for (year, month), size in sizes.items():
        for _ in range(size):
            answers = synthetic.answers(rng)
            scores = scoring.score(answers)
            shown = rules.shown_item_ids(rules.evaluate(answers, scores, site=site))
            checkin_submit(answers=answers, scores=scores, site=site, shown=shown,
                           today=datetime.date(year, month, rng.randint(1, 28)))


def build():
    """Make the site, its check-ins and publications, a member and a superuser."""
    from django.contrib.auth import get_user_model

    from questionnaire.models import Membership, Site

    site = Site.objects.create(slug="riverside", name="Riverside Recovery")
    fill(site, SITE_MONTHS, seed=11)
    fill(None, NONE_MONTHS, seed=12)
    threshold = settings.SUPPRESSION_THRESHOLD
    publishing.publish_until(site_key=site.pk, period=periods.parse(SITE_PUBLISHED_TO), today=TODAY,
                             threshold=threshold)
    publishing.publish_until(site_key=0, period=periods.parse(NONE_PUBLISHED_TO), today=TODAY, threshold=threshold)
    User = get_user_model()
    member = User.objects.create_user("member", password=PASSWORD)
    Membership.objects.create(user=member, site=site)
    User.objects.create_superuser("root", password=PASSWORD)
    return site


def clear():
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from questionnaire.models import CheckIn, CheckInItem, Membership, RetiredMonth, Rollup, Site
    from stats.models import AuditEvent, Publication

    for model in (AuditEvent, Publication, Rollup, RetiredMonth, CheckInItem, CheckIn, Membership, Session):
        model.objects.all().delete()
    Site.objects.all().delete()
    get_user_model().objects.all().delete()


# What differs between two responses of the same page: the CSP nonce and the
# masked CSRF token are new in every response, and each chart's element ids come
# from a counter of the process.
_PER_RESPONSE = re.compile(r'(nonce="|name="csrfmiddlewaretoken" value=")[^"]*"')
_CHART_ID = re.compile(r'\bchart\d+-')


def _steady(html: bytes) -> bytes:
    return _CHART_ID.sub("chart-", _PER_RESPONSE.sub(r'\1"', html.decode())).encode()


def pages(site) -> dict[str, bytes]:
    """Return every published period's dashboard (nonce and CSRF token blanked) and
    CSV export, for the site (as its member) and "no community" (as the superuser),
    and the staff home."""
    from django.contrib.auth import get_user_model

    out = {}
    threshold = settings.SUPPRESSION_THRESHOLD
    for username, key, args, suffix in (("member", site.pk, [site.slug], ""), ("root", 0, [], "_none")):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for period in selectors.offered_periods(site_key=key, threshold=threshold):  # the pages staff can open
            for name in ("dashboard", "export"):
                response = client.get(reverse(f"stats:{name}{suffix}", args=args) + f"?period={period.label}")
                assert response.status_code == 200, (name, key, period, response.content[:300])
                body = response.content
                if name == "dashboard":
                    body = _steady(body)
                out[f"{name}{suffix} {period.label}"] = body
        out[f"home {username}"] = _steady(client.get(reverse("stats:home")).content)
    return out


def tables(using="default") -> dict[str, list]:
    """Return every row of the tables the numbers are made from and kept in."""
    from questionnaire.models import Rollup
    from stats.models import Publication

    return {
        "publications": sorted(Publication.objects.using(using).values_list(
            "site_key", "period", "threshold", "published_on", "data")),
        "rollups": sorted(Rollup.objects.using(using).values_list(
            "site_key", "month", "dimension", "value", "count", "total")),
    }
