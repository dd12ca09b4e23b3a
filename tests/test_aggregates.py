"""Published aggregates: rollups -> catalogue -> disclosure control -> frozen publication,
checked by the independent audit over everything a staff member can see for a site."""

import datetime
import json
import random
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from django.core.management import call_command
from django.db import models
from django.core.management.base import CommandError

from harness import seeding
from stats import metrics, periods, publishing, selectors
from stats.counts import Counts
from stats.management.commands.aggregates import as_text
from questionnaire.models import Site
from stats.models import Publication


pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 15)
# Check-ins per month, January to June 2026; in WITH_SMALL_MONTH, February is too
# small to publish, which makes its quarter the hardest case to protect.
SIZES = {1: 24, 2: 15, 3: 31, 4: 18, 5: 40, 6: 27}
WITH_SMALL_MONTH = {**SIZES, 2: 5}


def fill(site, sizes=SIZES, seed=11):
    """Store a site's rollups for synthetic check-ins, month by month (publishing reads only rollups)."""
    rollups_for(site, sizes, seed)


def hidden_count(site_key, threshold):
    return sum(1 for pub in Publication.objects.filter(site_key=site_key, threshold=threshold)
               for v in pub.data["cells"].values() if not isinstance(v, int))


def publish_and_read(site, label, threshold=11):
    """Publish a site up to a period (as ``manage.py publish`` does), then read it as staff do."""
    period = periods.parse(label)
    publishing.publish_until(site_key=site.pk, period=period, today=TODAY, threshold=threshold)
    return selectors.site_tables(site_key=site.pk, period=period, threshold=threshold)


@pytest.fixture
def site():
    return Site.objects.create(slug="valley", name="Valley Recovery")


@pytest.mark.parametrize("sizes", [SIZES, WITH_SMALL_MONTH], ids=["every month published", "a small month"])
def test_everything_published_for_a_site_passes_the_lp_audit(site, sizes):
    fill(site, sizes)
    result = publish_and_read(site, "2026-Q2")
    published = sorted(Publication.objects.filter(site_key=site.pk).values_list("period", flat=True))
    assert published == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-Q1", "2026-Q1-4Q",
                         "2026-Q2", "2026-Q2-4Q"]
    assert all(pub.data["audit"] == [] for pub in Publication.objects.filter(site_key=site.pk))
    # The windows link both quarters: one family, named by its latest period.
    assert publishing.audit_published(site_key=site.pk, threshold=11) == {"2026-Q2-4Q": []}
    assert not result.withheld and result.tables


def test_each_publication_stores_the_audits_verdict_on_what_it_publishes(site):
    # What the quarter publishes holds; the same publication with the cells hidden
    # only to protect others shown again would not, and the verdict says so.
    from stats import disclosure

    fill(site, WITH_SMALL_MONTH)
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-Q2"), today=TODAY, threshold=11)
    pubs = list(selectors.publications(site_key=site.pk, threshold=11))
    assert {pub.period: pub.data["audit"] for pub in pubs if pub.period.endswith("Q2")} == {"2026-Q2": []}
    quarter, counts = periods.parse("2026-Q2"), Counts(site.pk, TODAY)
    frozen, means = publishing._frozen(pubs), {pub.period: pub.data["means"] for pub in pubs}
    assert publishing._verdict(quarter, counts, frozen, means, 11) == []
    true = counts.of(quarter)
    leaky = {k: true[k] if v is disclosure.HIDDEN and k[0] == "2026-Q2" and not 0 < true[k] < 11 else v
             for k, v in frozen.items()}
    assert leaky != frozen
    verdict = publishing._verdict(quarter, counts, leaky, means, 11)
    assert verdict
    # The verdict is stored and printed: it names the cells, never a true count or how small one is.
    assert all(re.fullmatch(r"\(.*\) could be worked out or shown to be small", v) for v in verdict), verdict
    assert not any(re.search(r"true|from 1 to|at most|leaves \d", v) for v in verdict)


def test_a_small_month_publishes_only_fewer_than_t(site):
    fill(site, WITH_SMALL_MONTH)
    result = publish_and_read(site, "2026-02")
    assert result.withheld and result.tables == ()
    text = as_text(result, site.name)
    assert "Fewer than 11 check-ins in this period" in text and "Check-ins" not in text


