"""Recompute the rollups from the raw check-ins and report any difference."""

from django.core.management.base import BaseCommand, CommandError

from questionnaire import rollups
from questionnaire.models import RetiredMonth


class Command(BaseCommand):
    help = "Recompute every rollup from the shared check-ins; report (and with --fix, repair) differences."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="replace the stored rollups with the recomputed ones")

    def handle(self, *args, fix, **options):
        differences = rollups.recompute(apply=fix)
        for line in differences[:50]:
            self.stdout.write(line)
        retired = RetiredMonth.objects.count()
        if retired:
            self.stdout.write(f"{retired} site-months retired by retention: only their totals are checked "
                              "(their check-ins are gone; their rollups stay, as published).")
        if not differences:
            self.stdout.write(self.style.SUCCESS("Rollups match the check-ins."))
        elif fix:
            self.stdout.write(self.style.WARNING(f"Repaired {len(differences)} rollup cells."))
        else:
            raise CommandError(f"{len(differences)} rollup cells differ from the check-ins (run with --fix).")
