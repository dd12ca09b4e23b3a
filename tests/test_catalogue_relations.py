"""The catalogue and the relations read off our own code (instruments, forms, scoring, rollups)."""

import datetime

from questionnaire import instruments as ins
from stats import catalogue, knowledge, periods, relations
from stats.catalogue import NO_ANSWER


def group_of(answer):
    return next(g for g in relations.groups() if answer in g.answers)


def test_each_known_dependency_is_found():
    depends, _ = relations.dependencies()
    assert depends["chronic_pain"] == {"pain_frequency"}
    assert depends["high_impact_chronic_pain"] == {"pain_frequency", "pain_impact"}
    assert depends["long_term_opioid"] == {"medicines", "opioid_duration"}
    assert depends["peg_band"] == depends["peg_sum"] == {"peg_pain", "peg_enjoyment", "peg_activity"}
    assert depends["ucla3_band"] == depends["ucla3_sum"] == {"ucla_companionship", "ucla_left_out", "ucla_isolated"}


def test_the_form_rule_on_opioid_duration_links_it_to_the_medicines():
    _, linked = relations.dependencies()
    assert frozenset({"medicines", "opioid_duration"}) in linked


def test_linked_answers_form_groups_and_a_multi_select_is_a_group_of_its_own():
    groups = {g.answers for g in relations.groups()}
    assert ("pain_frequency", "pain_impact") in groups
    assert ("peg_pain", "peg_enjoyment", "peg_activity") in groups
    assert ("ucla_companionship", "ucla_left_out", "ucla_isolated") in groups
    assert ("medicines", "opioid_duration") in groups
    assert ("pain_areas",) in groups
    assert not any("sleep" in g for g in groups)  # a plain distribution needs no classes


def test_identities_among_published_cells():
    found = set(relations.identities())
    assert (("chronic_pain", "yes"), (("pain_frequency", "most_days"), ("pain_frequency", "every_day"))) in found
    assert (("chronic_pain", "no"), (("pain_frequency", "never"), ("pain_frequency", "some_days"))) in found
    assert (("long_term_opioid", "yes"), (("opioid_duration", "3_months_plus"),)) in found


def test_high_impact_needs_chronic_pain_in_every_class():
    group = group_of("pain_impact")
    for cells, _ in group.classes:
        if ("high_impact_chronic_pain", "yes") in cells:
            assert ("chronic_pain", "yes") in cells


def test_classes_bound_the_sums_behind_the_means():
    ucla = group_of("ucla_left_out")
    for cells, sums in ucla.classes:
        (name, low, high), = sums
        assert name == "ucla3_sum" and low == high  # the UCLA-3 sum is exact per class
        if ("ucla3_band", NO_ANSWER) in cells:
            assert low == 0
        elif ("ucla3_band", "6-9") in cells:
            assert 60 > low >= 6
    peg = group_of("peg_pain")
    widest = max(high - low for _, sums in peg.classes for _, low, high in sums)
    assert 0 < widest <= 100  # tenths of a point: item bands leave the mean a range


def test_categories_merge_no_answer_band_peg_items_and_group_support():
    assert catalogue.category("lonely", "prefer_not") == catalogue.category("lonely", "not_answered") == NO_ANSWER
    assert catalogue.category("peg_pain", "5") == "4-6"
    assert catalogue.category("support", "usually") == "always_usually"
    assert catalogue.category("item", "q_sleep") is None  # results items are not published
    assert catalogue.category("pain_avoidance*support", "a_lot*never") == "a_lot*rarely_never"


def test_a_month_publishes_its_trend_figures_and_a_quarter_everything_else():
    month = catalogue.build(periods.parse("2026-04"))
    quarter = catalogue.build(periods.parse("2026-Q2"))
    assert {k[1] for k in month.published} == {"total", *catalogue.MONTH_DIMENSIONS}
    assert ("2026-Q2", "lonely", NO_ANSWER) in quarter.published
    assert not any(k[1] == "opioid_duration" for k in quarter.published)
    assert {t.id for t in quarter.tables} >= {"total", "trend", "dist:lonely", "multi:medicines",
                                               "cross:chronic_pain*ucla3_band"}
    # Every quarter cell is the sum of its months' cells, published or not.
    assert len(quarter.links) == len(quarter.cells)


def test_a_month_shows_each_headline_cell_beside_the_rest_of_its_line():
    # A month's finer cells stay unknown, so its quarter's finer cells are free of
    # what the month hid; "the rest" keeps the line checked (a small rest hides the
    # headline cell, as a small complement must).
    month = catalogue.build(periods.parse("2026-04"))
    total = ("2026-04", "total", "all")
    assert month.published == {total} | {("2026-04", d, v) for d, (head, _) in catalogue.MONTH_SPLIT.items()
                                         for v in (head, catalogue.REST)}
    assert (total, (("2026-04", "chronic_pain", "yes"), ("2026-04", "chronic_pain", catalogue.REST))) \
        in month.relations
    assert (("2026-04", "support", catalogue.REST), tuple(("2026-04", "support", v) for v in
                                                          ("sometimes", "rarely_never", NO_ANSWER))) in month.relations
    assert [row[0] for row in next(t for t in month.tables if t.id == "dist:support").rows] == \
        ["Always or usually", "Sometimes, rarely, never, or no answer"]
    assert catalogue.categories("chronic_pain", "not_answered") == ("unknown", catalogue.REST)
    assert catalogue.categories("support", "usually") == ("always_usually",)
    assert catalogue.categories("lonely", "often_always") == ("often_always",)
    assert not any(k[2] == catalogue.REST for k in catalogue.build(periods.parse("2026-Q2")).cells)


def test_the_attacker_model_of_a_quarter_holds_the_true_counts():
    def counts(period):
        return {k: 0 for k in catalogue.build(period).cells}

    system = knowledge.build(periods.parse("2026-Q2"), counts=counts,
                             published={k: 0 for m in ("2026-04", "2026-05", "2026-06")
                                        for k in catalogue.build(periods.parse(m)).published},
                             means={}, threshold=11)
    assert system.check() == []
    assert [k for k in system.keys if k[0] == "class"]
    assert datetime.date(2026, 4, 1) == periods.parse("2026-Q2").start
    # Where it hurts: no month publishes it, so its classes are counted per quarter.
    quarterly = [g for g in relations.groups() if g.answers == ("pain_areas",)]
    assert [relations.groups()[g] for g in knowledge._quarterly()] == quarterly
    assert len({k for k in system.keys if k[:2] == ("class", "2026-05")}) == sum(
        len(g.classes) for g in relations.groups() if g not in quarterly)
    assert len({k for k in system.keys if k[:2] == ("class", "2026-Q2")}) == len(quarterly[0].classes)


def test_every_question_has_one_no_answer_cell():
    for q in ins.QUESTIONS:
        if q.kind != ins.GRID:
            values = [v for v, _ in catalogue.DIMENSIONS[q.code].values]
            assert values.count(NO_ANSWER) == 1 and ins.PREFER_NOT not in values
