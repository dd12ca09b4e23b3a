"""Pooled figures: rolling windows of four quarters, published with their quarter
(stats.periods, stats.catalogue, stats.knowledge, stats.publishing), read through
stats.selectors and shown, marked as pooled, where a quarter hides a headline share."""

from __future__ import annotations

import csv
import datetime
import io
import random
from collections import Counter

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings as hsettings, strategies as st

from questionnaire import scoring, synthetic
from stats import catalogue, exports, periods, publishing, selectors
from stats.models import Publication
from stats.periods import QUARTER, WINDOW, Period

from . import disclosure_audit as audit

TODAY = datetime.date(2026, 7, 6)
LAST = periods.parse("2026-06")
T = 11


@pytest.mark.parametrize("text, start, title", [
    ("2026-Q3-4Q", datetime.date(2025, 10, 1), "last 4 quarters, October 2025 to September 2026"),
    ("2026-Q4-4Q", datetime.date(2026, 1, 1), "last 4 quarters, January 2026 to December 2026"),
    (" 2025-Q1-4Q ", datetime.date(2024, 4, 1), "last 4 quarters, April 2024 to March 2025"),
])
def test_a_window_label_names_the_four_quarters_ending_with_its_quarter(text, start, title):
    window = periods.parse(text)
    assert window == Period(start, WINDOW) and window.label == text.strip() and window.title == title
    assert [q.label for q in periods.parts(window)] == [
        Period(datetime.date(start.year + (start.month + 3 * i - 1) // 12, (start.month + 3 * i - 1) % 12 + 1, 1),
               QUARTER).label for i in range(4)]
    assert len(periods.months(window)) == 12 and periods.last_quarter(window).label == text.strip()[:7]


@pytest.mark.parametrize("text", ["2026-Q5-4Q", "2026-Q0-4Q", "2026-Q3-3Q", "2026-Q3-4q", "2026-Q3-4Q ", "0001-Q1-4Q",
                                  "9999-Q4-4Q", "2026-09-4Q", "2026-4Q", "2026-Q3-4Q\x00", "٢٠٢٦-Q3-4Q", "2026-Q3-4Q4Q"])
def test_parse_refuses_a_window_that_is_not_one(text):
    if text.strip() != text and text.strip() == "2026-Q3-4Q":
        return  # surrounding space is stripped
    with pytest.raises(ValueError):
        periods.parse(text)


@hsettings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.one_of(st.text(max_size=14), st.from_regex(r"[0-9]{4}-Q[0-9]-[0-9]Q", fullmatch=True)))
def test_parse_of_any_text_is_a_period_that_names_itself_or_a_value_error(text):
    try:
        period = periods.parse(text)
    except ValueError:
        return
    assert periods.parse(period.label) == period and period.start < period.end


def test_a_window_is_not_a_page_of_its_own():
    with pytest.raises(ValueError, match="shown with the quarter 2026-Q2"):
        periods.choose("2026-Q2-4Q", published=[periods.parse("2026-Q2")], today=TODAY)


def test_windows_are_published_right_after_their_quarter_and_year():
    order = [p.label for p in periods.publication_order(datetime.date(2025, 11, 3), datetime.date(2026, 4, 1))]
    assert order[-9:] == ["2025-12", "2025-Q4", "2025", "2025-Q4-4Q", "2026-01", "2026-02", "2026-03", "2026-Q1",
                          "2026-Q1-4Q"]
    assert order.index("2026-Q1-4Q") == order.index("2026-Q1") + 1
    assert order.index("2025-Q4-4Q") == order.index("2025") + 1


