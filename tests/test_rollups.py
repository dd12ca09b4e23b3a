"""Rollups stay in step with the check-ins they count."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from questionnaire import rollups, scoring, synthetic
from questionnaire.models import Rollup, Site
from questionnaire.services import checkin_fields, checkin_submit

pytestmark = pytest.mark.django_db


def submit(rng, site, day):
    answers = synthetic.answers(rng)
    return checkin_submit(
        answers=answers, scores=scoring.score(answers), site=site, shown=["item_a"] if rng.random() < 0.5 else [], today=day,
    )


def test_facts_cover_every_single_valued_dimension_once():
    answers = synthetic.answers(random.Random(1))
    fields = checkin_fields(answers, scoring.score(answers))
    cells = rollups.facts(fields, ["x"])
    dimensions = [d for d, _, _ in cells if d not in ("pain_areas", "medicines")]
    assert len(dimensions) == len(set(dimensions))
    assert ("total", "all", 0) in cells and ("item", "x", 0) in cells
    assert {"chronic_pain*ucla3_band", "long_term_opioid*ucla3_band", "pain_avoidance*support"} <= set(dimensions)


def test_empty_checkin_counts_as_not_answered_everywhere():
    fields = checkin_fields({}, scoring.score({}))
    cells = dict(((d, v), a) for d, v, a in rollups.facts(fields))
    assert ("pain_frequency", "not_answered") in cells
    assert ("medicines", "not_answered") in cells
    assert ("chronic_pain*ucla3_band", "unknown*not_answered") in cells
    assert not any(d == "peg_sum" for d, _ in cells)


def test_rollups_match_a_full_recount_after_many_random_submissions():
    rng = random.Random(7)
    sites = [Site.objects.create(slug=f"s{i}", name=f"Site {i}") for i in range(2)] + [None]
    start = datetime.date(2025, 11, 1)
    for _ in range(150):
        submit(rng, rng.choice(sites), start + datetime.timedelta(days=rng.randrange(400)))
    assert rollups.recompute(apply=False) == []
    totals = Rollup.objects.filter(dimension="total").values_list("count", flat=True)
    assert sum(totals) == 150


def test_check_command_reports_and_repairs_a_difference(capsys):
    rng = random.Random(3)
    submit(rng, None, datetime.date(2026, 1, 5))
    Rollup.objects.filter(dimension="total").update(count=5)
    with pytest.raises(CommandError, match="differ"):
        call_command("rollups_check")
    call_command("rollups_check", "--fix")
    call_command("rollups_check")
    assert "match" in capsys.readouterr().out
    assert Rollup.objects.get(dimension="total").count == 1


def test_rollups_are_written_in_the_same_transaction_as_the_checkin():
    """A failing check-in (bad value) leaves no rollup behind."""
    from django.core.exceptions import ValidationError

    answers = {"pain_frequency": "sometimes-ish"}
    with pytest.raises(ValidationError):
        checkin_submit(answers=answers, scores=scoring.score({}), site=None, shown=[], today=datetime.date(2026, 1, 1))
    assert not Rollup.objects.exists()


def test_medication_for_opioid_use_disorder_is_stored_and_counted_but_not_yet_published():
    """The new choice has its own column and rollup row; the published tables wait for issue 20."""
    from django.db import IntegrityError, transaction

    from questionnaire.models import CheckIn
    from stats import catalogue

    answers = {"medicines": ["otc", "moud"], "pain_frequency": "most_days"}
    checkin = checkin_submit(answers=answers, scores=scoring.score(answers), site=None, shown=[],
                             today=datetime.date(2026, 2, 3))
    checkin.refresh_from_db()
    assert checkin.med_moud and checkin.med_otc and not checkin.med_rx_opioid
    assert Rollup.objects.get(dimension="medicines", value="moud").count == 1
    assert rollups.recompute(apply=False) == []
    assert "moud" not in dict(catalogue.DIMENSIONS["medicines"].values)
    for alone in ("med_none", "med_prefer_not"):  # "None" and "Prefer not to say" still stand alone
        with pytest.raises(IntegrityError), transaction.atomic():
            CheckIn.objects.filter(pk=checkin.pk).update(med_otc=False, **{alone: True})


def test_publishing_and_its_audit_hold_with_opioid_use_disorder_medicine_rows_present():
    """Rollup rows for the unpublished "moud" choice are read past: every publication still passes the audit."""
    from collections import Counter

    from stats import periods, publishing, selectors

    site = Site.objects.create(slug="harbor", name="Harbor Recovery")
    rng = random.Random(5)
    cells, totals = Counter(), Counter()
    for month, size in {4: 18, 5: 30, 6: 24}.items():
        for n in range(size):
            answers = synthetic.answers(rng)
            if n % 3 == 0:  # a third also take a medication for opioid use disorder
                answers["medicines"] = [m for m in answers.get("medicines") or [] if m not in ("none", "prefer_not")]
                answers["medicines"].append("moud")
            for dimension, value, amount in rollups.facts(checkin_fields(answers, scoring.score(answers))):
                cells[(datetime.date(2026, month, 1), dimension, value)] += 1
                totals[(datetime.date(2026, month, 1), dimension, value)] += amount
    Rollup.objects.bulk_create(Rollup(site_key=site.pk, month=m, dimension=d, value=v, count=c, total=totals[(m, d, v)])
                               for (m, d, v), c in cells.items())
    assert cells[(datetime.date(2026, 5, 1), "medicines", "moud")] == 10
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-Q2"), today=datetime.date(2026, 7, 15),
                             threshold=11)
    result = selectors.site_tables(site_key=site.pk, period=periods.parse("2026-Q2"), threshold=11)
    assert result.tables and not result.withheld
    assert publishing.audit_published(site_key=site.pk, threshold=11) == {"2026-Q2-4Q": []}  # (with its window)
    from stats.models import Publication

    for publication in Publication.objects.filter(site_key=site.pk):
        assert publication.data["audit"] == []
        assert not [key for key in publication.data["cells"] if "moud" in key]
