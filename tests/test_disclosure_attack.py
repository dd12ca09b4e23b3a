"""The independent attacker (tests/disclosure_audit.py ``attack``) against what we publish.

1. On a frozen copy of what the demo site published before issue 13's rewrite
   (tests/fixtures/published_before.json), the attacker finds the three kinds of
   leak the issue reports: a hidden cell proven small from the declared sums
   alone, a hidden cell proven small through a relation of our public code
   (flags, bands, results items), and a line whose hidden parts sum to 1..T-1.
2. Generated sites as the suppressor publishes them: tests/test_aggregates.py
   (a hypothesis test, all three layers, nothing may give way) and, at scale,
   benchmarks/attack.py (200 site-quarters, with what staff see).
3. Issue 20's lessons: a shown mean proves its group holds T or more (so it caps
   the "no score" cell), whole-number programs limited in nodes, and every cell
   of a month that is never published attacked as an unknown tied to its
   quarter; on one generated quarter of each kind the issue's attack used.
"""

import json
from pathlib import Path

import numpy as np

from . import disclosure_audit as audit

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "published_before.json").read_text())
T = FIXTURE["threshold"]


def _before(**kwargs):
    relations = [(tuple(t.split("|")), [tuple(p.split("|")) for p in parts]) for t, parts in FIXTURE["month_sums"]]
    return audit.attack(FIXTURE["publications"], relations, threshold=T, derived_spec=audit.DERIVED_BEFORE,
                        truth=FIXTURE["truth"], **kwargs)


def test_layer_1_proves_a_hidden_cell_small_from_the_declared_sums_alone():
    # The example: 2025-Q4 (October empty, November withheld, December
    # shown) hides a cell whose true count is 1, yet the sums prove it is at most 10.
    report = _before(layers=1, only=lambda name: name.startswith("2025-Q4|long_term_opioid*ucla3_band|unknown*"))
    found = {f.what: f for f in report.capped + report.proven_small}
    cell = found["2025-Q4|long_term_opioid*ucla3_band|unknown*3-5"]
    assert (cell.low, cell.high, cell.truth) == (0, 10, 1)
    # It is small because November was withheld as too small, which the audit says.
    assert cell.withheld


def test_layer_2_proves_cells_small_through_the_apps_own_relations():
    # Chronic pain "yes" is exactly "most days" + "every day" (scoring.chronic_pain):
    # with that, a hidden quarter cell is proven to lie between 2 and 10 (true 7).
    only = lambda name: name.startswith("2026-Q1|pain_frequency|never")  # noqa: E731
    report = _before(layers=2, focus={"pain_frequency", "chronic_pain"}, only=only)
    found = {f.what: f for f in report.proven_small}
    cell = found["2026-Q1|pain_frequency|never"]
    assert 1 <= cell.low <= cell.truth == 7 <= cell.high <= T - 1
    # The declared sums alone do not give it away.
    assert "2026-Q1|pain_frequency|never" not in {f.what for f in _before(layers=1, only=only).proven_small}


def test_a_line_whose_hidden_parts_sum_to_a_small_number():
    # The quarter's cell is hidden and so are its three months: their sum is proven small.
    report = _before(layers=2, focus={"pain_frequency", "chronic_pain"},
                     only=lambda name: name.startswith("2026-Q1|pain_frequency|never ="))
    assert [(f.low, f.high) for f in report.small_lines] == [(2, 10)], report.summary()


def test_types_model_is_derived_from_the_apps_code():
    keys = {tuple(code.split("|", 2)[1:]) for code in FIXTURE["publications"]["2026-03"]["cells"]}
    know = audit.knowledge(keys, True, focus={"sleep", "chronic_pain", "high_impact_chronic_pain"})
    # The results item about sleep depends on the sleep answer alone; chronic pain on how often.
    assert know.deps["item|q_sleep"] == ("sleep",)
    assert know.deps["chronic_pain"] == ("pain_frequency",)
    assert set(know.deps["high_impact_chronic_pain"]) == {"pain_frequency", "pain_impact"}
    group = next(g for g in know.groups if "item|q_sleep" in g.families and "sleep" in g.families)
    sleep_keys = [i for i, k in enumerate(group.keys) if k[0] == "sleep"]
    item = group.keys.index(("item", "q_sleep"))
    poorly = group.keys.index(("sleep", "poorly"))
    assert {(t[poorly], t[item]) for t in group.types} == {(0, 0), (1, 1)}
    assert all(sum(t[i] for i in sleep_keys) == 1 for t in group.types)


def test_integer_programs_tighten_what_the_linear_relaxation_allows():
    # x = 2a and x <= 3: the relaxation lets x reach 3; in whole numbers x is even, at most 2.
    # The integer programs stop after a number of nodes, never after seconds.
    system = audit._System()
    x, a = system.columns(2)
    system.add({x: 1, a: -2}, 0, 0)
    system.add({x: 1}, -np.inf, 3)
    for integer_checks, high in ((False, 3), (True, 2)):
        report = audit.Report(layers=1, threshold=T, periods=1)
        assert audit._solve(system, [({x: 1}, None, "x")], T, report, integer_checks) == [(0, high)]
    assert report.milp_solves == 2
    assert 0 <= report.milp_nodes <= audit.INTEGER_NODES