def test_a_window_publishes_only_the_total_and_each_headline_share_with_the_rest_of_its_line():
    cat = catalogue.build(periods.parse("2026-Q2-4Q"))
    assert {k[1:] for k in cat.published} == {("total", "all"), *((d, c) for cells in catalogue.HEADLINE_CELLS.values()
                                                                   for d, c in cells),
                                               *((d, "rest") for d in catalogue.MONTH_SPLIT)}
    # Each of its cells (the rest excepted) is the sum of its four quarters' cells.
    links = dict(cat.links)
    assert links[("2026-Q2-4Q", "total", "all")] == tuple(
        (q, "total", "all") for q in ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"))


def test_the_family_of_a_window_reaches_every_period_its_windows_chain_together():
    history = [p for p in periods.publication_order(datetime.date(2025, 1, 1), datetime.date(2026, 7, 1))
               if p.label != "2026-Q2-4Q"]
    family = publishing.knowledge.family(periods.parse("2026-Q2-4Q"), history)
    labels = {p.label for p in family}
    assert {"2025", "2025-Q1", "2025-01", "2025-Q1-4Q", "2026-Q1-4Q", "2026-06"} <= labels
    # A quarter keeps its tree: no window holding it is published before it.
    assert publishing.knowledge.family(periods.parse("2026-Q2"), [p for p in history if p.label < "2026-Q2"
                                                                   or p.kind == periods.MONTH]) == \
        publishing.knowledge.family(periods.parse("2026-Q2"))


# --- A generated site: 18 months of 30-50 check-ins, everything published --------------------

def _seed(site_key: int, seed: int = 4) -> None:
    from questionnaire.models import Rollup
    from questionnaire.rollups import facts
    from questionnaire.services import checkin_fields

    rng = random.Random(seed)
    cells, totals = Counter(), Counter()
    for i in range(18):
        day = datetime.date(2025 + i // 12, i % 12 + 1, 1)
        for _ in range(rng.randint(30, 50)):
            answers = synthetic.answers(rng)
            for dimension, value, amount in facts(checkin_fields(answers, scoring.score(answers)), ()):
                cells[(day, dimension, value)] += 1
                totals[(day, dimension, value)] += amount
    Rollup.objects.bulk_create(Rollup(site_key=site_key, month=m, dimension=d, value=v, count=c,
                                      total=totals[(m, d, v)]) for (m, d, v), c in cells.items())


@pytest.fixture(scope="module")
def pooled_site(django_db_setup, django_db_blocker):
    """A site with 18 months published (windows included) and a member; built once per module."""
    from django.contrib.auth import get_user_model

    from questionnaire.models import Membership, Rollup, Site

    with django_db_blocker.unblock():
        site = Site.objects.create(slug="pooled", name="Pooled Recovery")
        _seed(site.pk)
        publishing.publish_until(site_key=site.pk, period=LAST, today=TODAY, threshold=T)
        user = get_user_model().objects.create_user("pooled-member", password="a-long-test-password")
        Membership.objects.create(user=user, site=site)
        yield site, user
        Publication.objects.filter(site_key=site.pk).delete()
        Rollup.objects.filter(site_key=site.pk).delete()
        Membership.objects.filter(site=site).delete()
        user.delete()
        site.delete()


def _pubs(site) -> dict:
    return {p.period: p for p in Publication.objects.filter(site_key=site.pk, threshold=T)}


@pytest.mark.django_db
def test_publish_makes_a_window_after_each_quarter_and_each_audit_holds(pooled_site):
    site, _ = pooled_site
    pubs = _pubs(site)
    quarters = [label for label in pubs if periods.parse(label).kind == QUARTER]
    assert sorted(label for label in pubs if label.endswith("-4Q")) == sorted(q + "-4Q" for q in quarters)
    by_id = sorted(pubs, key=lambda label: pubs[label].pk)
    assert all(by_id.index(q + "-4Q") > by_id.index(q) for q in quarters)
    assert all(pub.data["audit"] == [] for pub in pubs.values())
    assert publishing.audit_published(site_key=site.pk, threshold=T) == {"2026-Q2-4Q": []}


@pytest.mark.django_db
def test_windows_for_quarters_published_before_come_with_the_next_run_and_change_nothing_earlier(pooled_site):
    site, _ = pooled_site
    Publication.objects.filter(site_key=site.pk, period__endswith="-4Q").delete()  # as before windows existed
    before = {label: (pub.pk, pub.data) for label, pub in _pubs(site).items()}
    made = publishing.publish_site(site.pk, today=TODAY, threshold=T)
    assert sorted(p.period for p in made) == sorted(label + "-4Q" for label in before if label[5:6] == "Q")
    after = _pubs(site)
    assert {label: (after[label].pk, after[label].data) for label in before} == before
    assert all(pub.data["audit"] == [] for pub in made)


def _attack(pubs: dict, year: int):
    span = periods.parse(str(year))
    chosen = {label: {"cells": p.data["cells"], "derived": p.data.get("derived") or {}}
              for label, p in pubs.items() if periods.overlap(periods.parse(label), span)}
    site_key = next(iter(pubs.values())).site_key
    truth = audit.site_truth(site_key, chosen, TODAY)
    return chosen, audit.attack(chosen, audit.month_relations(), threshold=T, truth=truth,
                                category=catalogue.categories)


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2025, 2026])
def test_the_attacker_over_a_year_and_the_windows_touching_it_finds_nothing(pooled_site, year):
    site, _ = pooled_site
    chosen, report = _attack(_pubs(site), year)
    assert any(label.endswith("-4Q") for label in chosen) and report.attacked_cells > 0
    assert report.clean, report.summary()


