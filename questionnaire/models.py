"""Sites, staff membership and the anonymous shared check-ins.

A ``CheckIn`` row exists only when a person chose to share their answers. It has
no name, e-mail, IP address, user agent, session key or time of day: only the
site, the answers as typed columns, the derived scores, the content version of
the results and the date it was submitted. Its id (and its items' ids) are
drawn at random, so neither tells the order in which check-ins came in.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from . import instruments as ins


def random_id() -> int:
    """Return a random positive 63-bit id (fits PostgreSQL's bigint and SQLite's integer)."""
    return secrets.randbelow(2**63 - 1) + 1


def _answer(code: str) -> models.CharField:
    """Return a nullable text column whose choices come from the instrument."""
    question = ins.BY_CODE[code]
    return models.CharField(
        max_length=20, choices=question.all_choices, null=True, blank=True
    )


def _scale() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(null=True, blank=True)


def _coping() -> models.CharField:
    return models.CharField(max_length=20, choices=ins.COPING_STATES, null=True, blank=True)


def _in_or_null(field: str, values) -> Q:
    return Q(**{f"{field}__in": list(values)}) | Q(**{f"{field}__isnull": True})


def _answer_constraints() -> list[models.CheckConstraint]:
    """Return one database constraint per answer column: allowed values or NULL."""
    constraints = []
    for q in ins.QUESTIONS:
        if q.kind == ins.SINGLE:
            condition = _in_or_null(q.code, q.values)
        elif q.kind == ins.SCALE:
            condition = Q(**{f"{q.code}__isnull": True}) | Q(
                **{f"{q.code}__gte": 0, f"{q.code}__lte": 10}
            )
        elif q.kind == ins.GRID:
            for option, _ in q.rows:
                name = ins.coping_field(option)
                constraints.append(
                    models.CheckConstraint(
                        condition=_in_or_null(name, (v for v, _ in ins.COPING_STATES)),
                        name=f"checkin_{name}_valid",
                    )
                )
            continue
        else:
            continue
        constraints.append(models.CheckConstraint(condition=condition, name=f"checkin_{q.code}_valid"))
    return constraints


class Site(models.Model):
    """A recovery community. Its check-in link is /c/<slug>/."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    contact = models.CharField(
        max_length=240,
        blank=True,
        help_text="One line shown to people on their results, e.g. how to reach peer support.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("questionnaire:site_landing", args=[self.slug])