# --- The lessons of issue 20: what a shown mean proves, and cells never published ---------------

import datetime  # noqa: E402

import pytest  # noqa: E402

TODAY = datetime.date(2026, 7, 15)


def _published_site(site, sizes, seed):
    """Publish a generated site's quarter; return (publications as the attacker reads them, truth)."""
    from stats import periods, publishing

    from .test_aggregates import rollups_for

    rollups_for(site, sizes, seed)
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-Q2"), today=TODAY, threshold=11)
    published = audit.site_publications(site.pk, 11)
    return published, audit.site_truth(site.pk, published, TODAY)


@pytest.mark.django_db
def test_a_shown_mean_proves_its_group_is_t_or_more_and_so_caps_the_cells_without_a_score(site):
    # April: 18 check-ins, 4 of them without a UCLA-3 score. Shown, April's UCLA-3 mean
    # says that 11 or more have a score (the rule that shows a mean), so the 4 are at
    # most 18 - 11 = 7: a count never published, proven small. (Issue 20: before the
    # means were in the proof, April showed it, and the audit said "holds".)
    from stats import catalogue, periods
    from stats.counts import Counts

    published, truth = _published_site(site, {4: 18, 5: 40, 6: 27}, seed=1)
    assert truth["2026-04|ucla3_band|no_answer"] == 4
    n, total = Counts(site.pk, TODAY).sum_of(periods.parse("2026-04"), "ucla3_sum")
    assert n == 14
    # What we publish keeps the 4 safe: April shows no UCLA-3 mean.
    assert published["2026-04"]["derived"]["2026-04"]["mean_ucla3"] is None
    only = lambda name: name.startswith("2026-04|ucla3_band|")  # noqa: E731
    kept = audit.attack(published, audit.month_relations(), threshold=11, truth=truth,
                        category=catalogue.categories, only=only)
    assert kept.clean, kept.summary()
    # Had April shown its mean (as the code before issue 20 did), the attacker proves it.
    leaky = json.loads(json.dumps(published))
    leaky["2026-04"]["derived"]["2026-04"]["mean_ucla3"] = round(total / n, 1)
    report = audit.attack(leaky, audit.month_relations(), threshold=11, truth=truth,
                          category=catalogue.categories, only=only)
    found = {f.what: f for f in report.capped}
    cell = found["2026-04|ucla3_band|no_answer"]
    assert (cell.low, cell.high, cell.truth) == (0, 7, 4) and not report.clean
    assert cell.what in report.latent  # a cell no publication names


def _store(site, months: dict) -> None:
    """Store the rollups of these check-ins ({month of 2026: [answers, ...]}), as a live submission adds them."""
    from collections import Counter

    from questionnaire import scoring
    from questionnaire.models import Rollup
    from questionnaire.rollups import facts
    from questionnaire.services import checkin_fields

    cells, totals = Counter(), Counter()
    for month, batch in months.items():
        day = datetime.date(2026, month, 1)
        for answers in batch:
            for dimension, value, amount in facts(checkin_fields(answers, scoring.score(answers)), ()):
                cells[(day, dimension, value)] += 1
                totals[(day, dimension, value)] += amount
    Rollup.objects.bulk_create(Rollup(site_key=site.pk, month=m, dimension=d, value=v, count=c,
                                      total=totals[(m, d, v)]) for (m, d, v), c in cells.items())


# One quarter of each kind of site the attack was run on (sizes as drawn for it).
KIND_SITES = [("uneven", [18, 0, 40], 3), ("alike", None, 4), ("skipping", None, 5), ("tiny", [12, 7, 11], 6)]


@pytest.mark.django_db
@pytest.mark.parametrize("kind,sizes,seed", KIND_SITES, ids=[k for k, _, _ in KIND_SITES])
def test_generated_sites_of_every_kind_hold_against_the_attacker_with_its_lessons(site, kind, sizes, seed):
    """All three layers, a shown mean's group of T or more, whole-number programs (limited in
    nodes), and every never-published cell of the months: nothing gives way."""
    import random

    from stats import catalogue, periods, publishing
    from stats.models import Publication

    rng = random.Random(seed)
    sizes = sizes or audit.KINDS[kind][0](rng)[:3]
    _store(site, dict(zip((4, 5, 6), audit.site_answers(rng, kind, sizes))))
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-Q2"), today=TODAY, threshold=11)
    assert all(pub.data["audit"] == [] for pub in Publication.objects.filter(site_key=site.pk))
    published = audit.site_publications(site.pk, 11)
    truth = audit.site_truth(site.pk, published, TODAY)
    report = audit.attack(published, audit.month_relations(), threshold=11, truth=truth,
                          category=catalogue.categories)
    assert report.attacked_latent > 0
    assert report.clean and not report.recovered and not report.small_lines, report.summary()


@pytest.fixture
def site():
    from questionnaire.models import Site

    return Site.objects.create(slug="valley", name="Valley Recovery")
