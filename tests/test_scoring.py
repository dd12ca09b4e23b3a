"""Scoring against the instruments' definitions (no Django needed)."""

import pytest

from questionnaire import scoring
from questionnaire.instruments import PREFER_NOT


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ((0, 0, 0), 0.0),
        ((10, 10, 10), 10.0),
        ((5, 6, 7), 6.0),
        ((4, 4, 5), 4.3),  # 13/3 = 4.333…
        ((4, 5, 5), 4.7),  # 14/3 = 4.666…
        ((1, 0, 0), 0.3),
    ],
)
def test_peg_is_the_mean_of_its_three_items(items, expected):
    answers = dict(zip(scoring.PEG_ITEMS, items))
    assert scoring.peg_score(answers) == expected


@pytest.mark.parametrize("missing", scoring.PEG_ITEMS)
def test_peg_is_none_when_any_item_is_missing(missing):
    answers = {code: 5 for code in scoring.PEG_ITEMS}
    answers[missing] = None
    assert scoring.peg_score(answers) is None


@pytest.mark.parametrize("junk", [11, -1, "5", True, 5.5])
def test_peg_rejects_values_outside_0_to_10(junk):
    answers = {"peg_pain": junk, "peg_enjoyment": 5, "peg_activity": 5}
    assert scoring.peg_score(answers) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (("hardly_ever",) * 3, 3),
        (("often",) * 3, 9),
        (("hardly_ever", "some_of_the_time", "often"), 6),
        (("some_of_the_time", "some_of_the_time", "hardly_ever"), 5),
    ],
)
def test_ucla3_is_the_sum_of_1_2_3_points(values, expected):
    assert scoring.ucla3_score(dict(zip(scoring.UCLA_ITEMS, values))) == expected


@pytest.mark.parametrize("gap", [None, PREFER_NOT])
def test_ucla3_is_none_when_an_item_is_missing_or_declined(gap):
    answers = dict(zip(scoring.UCLA_ITEMS, ("often", "often", gap)))
    assert scoring.ucla3_score(answers) is None


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [("never", False), ("some_days", False), ("most_days", True), ("every_day", True), (None, None)],
)
def test_chronic_pain_is_most_days_or_every_day(frequency, expected):
    assert scoring.chronic_pain({"pain_frequency": frequency}) is expected


@pytest.mark.parametrize(
    ("frequency", "impact", "expected"),
    [
        ("every_day", "every_day", True),
        ("most_days", "most_days", True),
        ("most_days", "some_days", False),
        ("every_day", "never", False),
        ("some_days", "every_day", False),  # limiting, but not chronic pain
        ("never", None, False),
        ("every_day", None, None),
        (None, "every_day", None),
        (None, "never", False),
    ],
)
def test_high_impact_chronic_pain(frequency, impact, expected):
    answers = {"pain_frequency": frequency, "pain_impact": impact}
    assert scoring.high_impact_chronic_pain(answers) is expected


@pytest.mark.parametrize(
    ("medicines", "duration", "expected"),
    [
        (["rx_opioid"], "3_months_plus", True),
        (["otc", "rx_opioid"], "3_months_plus", True),
        (["rx_opioid"], "under_3_months", False),
        (["rx_opioid"], None, None),
        (["rx_opioid"], PREFER_NOT, None),
        (["otc"], None, False),
        (["none"], None, False),
        ([PREFER_NOT], None, None),
        ([], None, None),
    ],
)
def test_long_term_opioid_therapy_is_a_prescribed_opioid_for_3_months_or_more(medicines, duration, expected):
    answers = {"medicines": medicines, "opioid_duration": duration}
    assert scoring.long_term_opioid(answers) is expected


def test_nothing_answered_gives_no_numbers():
    assert scoring.score({}) == scoring.Scores(None, None, None, None, None)


@pytest.mark.parametrize(("peg", "band"), [(0, "0-3.9"), (3.9, "0-3.9"), (4, "4-6.9"), (6.9, "4-6.9"), (7, "7-10"), (None, None)])
def test_peg_bands(peg, band):
    assert scoring.peg_band(peg) == band


@pytest.mark.parametrize(("ucla", "band"), [(3, "3-5"), (5, "3-5"), (6, "6-9"), (9, "6-9"), (None, None)])
def test_ucla3_bands(ucla, band):
    assert scoring.ucla3_band(ucla) == band


def test_scoring_imports_no_django():
    import ast
    import pathlib

    source = pathlib.Path(scoring.__file__).read_text()
    imported = {
        node.module or "" for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
    } | {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name.startswith("django") for name in imported)


@pytest.mark.parametrize(
    "medicines, expected",
    [
        (["rx_opioid"], True),
        (["moud"], True),
        (["otc", "moud"], True),
        (["otc", "rx_nonopioid"], False),
        (["none"], False),
        ([PREFER_NOT], None),
        ([], None),
    ],
)
def test_opioid_medicine_is_a_prescribed_opioid_or_medication_for_opioid_use_disorder(medicines, expected):
    assert scoring.opioid_medicine({"medicines": medicines}) is expected


def test_medication_for_opioid_use_disorder_alone_is_not_long_term_opioid_therapy():
    # Long-term opioid therapy is a prescribed opioid for pain (NIH); the duration is asked for that only.
    assert scoring.long_term_opioid({"medicines": ["moud"], "opioid_duration": "3_months_plus"}) is False
