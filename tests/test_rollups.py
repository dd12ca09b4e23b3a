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


def test_a_shared_check_in_keeps_its_results_items_as_rows_and_writes_no_item_rollup():
    """Nothing reads an "item" rollup (results items are not published): none is written."""
    from questionnaire.models import CheckInItem

    answers = synthetic.answers(random.Random(4))
    checkin = checkin_submit(answers=answers, scores=scoring.score(answers), site=None,
                             shown=["q_sleep", "try_mindfulness"], today=datetime.date(2026, 3, 9))
    assert sorted(CheckInItem.objects.filter(checkin=checkin).values_list("item_id", flat=True)) == [
        "q_sleep", "try_mindfulness"]
    assert Rollup.objects.filter(dimension="total").get().count == 1
    assert not Rollup.objects.filter(dimension="item").exists()
    assert rollups.recompute(apply=False) == []


def test_the_migration_deletes_item_rollups_and_its_reverse_rebuilds_them_from_the_items():
    import importlib

    from django.apps import apps

    from questionnaire.models import CheckInItem

    migration = importlib.import_module("questionnaire.migrations.0009_delete_item_rollups")
    rng = random.Random(8)
    site = Site.objects.create(slug="harbor", name="Harbor")
    for day in (datetime.date(2026, 1, 4), datetime.date(2026, 1, 20), datetime.date(2026, 2, 2)):
        for where in (site, None):
            submit(rng, where, day)  # half of them shown "item_a"
    before = set(Rollup.objects.values_list("site_key", "month", "dimension", "value", "count", "total"))
    migration.rebuild_item_rollups(apps, None)  # what the rollups held before this migration
    rebuilt = Rollup.objects.filter(dimension="item")
    assert {r.value for r in rebuilt} == {"item_a"}
    assert sum(r.count for r in rebuilt) == CheckInItem.objects.count() > 0
    assert {(r.site_key, r.month) for r in rebuilt} <= {(k, m) for k, m, *_ in before}
    migration.delete_item_rollups(apps, None)
    assert set(Rollup.objects.values_list("site_key", "month", "dimension", "value", "count", "total")) == before
    assert rollups.recompute(apply=False) == []


def test_rollups_are_written_in_the_same_transaction_as_the_checkin():
    """A failing check-in (bad value) leaves no rollup behind."""
    from django.core.exceptions import ValidationError

    answers = {"pain_frequency": "sometimes-ish"}
    with pytest.raises(ValidationError):
        checkin_submit(answers=answers, scores=scoring.score({}), site=None, shown=[], today=datetime.date(2026, 1, 1))
    assert not Rollup.objects.exists()


def test_medication_for_opioid_use_disorder_is_stored_counted_and_published_from_format_5():
    """The choice has its own column and rollup row; a quarter of format 5 publishes it, one of format 4 did not."""
    from django.db import IntegrityError, transaction

    from questionnaire.models import CheckIn
    from stats import catalogue, periods

    answers = {"medicines": ["otc", "moud"], "pain_frequency": "most_days"}
    checkin = checkin_submit(answers=answers, scores=scoring.score(answers), site=None, shown=[],
                             today=datetime.date(2026, 2, 3))
    checkin.refresh_from_db()
    assert checkin.med_moud and checkin.med_otc and not checkin.med_rx_opioid
    assert Rollup.objects.get(dimension="medicines", value="moud").count == 1
    assert rollups.recompute(apply=False) == []
    quarter = periods.parse("2026-Q1")
    assert ("2026-Q1", "medicines", "moud") in catalogue.build(quarter).published
    assert ("2026-Q1", "medicines", "moud") not in catalogue.build(quarter, 4).published
    for alone in ("med_none", "med_prefer_not"):  # "None" and "Prefer not to say" still stand alone
        with pytest.raises(IntegrityError), transaction.atomic():
            CheckIn.objects.filter(pk=checkin.pk).update(med_otc=False, **{alone: True})


def test_publishing_and_its_audit_hold_with_opioid_use_disorder_medicine_rows_present():
    """The "moud" choice is published in the quarter's medicines table, and every publication passes the audit."""
    from harness import seeding
    from stats import periods, publishing, selectors

    site = Site.objects.create(slug="harbor", name="Harbor Recovery")
    months = {datetime.date(2026, month, 1): size for month, size in {4: 18, 5: 30, 6: 24}.items()}

    def some_on_moud(checkins):
        for n, (month, answers) in enumerate(checkins):
            if n % 3 == 0:  # a third also take a medication for opioid use disorder
                answers["medicines"] = [m for m in answers.get("medicines") or [] if m not in ("none", "prefer_not")]
                answers["medicines"].append("moud")
            yield month, answers

    cells = seeding.rollups_of(some_on_moud(seeding.synthetic_checkins(months, random.Random(5))))
    seeding.store_rollups(site.pk, cells)
    assert cells[(datetime.date(2026, 5, 1), "medicines", "moud")][0] == 10
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-Q2"), today=datetime.date(2026, 7, 15),
                             threshold=11)
    result = selectors.site_tables(site_key=site.pk, period=periods.parse("2026-Q2"), threshold=11)
    assert result.tables and not result.withheld
    assert publishing.audit_published(site_key=site.pk, threshold=11) == {"2026-Q2-4Q": []}  # (with its window)
    from stats.models import Publication

    for publication in Publication.objects.filter(site_key=site.pk):
        assert publication.data["audit"] == []
    cells = Publication.objects.get(site_key=site.pk, period="2026-Q2").data["cells"]
    assert "2026-Q2|medicines|moud" in cells
    medicines = next(t for t in result.tables if t.id == "multi:medicines")
    assert "Medication for opioid use disorder (buprenorphine, methadone, naltrexone)" in [r[0] for r in medicines.rows]
