"""What the staff side stores: frozen publications of a site's tables."""

from django.db import models


class Publication(models.Model):
    """A site's published tables for one complete period, frozen when first made.

    ``data`` holds aggregate cells only (counts or the hidden marker), never an
    answer: {"cells": {"period|dimension|value": count or "hidden"/"withheld"/"fewer"},
    "derived": {period: {means and shares}}, "hidden": {"primary": n, "complementary": n}}.
    """

    site_key = models.PositiveIntegerField()  # as in Rollup: 0 is "no community"
    period = models.CharField(max_length=7)  # "2026-09", "2026-Q3" or "2026"
    threshold = models.PositiveSmallIntegerField()
    published_on = models.DateField()
    data = models.JSONField()

    class Meta:
        db_table = "questionnaire_publication"  # made before the staff side had an app of its own
        constraints = [
            models.UniqueConstraint(fields=["site_key", "period", "threshold"], name="publication_unique"),
        ]

    def __str__(self):
        return f"{self.site_key} {self.period} (T={self.threshold})"