@pytest.mark.django_db
def test_the_attacker_would_find_a_quarter_a_shown_window_gives_away(pooled_site):
    """The attacker's model holds each window as the sum of its quarters: show a
    window's cell and its other quarters' cells, and the hidden quarter cell falls."""
    site, _ = pooled_site
    pubs = _pubs(site)
    chosen = {label: {"cells": dict(p.data["cells"]), "derived": {}} for label, p in pubs.items()
              if periods.overlap(periods.parse(label), periods.parse("2026"))}
    window = "2026-Q2-4Q"
    quarters = [q.label for q in periods.parts(periods.parse(window))]
    truth = audit.site_truth(site.pk, [*chosen, *quarters], TODAY)
    code = next(f"{quarters[-1]}|{d}|{c}" for cells in catalogue.HEADLINE_CELLS.values() for d, c in cells
                if not isinstance(chosen[quarters[-1]]["cells"][f"{quarters[-1]}|{d}|{c}"], int))
    _, dimension, category = code.split("|")
    chosen[window]["cells"][f"{window}|{dimension}|{category}"] = truth[f"{window}|{dimension}|{category}"]
    for q in quarters[:-1]:
        chosen.setdefault(q, {"cells": {}, "derived": {}})["cells"][f"{q}|{dimension}|{category}"] = \
            truth[f"{q}|{dimension}|{category}"]
    report = audit.attack(chosen, audit.month_relations(), threshold=T, truth=truth, layers=1,
                          category=catalogue.categories, integer_checks=False, only=lambda name: name == code)
    assert [f.what for f in report.recovered] == [code]


def _quarter_with_pooled(site):
    for label in sorted(_pubs(site), reverse=True):
        period = periods.parse(label)
        if period.kind == QUARTER:
            tables = selectors.site_tables(site_key=site.pk, period=period, threshold=T)
            if tables.pooled:
                return tables
    raise AssertionError("no quarter of the generated site shows a pooled figure")


@pytest.mark.django_db
def test_the_pooled_figure_is_published_numbers_only_and_only_where_the_quarter_hides_its_own(pooled_site):
    site, _ = pooled_site
    tables = _quarter_with_pooled(site)
    window = periods.window(tables.period)
    cells = _pubs(site)[window.label].data["cells"]
    for name, pooled in tables.pooled.items():
        assert tables.derived[tables.period.label][name] is None
        (dimension, category), = catalogue.HEADLINE_CELLS[name]
        assert pooled.window == window and pooled.count == cells[f"{window.label}|{dimension}|{category}"]
        assert pooled.denominator == cells[f"{window.label}|total|all"]
        assert pooled.value == round(100 * pooled.count / pooled.denominator)


