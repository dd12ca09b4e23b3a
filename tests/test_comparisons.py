"""The headline's reading aids: Wilson intervals against published values,
Fingertips' higher / similar / lower rule, and the change in words."""

import pytest

from stats import comparisons, dashboard, periods
from stats.comparisons import HIGHER, LOWER, SIMILAR


# Newcombe (1998), "Two-sided confidence intervals for the single proportion",
# Table I, method 3 (Wilson score without continuity correction).
@pytest.mark.parametrize("count, n, low, high", [
    (81, 263, 25.53, 36.62),
    (15, 148, 6.24, 16.05),
    (0, 20, 0.0, 16.11),
    (1, 29, 0.61, 17.18),
    (29, 29, 88.30, 100.0),
])
def test_wilson_matches_published_values(count, n, low, high):
    got = comparisons.wilson(count, n)
    assert got == pytest.approx((low, high), abs=0.01)


def test_wilson_stays_inside_0_to_100_and_contains_the_share():
    for n in (1, 11, 44, 300):
        for count in range(n + 1):
            low, high = comparisons.wilson(count, n)
            assert 0 <= low <= 100 * count / n <= high <= 100


@pytest.mark.parametrize("count, n", [(5, 0), (-1, 10), (11, 10)])
def test_wilson_refuses_impossible_counts(count, n):
    with pytest.raises(ValueError):
        comparisons.wilson(count, n)


@pytest.mark.parametrize("interval, benchmark, expected", [
    ((25.0, 40.0), 20.4, HIGHER),
    ((10.0, 19.9), 20.4, LOWER),
    ((15.0, 30.0), 20.4, SIMILAR),
    ((20.4, 30.0), 20.4, SIMILAR),  # touching the benchmark is not a difference
    ((10.0, 20.4), 20.4, SIMILAR),
    (None, 20.4, None),  # no interval, no judgement
])
def test_judgement_follows_the_interval(interval, benchmark, expected):
    assert comparisons.judge(interval, benchmark) == expected


def test_change_in_words():
    assert comparisons.change(45, 40, "share") == comparisons.Change("up", "up 5 percentage points")
    assert comparisons.change(39, 40, "share").text == "down 1 percentage point"
    assert comparisons.change(5.2, 5.2, "mean").text == "no change"
    assert comparisons.change(4.8, 5.2, "mean").text == "down 0.4 points"
    assert comparisons.change(120, 100, "count").arrow == "↑"


Q3 = periods.parse("2026-Q3")


def test_figures_compare_only_shown_numbers():
    own = {"checkins": 44, "share_chronic_pain": 32, "share_high_impact": None, "share_long_term_opioid": None,
           "mean_peg": 5.1, "mean_ucla3": None, "share_support_usually": 32}
    counts = {"share_chronic_pain": (14, 44), "share_support_usually": (14, 44), "mean_peg": (None, 40)}
    before = {"checkins": 30, "share_chronic_pain": None, "share_high_impact": 20, "mean_peg": 4.5,
              "share_support_usually": 40}
    shown = {f.key: f for f in dashboard.figures(Q3, own, before, counts=counts, year_ago=None)}
    pain = shown["share_chronic_pain"]
    assert pain.out_of == "14 of 44 check-ins"
    assert pain.interval == "95% interval: 20.0% to 46.6%"
    # 20.4 lies inside 19.9993 to 46.6: no difference the interval supports.
    assert pain.judgement == "Similar to 20.4% of US adults, NHIS 2019"
    # Last period's figure hidden: the one marker, no change.
    assert pain.earlier[0].text == dashboard.HIDDEN and pain.earlier[0].change is None
    assert pain.earlier[1].text == "not published" and pain.earlier[1].title == "Q3 2025 (July to September)"
    support = shown["share_support_usually"]
    assert support.judgement.startswith("Lower than 77.5%")
    assert support.earlier[0].change.text == "down 8 percentage points"
    # Hidden now: no count, no interval, no change, no judgement, even though last period is shown.
    high = shown["share_high_impact"]
    assert high.text is None and not high.out_of and not high.interval and not high.judgement
    assert high.earlier[0].change is None and high.earlier[0].text == "20%"
    peg = shown["mean_peg"]
    assert peg.out_of == "of 40 who answered" and peg.interval.startswith("No interval")
    assert peg.earlier[0].change.text == "up 0.6 points"
    assert shown["checkins"].earlier[0].change.text == "up 14"


def test_a_period_with_no_checkins_hides_nothing():
    own = {"checkins": 0, **dict.fromkeys(("share_chronic_pain", "mean_peg"))}
    shown = dashboard.figures(Q3, own, {"checkins": 0})
    assert shown[0].text == "0" and shown[0].earlier[0].change.text == "no change"
    assert shown[1].earlier == () and not shown[1].out_of  # nothing to compare, nothing hidden
    assert all(f.empty for f in shown[1:])


def test_the_same_period_a_year_earlier():
    assert dashboard.year_before(Q3).label == "2025-Q3"
    assert dashboard.year_before(periods.parse("2026-02")).label == "2025-02"
    assert dashboard.year_before(periods.parse("2026")).label == "2025"