def test_hidden_cells_all_carry_the_one_marker(site):
    fill(site)
    result = publish_and_read(site, "2026-05")
    values = [v for t in result.tables for _, row, m in t.rows for v in (*row, m) if v is not None]
    assert "hidden to protect small numbers" in values
    assert all(isinstance(v, int) and (v == 0 or v >= 11) or v == "hidden to protect small numbers" for v in values)


def test_published_numbers_never_change_and_the_running_month_is_never_published(site):
    fill(site)
    before = publish_and_read(site, "2026-Q2")
    # New check-ins can only arrive today, in the running month: no published period moves.
    fill(site, {7: 30}, seed=12)
    after = publish_and_read(site, "2026-Q2")
    assert before.tables == after.tables and before.derived == after.derived
    with pytest.raises(ValueError, match="not over yet"):
        publish_and_read(site, "2026-07")


def test_raising_the_threshold_hides_more(site):
    fill(site, {4: 18, 5: 40, 6: 27})
    for t in (11, 20):
        publish_and_read(site, "2026-Q2", threshold=t)
        assert not any(publishing.audit_published(site_key=site.pk, threshold=t).values())
    assert hidden_count(site.pk, 20) > hidden_count(site.pk, 11)


def test_means_and_shares_only_for_big_enough_groups(site):
    fill(site)
    result = publish_and_read(site, "2026-Q2")
    q2 = result.derived["2026-Q2"]
    assert q2["share_chronic_pain"] is None or 0 <= q2["share_chronic_pain"] <= 100
    assert "2026-04" in result.derived and "min" not in json.dumps(result.derived)


def test_the_operators_outputs_say_nothing_the_published_tables_do_not(site, capsys, monkeypatch):
    """Every number ``aggregates`` and ``publish`` print comes from the publications: change
    every true count behind them and the output stays the same, byte for byte."""
    from questionnaire.models import Rollup

    fill(site)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)
    call_command("publish", "--today", TODAY.isoformat())
    published = capsys.readouterr().out
    *lines, last = published.splitlines()
    assert lines and all(re.fullmatch(rf"published site (none|{site.pk}) \d{{4}}(-Q[1-4](-4Q)?|-\d\d)?", line)
                         for line in lines), lines
    assert re.fullmatch(rf"{len(lines)} new publications in [\d.]+ s\.", last)

    def outputs():
        for period in ("2026-04", "2026-Q2", "2026-Q1"):
            for extra in ([], ["--json"]):
                call_command("aggregates", "--site", "valley", "--period", period, *extra)
        return capsys.readouterr().out

    before = outputs()
    assert "hidden to protect small numbers" in before
    for kept in ("primary", "complementary", "allowed by the cell-size rule", "at most", "withheld whole:"):
        assert kept not in before, kept
    Rollup.objects.filter(site_key=site.pk).update(count=models.F("count") * 3 + 7, total=models.F("total") * 2)
    assert outputs() == before


def test_a_publication_stores_nothing_derived_from_hidden_counts(site):
    fill(site, WITH_SMALL_MONTH)
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026"), today=datetime.date(2027, 1, 2),
                             threshold=11)
    allowed = {"format", "cells", "means", "derived", "audit", "withheld_whole", "remade", "seconds", "cpu_seconds"}
    pubs = list(Publication.objects.filter(site_key=site.pk))
    assert pubs and all(set(pub.data) <= allowed for pub in pubs), [set(p.data) - allowed for p in pubs]


@pytest.mark.parametrize("size", [1, 4])
def test_a_look_costs_the_same_few_queries_whatever_the_data(site, size, django_assert_max_num_queries):
    fill(site, {m: n * size for m, n in SIZES.items()})
    publish_and_read(site, "2026-Q2")
    with django_assert_max_num_queries(1):
        selectors.site_tables(site_key=site.pk, period=periods.parse("2026-Q2"), threshold=11)


