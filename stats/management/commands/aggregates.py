"""Print a site's published tables for one period, exactly as staff will see them."""

import json as json_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from questionnaire.models import Site
from questionnaire.rollups import site_key
from stats import aggregates, periods


class Command(BaseCommand):
    help = "Show the published aggregate tables of a site for a month, quarter or year."

    def add_arguments(self, parser):
        parser.add_argument("--site", required=True, help="a site's slug, or 'none' for check-ins with no community")
        parser.add_argument("--period", required=True, help="2026-09, 2026-Q3 or 2026")
        parser.add_argument("--json", action="store_true", help="print cells, hidden flags and linking sums as JSON")

    def handle(self, *args, site, period, json: bool, **options):
        try:
            chosen = periods.parse(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if site == "none":
            key, name = 0, "No community"
        else:
            found = Site.objects.filter(slug=site).first()
            if found is None:
                raise CommandError(f"No site with the slug {site!r}.")
            key, name = site_key(found.pk), found.name
        today = timezone.localdate()
        if not periods.is_complete(chosen, today):
            raise CommandError(f"{chosen} is not over yet; only complete periods are published.")
        result = aggregates.site_tables(
            site_key=key, period=chosen, today=today, threshold=settings.SUPPRESSION_THRESHOLD
        )
        if json:
            self.stdout.write(_json(result, name))
        else:
            self.stdout.write(aggregates.as_text(result, name))


def _json(result, name: str) -> str:
    return json_module.dumps(aggregates.as_json(result, name), indent=2, ensure_ascii=False)
