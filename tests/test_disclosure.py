"""Disclosure control: the LP suppressor and its own audit on small tables with known answers."""

import pytest

from stats.disclosure import check_threshold, mean_allowed, period_publishable
from stats.disclosure import audit, suppress
from stats.disclosure.system import HIDDEN, LATENT, NEW, SHOWN, WITHHELD, System

T = 11


def distribution(counts, *, costs=None, status=NEW):
    """Return a system of one question's distribution: a total (never hidden) and its cells."""
    system = System(T)
    system.add("total", sum(counts.values()), SHOWN if status == NEW else status)
    for key, n in counts.items():
        system.add(key, n, status, cost=(costs or {}).get(key, n + 1))
    system.line("total", tuple(counts))
    return system


def test_a_small_cell_is_hidden_with_the_cheapest_other_cell_of_its_line():
    system = distribution({"a": 3, "b": 40, "c": 25, "d": 0})
    out = suppress.suppress(system)
    assert out.primary == {"a"} and out.complementary == {"c"} and out.failures == ()


def test_cost_weights_decide_which_cell_goes():
    system = distribution({"a": 3, "b": 40, "c": 25}, costs={"b": 1, "c": 500})
    assert suppress.suppress(system).complementary == {"b"}


def test_a_zero_does_not_protect_a_small_cell():
    # Hiding the zero leaves "a" pinned at 40 - 36 - 0: only a real count helps.
    system = distribution({"a": 4, "b": 36, "z": 0}, costs={"z": 0.1})
    out = suppress.suppress(system)
    assert "b" in out.complementary and out.failures == ()


def test_two_small_cells_of_one_line_that_add_up_to_less_than_t_need_a_third():
    system = distribution({"a": 3, "b": 4, "c": 30})
    out = suppress.suppress(system)
    assert out.hidden == {"a", "b", "c"} and out.failures == ()


def test_could_be_zero_does_not_protect_a_small_count():
    # a + c = 22 - 12 = 10: a (true 3) could be 0, but it is proven at most 10, which
    # still says it is small. Only hiding more (g or the second total) protects it.
    system = System(T)
    system.add("total", 18, SHOWN)
    system.add("total2", 22, NEW, cost=1000)
    for key, n in {"a": 3, "b": 15, "c": 7, "g": 12}.items():
        system.add(key, n, NEW, cost=n + 1)
    system.line("total", ("a", "b"))
    system.line("total2", ("a", "c", "g"))
    i = system.index
    found = audit.failures(system, {i["a"], i["b"], i["c"]})
    assert any("'a'" in f.what and "at most 10" in f.what for f in found)
    out = suppress.suppress(system)
    assert out.failures == () and "g" in out.hidden


def test_audit_catches_a_line_whose_hidden_part_is_small():
    system = distribution({"a": 3, "b": 4, "c": 30})
    found = audit.failures(system, {0 + system.index["a"], system.index["b"]})
    assert any("leaves 7" in f.what for f in found)


def test_audit_catches_a_cell_pinned_by_an_identity_the_tables_do_not_print():
    # "yes" = "most" + "every" is public logic; "most" and "every" shown give "yes" away.
    system = System(T)
    system.add("total", 50, SHOWN)
    for key, n in {"never": 12, "most": 20, "every": 15, "na": 3}.items():
        system.add(key, n, NEW, cost=1)
    for key, n in {"yes": 35, "no": 12, "unknown": 3}.items():
        system.add(key, n, NEW, cost=1)
    system.line("total", ("never", "most", "every", "na"))
    system.line("total", ("yes", "no", "unknown"))
    system.line("yes", ("most", "every"))
    system.line("no", ("never",))
    system.line("unknown", ("na",))
    i = system.index
    found = audit.failures(system, {i["na"], i["unknown"]})
    assert found  # total - the rest gives na = 3
    out = suppress.suppress(system)
    assert out.failures == () and {"na", "unknown"} <= out.hidden
    assert len(out.hidden) >= 4


