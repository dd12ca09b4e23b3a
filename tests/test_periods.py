"""``?period=`` on every staff URL: any text is a page or a clear 404, never a
500 and never a promise of figures that are not coming (stats.periods)."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings, strategies as st

from stats import periods
from stats.periods import MONTH, QUARTER, YEAR, Period

from .conftest import examples
from .staff_data import world  # noqa: F401 - a fixture

TODAY = datetime.date(2026, 12, 4)
Q3 = Period(datetime.date(2026, 7, 1), QUARTER)
PUBLISHED = [Q3, *(Period(datetime.date(2026, m, 1), MONTH) for m in range(9, 0, -1))]
EXAMPLES = 300  # per staff URL kind


@pytest.mark.parametrize("text", ["9999", "9999-12", "9999-Q4", "0000", "0000-01", "2026-13", "2026-00", "2026-Q5",
                                  "2026-Q0", "٢٠٢٦", "٢٠٢٦-Q3", "2026\n", "20261", "2026-9", " 2026-Q3x", "2026-q3",
                                  "9" * 5000, "", "\x00", "2026-Q3\x00"])
def test_parse_refuses_what_is_not_a_period_it_can_date(text):
    if text.strip() == "" or text == "2026\n":
        return  # blank is "no choice" (see choose), and surrounding space is stripped
    with pytest.raises(ValueError):
        periods.parse(text)


def test_parse_reads_the_three_kinds_up_to_the_last_datable_one():
    assert periods.parse("2026-09") == Period(datetime.date(2026, 9, 1), MONTH)
    assert periods.parse(" 2026-Q3 ") == Q3
    assert periods.parse("2026") == Period(datetime.date(2026, 1, 1), YEAR)
    assert periods.parse("9999-11").end == datetime.date(9999, 12, 1)
    assert periods.parse("9999-Q3").end == datetime.date(9999, 10, 1)
    assert periods.parse("0001-01").start == datetime.date(1, 1, 1)


@pytest.mark.parametrize("text, expected", [
    ("", (Q3, None)),
    ("2026-Q3", (Q3, None)),
    ("2026-08", (PUBLISHED[2], None)),
    ("2026-10", (Period(datetime.date(2026, 10, 1), MONTH), "preparing")),  # after all published: publish is behind
    ("2026-11", (Period(datetime.date(2026, 11, 1), MONTH), "preparing")),
])
def test_choose_a_published_or_coming_period(text, expected):
    assert periods.choose(text, published=PUBLISHED, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2024", "1900", "0001-01", "2025-12", "2026-Q1",  # before or between: not coming
                                  "2026-12", "2026-Q4", "2026", "2099-Q1",  # not over yet
                                  "9999", "9999-12", "9999-Q4", "rubbish"])
def test_choose_refuses_every_other_period(text):
    with pytest.raises(ValueError):
        periods.choose(text, published=PUBLISHED, today=TODAY)


def test_with_nothing_published_only_a_period_just_ended_is_being_prepared():
    assert periods.choose("", published=[], today=TODAY) == (None, "none")
    assert periods.choose("2026-11", published=[], today=TODAY)[1] == "preparing"
    for text in ("2026-10", "2026-Q3", "2024", "1900"):
        with pytest.raises(ValueError):
            periods.choose(text, published=[], today=TODAY)


# --- every staff URL, any ?period= ------------------------------------------------------------

STAFF_URLS = [("stats:dashboard", True), ("stats:print", True), ("stats:export", True), ("stats:chart", True),
              ("stats:dashboard_none", False), ("stats:print_none", False), ("stats:export_none", False),
              ("stats:chart_none", False)]
# What else a URL needs to show something (a chart names which one).
NEEDS = {"stats:chart": {"chart": "series:checkins"}, "stats:chart_none": {"chart": "series:checkins"}}
NAMED = ["9999", "9999-12", "9999-Q4", "2024", "1900", "0001-01", "2026-Q3", "2026-10", "2026-09", "2026"]


def period_texts():
    digits = st.text(alphabet="0123456789", min_size=1, max_size=5)
    return st.one_of(
        st.sampled_from(NAMED),
        st.builds(lambda y, m: f"{y}-{m}", digits, st.text(alphabet="0123456789Qq", max_size=3)),
        st.builds(lambda y: y, digits),
        st.text(max_size=30),
        st.text(alphabet="0123456789-Q \t\n٢\x00%", max_size=12),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name, with_site", STAFF_URLS)
def test_any_period_on_every_staff_url_is_a_page_or_a_404(name, with_site, world):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(world.root)
    url = reverse(name, args=[world.site.slug]) if with_site else reverse(name)
    statuses: Counter = Counter()
    problems: list[str] = []

    @settings(max_examples=examples(EXAMPLES), deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(text=period_texts())
    def fuzz(text):
        response = client.get(url, {"period": text, **NEEDS.get(name, {})})
        statuses[response.status_code] += 1
        html = response.content.decode("utf-8", "replace")
        if response.status_code not in (200, 404):
            problems.append(f"{response.status_code} for {text!r}")
        elif response.status_code == 200 and "being prepared" in html:
            chosen = periods.parse(text)  # only a complete period after everything published
            if not chosen.start.year >= 2026 or not periods.is_complete(chosen, datetime.date.today()):
                problems.append(f"a promise for {text!r}")
        elif response.status_code == 404 and "Page not found" not in html:
            problems.append(f"404 without our page for {text!r}")
        assert not problems, problems[-1]

    fuzz()
    print(f"\nperiod fuzz {url}: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    assert sum(statuses.values()) >= examples(EXAMPLES)
    assert not problems, problems[:5]
    # The issue's own values, every time.
    for text in ("9999", "9999-12", "9999-Q4", "2024", "1900", "0001-01"):
        response = client.get(url, {"period": text, **NEEDS.get(name, {})})
        assert response.status_code == 404, text
        html = response.content.decode()
        assert "there are no figures for it" in html and 'href="/staff/"' in html, text
