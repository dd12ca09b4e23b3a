"""What the staff side stores: frozen publications of a site's tables."""

from django.conf import settings
from django.db import models


class Publication(models.Model):
    """A site's published tables for one complete period, frozen when made.

    A row is never changed or deleted. Its ``data["format"]`` says which catalogue
    it was made under (``stats.catalogue.build(period, format)``), and it is read
    in that format for ever. A period an operator publishes again on purpose
    (``manage.py publish --republish``) gets a new row with the next ``version``;
    staff see the newest, the older ones stay as the facts the newer was protected
    against (``data["remade"]`` says when and why).

    ``data`` holds aggregate cells only (counts or the hidden marker), never an
    answer: {"cells": {"period|dimension|value": count or "hidden"/"withheld"/"fewer"},
    "derived": {period: {means and shares}}, "means": {...},
    "audit": [the audit's failures on what it publishes; empty when it holds],
    "withheld_whole": true when withheld so that linked small numbers stay hidden, ...}.
    Nothing in it is derived from hidden true counts: an operator may forward any of it.
    """

    site_key = models.PositiveIntegerField()  # as in Rollup: 0 is "no community"
    period = models.CharField(max_length=10)  # "2026-09", "2026-Q3", "2026" or a window, "2026-Q3-4Q"
    threshold = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField(default=1)  # 2, 3...: published again on purpose
    published_on = models.DateField()
    data = models.JSONField()

    class Meta:
        db_table = "questionnaire_publication"  # made before the staff side had an app of its own
        constraints = [
            models.UniqueConstraint(fields=["site_key", "period", "threshold", "version"],
                                    name="publication_version_unique"),
        ]

    def __str__(self):
        return f"{self.site_key} {self.period} v{self.version} (T={self.threshold})"


class AuditEvent(models.Model):
    """One look at a site's numbers by a logged-in staff member: who, which site and
    period, how (dashboard, CSV or print) and when. Staff are not anonymous; the
    people who checked in are, and nothing here is about them. Rows are only ever
    added (``audit_record``); the admin shows them read-only."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed the dashboard"
        CSV = "csv", "Downloaded the CSV"
        PRINT = "print", "Opened the print view"
        SVG = "svg", "Downloaded a chart"

    # PROTECT: an audit trail outlives neither a deleted user nor a deleted site
    # silently; deactivate a user instead of deleting them.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey("questionnaire.Site", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text="Empty: check-ins that came by no community link.")
    period = models.CharField(max_length=7)
    action = models.CharField(max_length=5, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "audit event"

    def __str__(self):
        where = self.site.name if self.site_id else "No community"
        return f"{self.user} · {where} · {self.period} · {self.get_action_display()}"


class StaffSettings(models.Model):
    """A staff member's own choices on the staff side (one row per user, made when
    they first save their settings page)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_settings")
    email_new_figures = models.BooleanField(
        default=False, verbose_name="E-mail me when new figures are published for my communities",
        help_text="The e-mail has no numbers in it, only a link to the dashboard.")

    class Meta:
        verbose_name = "staff settings"
        verbose_name_plural = "staff settings"

    def __str__(self):
        return f"Settings of {self.user}"