class Membership(models.Model):
    """Give a staff user access to one site's aggregates."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "site"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} → {self.site}"


class CheckIn(models.Model):
    """One anonymous shared check-in."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="checkins")
    submitted_on = models.DateField()  # a date only, never a time
    content_version = models.CharField(max_length=40)

    pain_frequency = _answer("pain_frequency")
    pain_duration = _answer("pain_duration")
    pain_impact = _answer("pain_impact")
    area_back_neck = models.BooleanField(default=False)
    area_head = models.BooleanField(default=False)
    area_joints_muscles = models.BooleanField(default=False)
    area_nerve = models.BooleanField(default=False)
    area_widespread = models.BooleanField(default=False)
    area_other = models.BooleanField(default=False)
    peg_pain = _scale()
    peg_enjoyment = _scale()
    peg_activity = _scale()
    ucla_companionship = _answer("ucla_companionship")
    ucla_left_out = _answer("ucla_left_out")
    ucla_isolated = _answer("ucla_isolated")
    lonely = _answer("lonely")
    rejected = _answer("rejected")
    pain_avoidance = _answer("pain_avoidance")
    support = _answer("support")
    med_none = models.BooleanField(default=False)
    med_otc = models.BooleanField(default=False)
    med_rx_nonopioid = models.BooleanField(default=False)
    med_rx_opioid = models.BooleanField(default=False)
    med_moud = models.BooleanField(default=False)
    med_prefer_not = models.BooleanField(default=False)
    opioid_duration = _answer("opioid_duration")
    coping_acupuncture = _coping()
    coping_pain_relievers = _coping()
    coping_antidepressants = _coping()
    coping_anti_inflammatory_diet = _coping()
    coping_botox = _coping()
    coping_chiropractic = _coping()
    coping_cbt = _coping()
    coping_exercise = _coping()
    coping_sleep_hygiene = _coping()
    coping_mindfulness = _coping()
    sleep = _answer("sleep")
    stress = _answer("stress")
    safety = _answer("safety")

    # Derived scores (scoring.py), stored so aggregates never re-score.
    peg = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    ucla3 = models.PositiveSmallIntegerField(null=True, blank=True)
    chronic_pain = models.BooleanField(null=True, blank=True)
    high_impact_chronic_pain = models.BooleanField(null=True, blank=True)
    long_term_opioid = models.BooleanField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["site", "submitted_on"], name="checkin_site_date")]
        constraints = [
            *_answer_constraints(),
            models.CheckConstraint(
                condition=Q(peg__isnull=True) | Q(peg__gte=0, peg__lte=10), name="checkin_peg_range"
            ),
            models.CheckConstraint(
                condition=Q(ucla3__isnull=True) | Q(ucla3__gte=3, ucla3__lte=9),
                name="checkin_ucla3_range",
            ),
            # "None" and "Prefer not to say" each stand alone.
            models.CheckConstraint(
                condition=Q(med_none=False)
                | Q(med_otc=False, med_rx_nonopioid=False, med_rx_opioid=False, med_moud=False, med_prefer_not=False),
                name="checkin_med_none_alone",
            ),
            models.CheckConstraint(
                condition=Q(med_prefer_not=False)
                | Q(med_otc=False, med_rx_nonopioid=False, med_rx_opioid=False, med_moud=False, med_none=False),
                name="checkin_med_prefer_not_alone",
            ),
            models.CheckConstraint(
                condition=Q(opioid_duration__isnull=True) | Q(med_rx_opioid=True),
                name="checkin_opioid_duration_needs_opioid",
            ),
            models.CheckConstraint(
                condition=Q(high_impact_chronic_pain=False)
                | Q(high_impact_chronic_pain__isnull=True)
                | Q(chronic_pain=True),
                name="checkin_high_impact_is_chronic",
            ),
        ]

    def __str__(self):
        return f"Check-in {self.pk} ({self.submitted_on:%Y-%m})"


class CheckInItem(models.Model):
    """One results item (a rule id of ``rules``) a shared check-in was shown."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="items")
    # No choices: ids of older content versions stay valid in older rows.
    item_id = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkin", "item_id"], name="checkin_item_unique")]

    def __str__(self):
        return self.item_id


class Rollup(models.Model):
    """Shared check-ins counted per site x month x (dimension, value); see ``rollups``.

    ``site_key`` is the site's id, or 0 for check-ins that came by no community
    link (a plain integer, so the unique key works the same on every database).
    """

    site_key = models.PositiveIntegerField()
    month = models.DateField()  # the first day of the month
    dimension = models.CharField(max_length=60)
    value = models.CharField(max_length=60)
    count = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)  # sums behind means (PEG in tenths, UCLA-3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site_key", "month", "dimension", "value"], name="rollup_cell_unique"),
        ]

    def __str__(self):
        return f"{self.site_key} {self.month:%Y-%m} {self.dimension}={self.value}: {self.count}"



class RetiredMonth(models.Model):
    """A site's month whose shared check-ins were removed by retention (``stats.retention``).

    Its rollups stay (every published number is made from them), so the rollups of
    a retired month can no longer be recounted from check-ins: ``rollups.recompute``
    leaves its cells alone and checks only its total against ``checkins``, the
    number removed (the month's rollups matched its check-ins when they went).
    """

    site_key = models.PositiveIntegerField()  # as in Rollup: 0 is "no community"
    month = models.DateField()  # the first day of the month
    checkins = models.PositiveIntegerField()
    retired_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site_key", "month"], name="retired_month_unique")]

    def __str__(self):
        return f"{self.site_key} {self.month:%Y-%m}: {self.checkins} check-ins removed"