def test_aggregates_command_prints_text_and_json(site, capsys, monkeypatch):
    fill(site)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)
    with pytest.raises(CommandError, match="not published yet"):
        call_command("aggregates", "--site", "valley", "--period", "2026-Q2")
    call_command("publish", "--today", TODAY.isoformat())
    call_command("aggregates", "--site", "valley", "--period", "2026-Q2", "--audit")
    text = capsys.readouterr().out
    assert "Valley Recovery: Q2 2026" in text and "Check-ins by month" in text
    assert "2026-Q2  check-ins    85 | cells shown" in text and "audit holds" in text
    assert "2026-04" in text and "Audit of everything published for Valley Recovery: holds." in text
    call_command("aggregates", "--site", "valley", "--period", "2026-Q2", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "2026-Q2" and data["threshold"] == 11 and data["sums"]
    assert {"tables", "derived", "hidden_cells"} <= set(data)
    shown = json.dumps(data["tables"])
    assert data["hidden_cells"] == shown.count('"hidden to protect small numbers"') > 0
    with pytest.raises(CommandError, match="not a period"):
        call_command("aggregates", "--site", "valley", "--period", "2026-13")
    with pytest.raises(CommandError, match="No site"):
        call_command("aggregates", "--site", "nowhere", "--period", "2026-Q2")
    with pytest.raises(CommandError, match="not over yet"):
        call_command("aggregates", "--site", "valley", "--period", "2026-07")


def test_periods_parse_and_order():
    assert periods.parse("2026-Q3").label == "2026-Q3" and periods.parse("2026-09").end == datetime.date(2026, 10, 1)
    assert [p.label for p in periods.parts(periods.parse("2026"))] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    order = [p.label for p in periods.publication_order(datetime.date(2026, 2, 3), datetime.date(2026, 7, 1))]
    assert order == ["2026-01", "2026-02", "2026-03", "2026-Q1", "2026-Q1-4Q", "2026-04", "2026-05", "2026-06",
                     "2026-Q2", "2026-Q2-4Q"]
    assert not periods.is_complete(periods.parse("2026-07"), datetime.date(2026, 7, 31))


def test_publish_all_publishes_every_complete_period_once_and_reading_never_publishes(site):
    fill(site)
    with pytest.raises(selectors.NotPublished):
        selectors.site_tables(site_key=site.pk, period=periods.parse("2026-Q1"), threshold=11)
    assert selectors.published_periods(site_key=site.pk, threshold=11) == []
    assert not Publication.objects.exists()
    made = publishing.publish_all(today=TODAY, threshold=11)
    labels = [p.label for p in selectors.published_periods(site_key=site.pk, threshold=11)]
    assert labels == ["2026-06", "2026-Q2", "2026-Q2-4Q", "2026-05", "2026-04", "2026-03", "2026-Q1", "2026-Q1-4Q",
                      "2026-02", "2026-01"]
    assert {p.site_key for p in made} == {site.pk, 0}  # "no community" is published too
    assert publishing.publish_all(today=TODAY, threshold=11) == []
    result = selectors.site_tables(site_key=site.pk, period=periods.parse("2026-Q2"), threshold=11)
    assert set(result.derived) == {"2026-Q2", "2026-04", "2026-05", "2026-06"}
    assert set(result.derived["2026-Q2"]) == set(selectors.HEADLINES)
    assert result.derived["2026-Q2"]["checkins"] == 85


def test_publish_command(site, capsys):
    fill(site)
    call_command("publish", "--today", TODAY.isoformat())
    assert "new publications" in capsys.readouterr().out
    assert Publication.objects.filter(site_key=site.pk).count() == 10  # 6 months, 2 quarters, their 2 windows
    with pytest.raises(CommandError, match="not a date"):
        call_command("publish", "--today", "soon")


def test_a_publication_made_before_formats_were_numbered_stays_and_is_made_again_beside_it(site):
    # Its cells (a results item among them) are of no format the catalogue reads: it is
    # shown nowhere, kept as it is, and the period gets a second version.
    fill(site, {1: 24})
    old = {"cells": {"2026-01|item|q_sleep": 12}, "derived": {}, "hidden": {}}
    first = Publication.objects.create(site_key=site.pk, period="2026-01", threshold=11, published_on=TODAY, data=old)
    with pytest.raises(selectors.NotPublished):
        selectors.site_tables(site_key=site.pk, period=periods.parse("2026-01"), threshold=11)
    publishing.publish_all(today=datetime.date(2026, 2, 1), threshold=11)
    first.refresh_from_db()
    assert first.data == old and first.version == 1
    pub = selectors.publications(site_key=site.pk, threshold=11).get(period="2026-01")
    assert pub.version == 2 and pub.data["format"] == selectors.FORMAT and "2026-01|item|q_sleep" not in pub.data["cells"]
    assert pub.data["remade"]["from_version"] == 1


def rollups_for(site, sizes, seed):
    """Store the rollups of synthetic check-ins directly (``harness.seeding``, as the benchmarks do): fast."""
    months = {datetime.date(2026, month, 1): size for month, size in sizes.items()}
    seeding.seed_rollups(site.pk, months, random.Random(seed))


@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@example(sizes=[0, 2, 11], seed=5)  # the quarter's total less June's would give May's size: it is hidden
@example(sizes=[0, 10, 11], seed=2)  # no choice of hidden cells holds: withheld whole
@example(sizes=[16, 7, 31], seed=7364)  # under "reach T, or 0": April's chronic pain "unknown" proven 0..8
@example(sizes=[26, 42, 11], seed=6014)  # under "reach T, or 0": June's UCLA-3 band 6-9 proven 0..8
@example(sizes=[5, 7, 3], seed=1)  # every month withheld: they are merged in the programs
@example(sizes=[0, 9, 10], seed=2)  # two months withheld (merged), one of none
@given(sizes=st.lists(st.integers(0, 60), min_size=3, max_size=3), seed=st.integers(0, 10_000))
def test_generated_sites_hold_against_the_independent_attacker(site, sizes, seed):
    """Made-up sites, published, then attacked by tests/disclosure_audit.py with all
    three layers (declared sums, the app's own relations, the means and shares)."""
    from questionnaire.models import Rollup
    from stats import catalogue

    from . import disclosure_audit

    Publication.objects.filter(site_key=site.pk).delete()
    Rollup.objects.filter(site_key=site.pk).delete()
    rollups_for(site, dict(zip((4, 5, 6), sizes)), seed)
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-Q2"), today=TODAY, threshold=11)
    assert all(pub.data["audit"] == [] for pub in Publication.objects.filter(site_key=site.pk))
    assert not any(publishing.audit_published(site_key=site.pk, threshold=11).values())
    # The benchmarks' ceilings are ceilings: no publication shows more.
    counts = Counts(site.pk, TODAY)
    for pub in Publication.objects.filter(site_key=site.pk):
        most, f = metrics.ceilings(counts, periods.parse(pub.period), 11), metrics.figures(pub)
        assert f["headline"] <= most["headline"]
        assert f["answers_shown"] is None or f["answers_shown"] <= most["answers"] + 1e-9
    published = disclosure_audit.site_publications(site.pk, 11)
    truth = disclosure_audit.site_truth(site.pk, published, TODAY)
    report = disclosure_audit.attack(published, disclosure_audit.month_relations(), threshold=11, truth=truth,
                                     category=catalogue.categories)
    assert report.recovered == [], report.summary()
    assert [f for f in report.proven_small if not f.withheld] == [], report.summary()
    assert [f for f in report.capped_nonzero if not f.withheld] == [], report.summary()
    assert report.small_lines == [], report.summary()
    assert report.clean


def test_the_sums_given_for_outside_audit_name_published_cells_only(site):
    fill(site, {4: 24, 5: 20, 6: 30})
    publishing.publish_all(today=TODAY, threshold=11)
    for label in ("2026-04", "2026-Q2"):
        result = selectors.site_tables(site_key=site.pk, period=periods.parse(label), threshold=11)
        codes = {c for p in Publication.objects.filter(site_key=site.pk) for c in p.data["cells"]}
        assert result.relations and all(t in codes and set(parts) <= codes for t, parts in result.relations)
    assert ("2026-Q2|chronic_pain|yes", ("2026-Q2|pain_frequency|most_days", "2026-Q2|pain_frequency|every_day")) \
        in result.relations


def test_the_last_month_hides_what_one_earlier_month_hid_so_the_quarter_can_show_it(site):
    # April hides its count with chronic pain (the rest of its line is small), May
    # shows hers. Were June to show its own, the quarter's count less May's and June's
    # would give April's away, so the quarter would have to hide it: June hides it
    # instead (a count of 11 or more) and the quarter shows its share.
    from stats import catalogue

    rollups_for(site, {4: 30, 5: 35, 6: 40}, 1)
    counts = Counts(site.pk, TODAY)
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-Q2"), today=TODAY, threshold=11)
    cells = {c: v for p in Publication.objects.filter(site_key=site.pk) for c, v in p.data["cells"].items()}
    june = counts.of(periods.parse("2026-06"))
    assert [cells[f"2026-0{m}|chronic_pain|yes"] for m in (4, 5)] == ["hidden", 20]
    assert june[("2026-06", "chronic_pain", "yes")] >= 11 and cells["2026-06|chronic_pain|yes"] == "hidden"
    assert cells["2026-Q2|chronic_pain|yes"] == 65
    derived = Publication.objects.get(site_key=site.pk, period="2026-Q2").data["derived"]
    assert derived["2026-Q2"]["share_chronic_pain"] is not None and derived["2026-06"]["share_chronic_pain"] is None
    # The rule in general, for every headline cell of this quarter.
    frozen = {selectors.cell_key(c): selectors.MARKS.get(v, v) for c, v in cells.items() if not c.startswith("2026-06")}
    planned = publishing._planned(periods.parse("2026-06"), counts, frozen, 11)
    assert ("2026-06", "chronic_pain", "yes") in planned
    for (dimension, value), in catalogue.HEADLINE_CELLS.values():
        key = ("2026-06", dimension, value)
        if key in planned:
            assert cells["|".join(key)] == "hidden"
    assert not any(k[2] == catalogue.REST for k in planned)


def test_a_family_no_hiding_can_protect_is_withheld_whole(site):
    # Months of 0, 10 and 11 check-ins (these answers): May, withheld for fewer than
    # T, is nearly the whole quarter, and no choice of hidden cells keeps its small
    # counts able to reach T. The quarter is withheld whole, with its own label, and
    # what staff see still holds.
    rollups_for(site, {4: 0, 5: 10, 6: 11}, 2)
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-Q2"), today=TODAY, threshold=11)
    pub = Publication.objects.get(site_key=site.pk, period="2026-Q2")
    assert pub.data["cells"]["2026-Q2|total|all"] == "linked" and pub.data["withheld_whole"]
    assert all(v in ("linked", "withheld") or v == 0 or v >= 11 for v in pub.data["cells"].values())
    assert metrics.figures(pub)["linked"] and metrics.figures(pub)["headline"] == 0
    from stats.management.commands.aggregates import figures_line

    assert "check-ins withheld whole" in figures_line(pub) and figures_line(pub).endswith("audit holds")
    assert not any(publishing.audit_published(site_key=site.pk, threshold=11).values())
    result = selectors.site_tables(site_key=site.pk, period=periods.parse("2026-Q2"), threshold=11)
    assert result.withheld and result.linked and result.tables == ()
    text = as_text(result, site.name)
    assert "withheld so that small numbers in linked periods stay hidden" in text and "Fewer than" not in text
    from django.template.loader import render_to_string

    from stats import dashboard, exports

    board = dashboard.build(result)
    html = render_to_string("staff/_board.html", {"board": board, "threshold": 11})
    assert "withheld so that small numbers in linked periods stay hidden" in html and "Fewer than" not in html
    csv_rows = exports.rows(board, place_name=site.name, published_on=TODAY, threshold=11)
    assert ["This period is withheld so that small numbers in linked periods stay hidden: nothing else is published."] \
        in csv_rows


def test_a_year_over_a_quarter_withheld_whole_keeps_its_secrets(site):
    # Q2 (0, 10 and 11 check-ins) is withheld whole. The year is the sum of its
    # quarters: shown, its total less the other quarters' would give Q2's size,
    # and so May's. The year hides what would, or is withheld whole too; either
    # way the independent attacker finds nothing.
    from stats import catalogue

    from . import disclosure_audit

    rollups_for(site, {4: 0, 5: 10, 6: 11, 7: 24, 8: 19, 9: 33}, 2)
    today = datetime.date(2027, 1, 5)
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026"), today=today, threshold=11)
    pubs = {p.period: p for p in Publication.objects.filter(site_key=site.pk)}
    assert pubs["2026-Q2"].data.get("withheld_whole")
    assert pubs["2026"].data.get("withheld_whole") or pubs["2026"].data["cells"]["2026|total|all"] == "hidden"
    assert not any(publishing.audit_published(site_key=site.pk, threshold=11).values())
    published = disclosure_audit.site_publications(site.pk, 11)
    truth = disclosure_audit.site_truth(site.pk, published, today)
    # Linear programs only (no integer refinement, which takes 20 s here): what they
    # prove is proven, so a leak they find is a leak.
    report = disclosure_audit.attack(published, disclosure_audit.month_relations(), threshold=11, truth=truth,
                                     category=catalogue.categories, integer_checks=False)
    assert report.clean and not report.recovered and not report.small_lines, report.summary()