@pytest.mark.django_db
def test_the_dashboard_shows_a_pooled_figure_marked_as_such_in_the_hidden_quarters_card(pooled_site):
    site, user = pooled_site
    tables = _quarter_with_pooled(site)
    client = Client()
    client.force_login(user)
    html = client.get(reverse("stats:dashboard", args=[site.slug]) + f"?period={tables.period.label}").content.decode()
    for name, pooled in tables.pooled.items():
        card = html.split(f'data-figure="{name}"', 1)[1].split("</li>", 1)[0]
        assert "figure-hidden" in card  # the quarter's own stays hidden
        part = card.split('data-part="pooled"', 1)[1].split("</span>", 1)[0]
        assert "Pooled, not this quarter&#x27;s own figure" in part or "Pooled, not this quarter's own figure" in part
        assert periods.window(tables.period).title[1:] in part
        assert f"<strong>{pooled.value}%</strong>" in part and f"{pooled.count:,} of {pooled.denominator:,}" in part
        assert "95% interval" in part
    shown = [n for n, v in tables.derived[tables.period.label].items() if v is not None and n != "checkins"]
    for name in shown:
        card = html.split(f'data-figure="{name}"', 1)[1].split("</li>", 1)[0]
        assert 'data-part="pooled"' not in card


@pytest.mark.django_db
def test_the_csvs_carry_the_pooled_figures_flagged_as_pooled(pooled_site):
    site, user = pooled_site
    tables = _quarter_with_pooled(site)
    client = Client()
    client.force_login(user)
    one = client.get(reverse("stats:export", args=[site.slug]) + f"?period={tables.period.label}")
    rows = list(csv.reader(io.StringIO(one.content.decode("utf-8-sig"))))
    pooled_rows = [r for r in rows if r and ", pooled: last 4 quarters" in r[0]]
    assert len(pooled_rows) == len(tables.pooled)
    long = client.get(reverse("stats:export_long", args=[site.slug]))
    rows = list(csv.DictReader(io.StringIO(long.content.decode("utf-8-sig"))))
    windows = {r["period"] for r in rows if r["pooled"] == "1"}
    assert windows == {label for label in _pubs(site) if label.endswith("-4Q")}
    assert all(r["period"].endswith("-4Q") == (r["pooled"] == "1") for r in rows)
    window = periods.window(tables.period).label
    for name, pooled in tables.pooled.items():
        (dimension, category), = catalogue.HEADLINE_CELLS[name]
        label = dict(catalogue.DIMENSIONS[dimension].values)[category]
        row = next(r for r in rows if r["period"] == window and r["table_id"] == f"dist:{dimension}"
                   and r["row"] == label)
        assert int(row["count"]) == pooled.count and int(row["denominator"]) == pooled.denominator


def test_exports_long_header_flags_pooled_rows():
    assert exports.LONG_HEADER[-1] == "pooled"


@pytest.mark.django_db
def test_a_window_shows_a_share_its_quarter_shows_only_where_its_quarters_fix_it_anyway(pooled_site):
    site, _ = pooled_site
    pubs = _pubs(site)
    checked = 0
    for label, pub in pubs.items():
        window = periods.parse(label)
        if window.kind != WINDOW:
            continue
        quarter = pubs[periods.last_quarter(window).label]
        for name, ((dimension, category),) in catalogue.HEADLINE_CELLS.items():
            if quarter.data["derived"][quarter.period][name] is None:
                continue
            shown = pub.data["cells"][f"{label}|{dimension}|{category}"]
            if isinstance(shown, int):
                parts = [pubs[q.label].data["cells"][f"{q.label}|{dimension}|{category}"]
                         if q.label in pubs else 0 for q in periods.parts(window)]
                # Fixed anyway: by its four quarters, or, for a window that is a calendar
                # year (ending with Q4), by that year's own cell.
                year = str(periods.last_quarter(window).start.year)
                same_year = periods.last_quarter(window).start.month == 10 and year in pubs and \
                    pubs[year].data["cells"].get(f"{year}|{dimension}|{category}") == shown
                assert same_year or (all(isinstance(v, int) for v in parts) and sum(parts) == shown), (label, name)
            checked += 1
    assert checked