def test_a_published_mean_bounds_the_hidden_counts():
    # Two classes, score 0 and score 10; the mean (to one decimal) over all 20 tells
    # how many scored 10, so "high" is pinned unless the mean is left out.
    def system_with(mean):
        s = System(T)
        s.add("total", 20, SHOWN)
        s.add("low", 17, NEW, cost=1)
        s.add("high", 3, NEW, cost=1)
        s.add("sum", None, LATENT)
        s.line("total", ("low", "high"))
        s.equal({"sum": -1, "high": 10})
        if mean is not None:
            s.at_most({"total": mean - 0.05, "sum": -1})
            s.at_most({"sum": 1, "total": -(mean + 0.05)})
        return s

    without = suppress.suppress(system_with(None))
    assert without.failures == () and without.hidden == {"high", "low"}
    assert audit.failures(system_with(1.5), {1, 2})  # 1.5 = 30 / 20: high is 3 exactly


def test_a_shown_means_group_of_t_or_more_caps_a_never_published_cell_and_the_audit_sees_it():
    # A month of 18 shows its total and a mean; 4 have no score (a cell it never publishes).
    # The rule that shows a mean says 11 or more have a score: the 4 are at most 7.
    def month(guarded, mean_shown):
        s = System(T)
        s.add("total", 18, SHOWN)
        i = s.add("no score", 4, LATENT)
        s.add("scored", 14, LATENT)
        s.equal({"total": -1, "no score": 1, "scored": 1})
        if mean_shown:  # knowledge._mean: T <= total - no score
            s.add("T", T, SHOWN)
            s.at_most({"T": 1, "total": -1, "no score": 1})
        if guarded:
            s.guarded.add(i)
        return s

    assert [f.about for f in audit.failures(month(True, True), set())] == ["no score"]
    assert audit.failures(month(True, False), set()) == []  # without the mean it could be 18
    assert audit.failures(month(False, True), set()) == []  # unguarded, nobody looked


def test_a_withheld_cell_must_not_be_pinned_by_a_sum_over_periods():
    system = System(T)
    system.add(("m1", "yes"), 20, SHOWN)
    system.add(("m2", "yes"), 3, WITHHELD, cap=10)
    system.add(("q", "yes"), 23, NEW, cost=1)
    system.add(("m1", "no"), 15, SHOWN)
    system.add(("m2", "no"), 4, WITHHELD, cap=10)
    system.add(("q", "no"), 19, NEW, cost=1)
    system.line(("q", "yes"), (("m1", "yes"), ("m2", "yes")))
    system.line(("q", "no"), (("m1", "no"), ("m2", "no")))
    assert audit.failures(system, set())
    out = suppress.suppress(system)
    assert out.hidden == {("q", "yes"), ("q", "no")} and out.failures == ()


def test_old_hidden_cells_are_audited_again():
    system = distribution({"a": 3, "b": 30}, status=HIDDEN)
    assert audit.failures(system, set()) == []


@pytest.mark.parametrize("threshold", [11, 12, 20, 100])
def test_threshold_of_11_or_more_is_accepted(threshold):
    assert check_threshold(threshold) == threshold


@pytest.mark.parametrize("threshold", [10, 5, 0, -1, 10.5, "11", True])
def test_threshold_below_11_or_not_whole_is_refused(threshold):
    with pytest.raises(ValueError):
        check_threshold(threshold)


def test_period_and_mean_rules():
    assert not period_publishable(10) and period_publishable(11)
    assert not mean_allowed(10) and mean_allowed(11) and not mean_allowed(15, threshold=20)


def test_the_protection_page_is_plain_and_follows_the_threshold():
    import textstat

    from stats.content import protection_sections

    text = " ".join(p for _, paragraphs in protection_sections(20) for p in paragraphs)
    assert "from 1 to 19" in text and "{" not in text and "hidden to protect small numbers" in text
    assert textstat.flesch_kincaid_grade(text) <= 8
    assert "from 1 to 10" in " ".join(p for _, paragraphs in protection_sections() for p in paragraphs)
