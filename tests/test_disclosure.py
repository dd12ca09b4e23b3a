"""Disclosure control: the suppressor in ``stats.disclosure`` against the
independent audit in ``tests.disclosure_audit``.

Fixed cases show traps that a naive "two hidden cells per line" rule falls into
(the audit catches the naive pattern, then passes ``protect``'s result); random
sites publish month after month, quarter after quarter, and everything
published so far must pass the audit. Run with ``-s`` to see how many cells
were hidden.
"""

import random
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stats.disclosure import (
    FEWER_THAN_THRESHOLD,
    HIDDEN,
    HIDDEN_LABEL,
    WITHHELD,
    Cell,
    DisclosureError,
    Kind,
    Line,
    check_threshold,
    derived_allowed,
    period_publishable,
    protect,
    withhold,
)
from tests.disclosure_audit import FEWER, SHOWN, audit
from tests.disclosure_audit import HIDDEN as AUDIT_HIDDEN
from tests.disclosure_audit import WITHHELD as AUDIT_WITHHELD

T = 11
STATUS = {HIDDEN: AUDIT_HIDDEN, WITHHELD: AUDIT_WITHHELD, FEWER_THAN_THRESHOLD: FEWER}


def audit_of(cells, lines, published, *, threshold=T):
    """Audit what ``published`` shows of ``cells`` (a list of Cell)."""
    return audit(
        {c.key: (c.count, STATUS.get(published[c.key], SHOWN)) for c in cells if c.key in published},
        [(line.total, line.parts) for line in lines],
        threshold=threshold,
    )


def naive(cells, hidden):
    """Return what a per-table rule that hides ``hidden`` would publish."""
    return {c.key: HIDDEN if c.key in hidden else c.count for c in cells}


def table(name, rows):
    """Return the cells and lines of a cross-table with row, column and grand totals."""
    cells, lines = [], []
    for r, row in enumerate(rows):
        cells += [Cell((name, r, c), n) for c, n in enumerate(row)]
        cells.append(Cell((name, r, "all"), sum(row), Kind.MARGIN))
        lines.append(Line((name, r, "all"), tuple((name, r, c) for c in range(len(row)))))
    for c in range(len(rows[0])):
        cells.append(Cell((name, "all", c), sum(row[c] for row in rows), Kind.MARGIN))
        lines.append(Line((name, "all", c), tuple((name, r, c) for r in range(len(rows)))))
    cells.append(Cell((name, "all", "all"), sum(map(sum, rows)), Kind.TOTAL))
    lines.append(Line((name, "all", "all"), tuple((name, r, "all") for r in range(len(rows)))))
    lines.append(Line((name, "all", "all"), tuple((name, "all", c) for c in range(len(rows[0])))))
    return cells, lines


def distribution(name, counts, *, total=None):
    """Return the cells and line of one question's distribution; ``total`` names a shared total."""
    total = total or (name, "all")
    cells = [Cell((name, label), n) for label, n in counts.items()]
    if total == (name, "all"):
        cells.append(Cell(total, sum(counts.values()), Kind.TOTAL))
    return cells, [Line(total, tuple((name, label) for label in counts))]


# -- Small rules


def test_counts_from_1_to_threshold_minus_1_are_hidden_and_zero_is_shown():
    cells = [Cell(("q", n), n) for n in (0, 1, 10, 11, 40)]
    result = protect(cells, [], threshold=T)
    assert result.primary == {("q", 1), ("q", 10)}
    assert not result.complementary
    assert result.published == {("q", 0): 0, ("q", 1): HIDDEN, ("q", 10): HIDDEN, ("q", 11): 11, ("q", 40): 40}


def test_every_hidden_cell_carries_the_same_marker():
    cells, lines = distribution("q", {"a": 3, "b": 25, "c": 30})
    result = protect(cells, lines, threshold=T)
    assert HIDDEN_LABEL == "hidden to protect small numbers"
    assert {result.label(key) for key in result.hidden} == {HIDDEN_LABEL}
    assert result.label(("q", "all")) == 58


def test_margins_below_the_threshold_are_hidden_too():
    cells, lines = table("x", [[0, 4], [20, 30]])
    result = protect(cells, lines, threshold=T)
    assert {("x", 0, 1), ("x", 0, "all")} <= result.primary
    assert audit_of(cells, lines, result.published) == []


@pytest.mark.parametrize("threshold", [11, 12, 20, 100])
def test_threshold_of_11_or_more_is_accepted(threshold):
    assert check_threshold(threshold) == threshold


@pytest.mark.parametrize("threshold", [10, 5, 0, -1, 10.5, "11", True])
def test_threshold_below_11_or_not_whole_is_refused(threshold):
    with pytest.raises(ValueError):
        check_threshold(threshold)


def test_protect_refuses_a_low_threshold():
    with pytest.raises(ValueError):
        protect([Cell("a", 3)], [], threshold=5)


def test_period_below_the_threshold_is_not_publishable():
    assert not period_publishable(0)
    assert not period_publishable(10)
    assert period_publishable(11)
    assert not period_publishable(15, threshold=20)


def test_withhold_marks_the_period_total_as_fewer_than_the_threshold():
    assert withhold(["a", "b", "t"], total="t") == {"a": WITHHELD, "b": WITHHELD, "t": FEWER_THAN_THRESHOLD}


@pytest.mark.parametrize(
    ("count", "parent", "shown", "allowed"),
    [
        (11, 11, True, True),  # the complement is empty
        (11, 22, True, True),
        (30, 35, True, False),  # the other 5 would show through
        (10, 40, True, False),  # the group itself is small
        (20, 40, False, False),  # its count is hidden
        (0, 40, True, False),
    ],
)
def test_shares_and_means_need_a_shown_group_and_complement_of_0_or_at_least_t(count, parent, shown, allowed):
    assert derived_allowed(count, parent=parent, shown=shown, threshold=T) is allowed


def test_derived_numbers_follow_a_raised_threshold():
    assert derived_allowed(15, parent=15, shown=True, threshold=11)
    assert not derived_allowed(15, parent=15, shown=True, threshold=20)


def test_inconsistent_counts_are_refused():
    with pytest.raises(ValueError):
        protect([Cell("t", 10), Cell("a", 3)], [Line("t", ("a",))])


def test_published_value_must_match_the_count():
    with pytest.raises(ValueError):
        protect([Cell("a", 30)], [], published={"a": 31})


def test_a_leak_already_published_cannot_be_repaired():
    cells = [Cell("t", 20), Cell("a", 3), Cell("b", 17)]
    with pytest.raises(DisclosureError):
        protect(cells, [Line("t", ("a", "b"))], published={"t": 20, "a": HIDDEN, "b": 17})


def test_protect_is_deterministic():
    cells, lines = table("x", [[3, 12, 15], [14, 2, 16], [20, 19, 1]])
    first = protect(cells, lines)
    assert all(protect(cells, lines) == first for _ in range(3))


# -- Traps a naive rule falls into


def test_bridging_cell_recoverable_by_rank():
    # Two hidden rectangles joined by one hidden cell at (0, 2): every row and
    # column has 0 or at least 2 hidden cells, yet (0, 2) is the only hidden
    # link between the two groups, so the shown margins give it away exactly.
    cells, lines = table("x", [[3, 12, 2, 30], [15, 4, 25, 18], [16, 22, 5, 20], [19, 17, 14, 6]])
    hidden = {("x", r, c) for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (0, 2), (2, 2), (2, 3), (3, 2), (3, 3)]}
    failures = audit_of(cells, lines, naive(cells, hidden))
    assert failures and all("('x', 0, 2)" in f for f in failures)

    result = protect(cells, lines, threshold=T)
    assert audit_of(cells, lines, result.published) == []


def test_quarter_minus_two_shown_months():
    months = {"m1": {"yes": 12, "no": 20}, "m2": {"yes": 15, "no": 11}, "m3": {"yes": 4, "no": 14}}
    cells, lines, published = [], [], {}
    for month, counts in months.items():
        c, l = distribution(month, counts)
        cells += c
        lines += l
        result = protect(cells, lines, published=published)
        published.update(result.published)
    assert published[("m3", "yes")] is HIDDEN and published[("m1", "yes")] == 12
    c, l = distribution("q", {"yes": 31, "no": 45})
    links = [Line(("q", label), tuple((m, label) for m in months)) for label in ("yes", "no", "all")]
    cells += c
    lines += l + links

    failures = audit_of(cells, lines, {**published, **naive(c, set())})
    assert any("('m3', 'yes')" in f for f in failures)

    result = protect(cells, lines, published=published)
    assert ("q", "yes") in result.complementary
    assert audit_of(cells, lines, {**published, **result.published}) == []


def test_hidden_cells_that_sum_to_a_small_number():
    cells, lines = distribution("q", {"a": 1, "b": 2, "c": 15, "d": 20})
    failures = audit_of(cells, lines, naive(cells, {("q", "a"), ("q", "b")}))
    assert any("leaves 3" in f for f in failures)
    assert any("provably at most 3" in f for f in failures)

    result = protect(cells, lines)
    assert result.complementary == {("q", "c")}
    assert audit_of(cells, lines, result.published) == []


def test_two_hidden_ones_in_a_row():
    cells, lines = distribution("q", {"a": 1, "b": 1, "c": 30})
    assert any("leaves 2" in f for f in audit_of(cells, lines, naive(cells, {("q", "a"), ("q", "b")})))

    result = protect(cells, lines)
    assert audit_of(cells, lines, result.published) == []


def test_cross_tab_margin_against_the_question_distribution():
    # Each table is safe alone, but the cross-table shows the "unknown" margin
    # that the distribution hid, and the distribution shows "yes" that the
    # cross-table hid; together they give away "no" = 4.
    x_cells, x_lines = table("x", [[14, 16], [1, 3], [7, 8]])
    d_cells, d_lines = distribution("d", {0: 30, 1: 4, 2: 15}, total=("x", "all", "all"))
    links = [Line(("x", r, "all"), (("d", r),)) for r in range(3)]
    cells, lines = x_cells + d_cells, x_lines + d_lines + links
    x_hidden = {("x", r, c) for r in range(3) for c in range(2)} | {("x", 1, "all"), ("x", 2, "all")}
    assert audit_of(x_cells, x_lines, naive(x_cells, x_hidden)) == []
    d_naive = naive(d_cells, {("d", 0), ("d", 1)})
    assert audit_of(d_cells + [Cell(("x", "all", "all"), 49)], d_lines, {**d_naive, ("x", "all", "all"): 49}) == []

    failures = audit_of(cells, lines, {**naive(x_cells, x_hidden), **d_naive})
    assert any("('d', 1)" in f and "exactly 4" in f for f in failures)

    result = protect(cells, lines)
    assert audit_of(cells, lines, result.published) == []


def test_year_published_after_its_quarters():
    quarters = {"q1": {"yes": 3, "no": 15}, "q2": {"yes": 12, "no": 11}, "q3": {"yes": 14, "no": 13}}
    quarters["q4"] = {"yes": 20, "no": 16}
    cells, lines, published = [], [], {}
    for quarter, counts in quarters.items():
        c, l = distribution(quarter, counts)
        cells += c
        lines += l
        published.update(protect(cells, lines, published=published).published)
    c, l = distribution("y", {"yes": 49, "no": 55})
    cells += c
    lines += l + [Line(("y", label), tuple((q, label) for q in quarters)) for label in ("yes", "no", "all")]

    assert any("('q1', 'yes')" in f for f in audit_of(cells, lines, {**published, **naive(c, set())}))

    result = protect(cells, lines, published=published)
    assert result.published[("y", "yes")] is HIDDEN
    assert result.published[("y", "all")] == 104  # the total alone gives nothing away
    assert audit_of(cells, lines, {**published, **result.published}) == []


def test_withheld_month_is_not_given_away_by_its_quarter():
    cells, lines, published = [], [], {}
    for month, counts in {"m1": {"yes": 12, "no": 20}, "m2": {"yes": 15, "no": 11}}.items():
        c, l = distribution(month, counts)
        cells += c
        lines += l
        published.update(protect(cells, lines, published=published).published)
    c, l = distribution("m3", {"yes": 2, "no": 3})
    cells += c
    lines += l
    assert not period_publishable(5)
    published.update(withhold([cell.key for cell in c], total=("m3", "all")))
    c, l = distribution("q", {"yes": 29, "no": 34})
    cells += c
    lines += l + [Line(("q", label), tuple((m, label) for m in ("m1", "m2", "m3"))) for label in ("yes", "no", "all")]

    result = protect(cells, lines, published=published)
    assert result.published[("q", "all")] is HIDDEN
    assert audit_of(cells, lines, {**published, **result.published}) == []


# -- Random sites, published period after period

QUESTIONS = {"q1": (50, 25, 15, 7, 3), "q2": (70, 30), "q3": (60, 30, 10)}


def period_counts(checkins):
    """Return the counts of one period's tables from its check-ins (tuples of answers)."""
    counts = Counter({("total",): len(checkins)})
    for answers in checkins:
        for (question, _), answer in zip(QUESTIONS.items(), answers):
            counts[(question, answer)] += 1
        counts[("q2*q3", answers[1], answers[2])] += 1
    return counts


def period_cells(period, counts):
    """Return the cells and lines of a period: three distributions and a linked cross-table."""
    total = (period, "total")
    cells, lines = [Cell(total, counts[("total",)], Kind.TOTAL)], []
    for question, weights in QUESTIONS.items():
        cells += [Cell((period, question, a), counts[(question, a)]) for a in range(len(weights))]
        lines.append(Line(total, tuple((period, question, a) for a in range(len(weights)))))
    rows, cols = range(len(QUESTIONS["q2"])), range(len(QUESTIONS["q3"]))
    cells += [Cell((period, "q2*q3", a, b), counts[("q2*q3", a, b)]) for a in rows for b in cols]
    for a in rows:
        cells.append(Cell((period, "q2*q3", a, "all"), counts[("q2", a)], Kind.MARGIN))
        lines.append(Line((period, "q2*q3", a, "all"), tuple((period, "q2*q3", a, b) for b in cols)))
        lines.append(Line((period, "q2*q3", a, "all"), ((period, "q2", a),)))
    for b in cols:
        cells.append(Cell((period, "q2*q3", "all", b), counts[("q3", b)], Kind.MARGIN))
        lines.append(Line((period, "q2*q3", "all", b), tuple((period, "q2*q3", a, b) for a in rows)))
        lines.append(Line((period, "q2*q3", "all", b), ((period, "q3", b),)))
    lines.append(Line(total, tuple((period, "q2*q3", a, "all") for a in rows)))
    lines.append(Line(total, tuple((period, "q2*q3", "all", b) for b in cols)))
    return cells, lines


class Site:
    """Everything one site has published so far, and the protection of each period."""

    def __init__(self, threshold):
        self.threshold = threshold
        self.cells, self.lines, self.published = [], [], {}
        self.tally = Counter()

    def publish(self, period, counts, children=()):
        cells, lines = period_cells(period, counts)
        for cell in cells:  # a quarter or a year is the sum of its parts
            if children:
                self.lines.append(Line(cell.key, tuple((child,) + cell.key[1:] for child in children)))
        self.cells += cells
        self.lines += lines
        if not period_publishable(counts[("total",)], threshold=self.threshold):
            self.published.update(withhold([c.key for c in cells], total=(period, "total")))
            self.tally["withheld"] += len(cells)
            return
        result = protect(self.cells, self.lines, threshold=self.threshold, published=self.published)
        self.published.update(result.published)
        self.tally["primary"] += len(result.primary)
        self.tally["complementary"] += len(result.complementary)
        self.tally["shown"] += len(result.published) - len(result.hidden)

    def audit(self):
        return audit_of(self.cells, self.lines, self.published, threshold=self.threshold)


def publish_site(sizes, rnd, *, threshold=T):
    """Publish every complete month, quarter and year of a site in order."""
    site = Site(threshold)
    months = []
    for n, size in enumerate(sizes):
        checkins = [tuple(rnd.choices(range(len(w)), w)[0] for w in QUESTIONS.values()) for _ in range(size)]
        months.append(checkins)
        year, month = divmod(n, 12)
        site.publish(f"{year}-{month + 1:02}", period_counts(checkins))
        if month % 3 == 2:
            quarter = f"{year}-Q{month // 3 + 1}"
            children = [f"{year}-{m:02}" for m in range(month - 1, month + 2)]
            site.publish(quarter, period_counts([c for m in months[-3:] for c in m]), children)
        if month == 11:
            site.publish(f"{year}", period_counts([c for m in months[-12:] for c in m]), [f"{year}-Q{q}" for q in range(1, 5)])
    return site


# Months of 1-30 check-ins, with the edge sizes 0, 1, 2, 10, 11 and 12 common.
month_size = st.one_of(st.integers(1, 30), st.sampled_from([0, 1, 2, 10, 11, 12]))
community = st.integers(1, 24).flatmap(lambda n: st.lists(month_size, min_size=n, max_size=n))


def test_random_sites_pass_the_independent_audit():
    tally = Counter()

    @settings(max_examples=30, deadline=None)
    @given(sizes=community, rnd=st.randoms(use_true_random=False))
    def check(sizes, rnd):
        site = publish_site(sizes, rnd)
        assert site.audit() == []
        print(f"{len(sizes)} months: {dict(site.tally)}")
        tally.update(site.tally)
        tally["sites"] += 1

    check()
    print(f"summary over {tally.pop('sites')} sites: {dict(tally)}")


def test_raising_the_threshold_hides_more():
    sizes = [12, 25, 18, 30, 22, 14, 27, 19, 30, 16, 23, 28]
    at_11 = publish_site(sizes, random.Random(7), threshold=11)
    at_20 = publish_site(sizes, random.Random(7), threshold=20)
    hidden = lambda site: sum(v is not None and not isinstance(v, int) for v in site.published.values())  # noqa: E731
    assert hidden(at_20) > hidden(at_11)
    assert at_20.audit() == []


BIG_QUESTIONS = {f"q{n}": 4 + n % 5 for n in range(36)}  # 4 to 8 answers each
BIG_CROSS_TABS = (("q0", "q5"), ("q10", "q15"), ("q20", "q25"))  # 4 x 4 each


def big_period(period, people):
    """Return the cells and lines of a realistic period: 36 questions and 3 cross-tables."""
    total = (period, "total")
    cells, lines = [Cell(total, len(people), Kind.TOTAL)], []
    for q, k in BIG_QUESTIONS.items():
        answered = Counter(p[q] for p in people)
        cells += [Cell((period, q, a), answered[a]) for a in range(k)]
        lines.append(Line(total, tuple((period, q, a) for a in range(k))))
    for rows, cols in BIG_CROSS_TABS:
        name = (period, rows, cols)
        counts = [[sum(p[rows] == r and p[cols] == c for p in people) for c in range(4)] for r in range(4)]
        c, l = table(name, counts)
        cells += c
        lines += l + [Line((name, "all", "all"), (total,))]
        lines += [Line((name, a, "all"), ((period, rows, a),)) for a in range(4)]
        lines += [Line((name, "all", a), ((period, cols, a),)) for a in range(4)]
    return cells, lines


def in_period(key, period):
    """Return the key of the same cell in another period."""
    if isinstance(key[0], tuple):  # a cross-table cell: ((period, rows, cols), r, c)
        return (in_period(key[0], period),) + key[1:]
    return (period,) + key[1:]


def test_realistic_periods_are_protected_fast():
    rnd = random.Random(3)
    site = Site(T)
    months, elapsed = [], []
    for period in ("m1", "m2", "m3", "q"):
        if period == "q":
            people = [p for m in months for p in m]
        else:
            people = [{q: min(int(rnd.expovariate(0.7)), k - 1) for q, k in BIG_QUESTIONS.items()} for _ in range(rnd.randint(60, 150))]
            months.append(people)
        cells, lines = big_period(period, people)
        if period == "q":
            lines += [Line(c.key, tuple(in_period(c.key, m) for m in ("m1", "m2", "m3"))) for c in cells]
        site.cells += cells
        site.lines += lines
        start = time.perf_counter()
        result = protect(site.cells, site.lines, published=site.published)
        elapsed.append(time.perf_counter() - start)
        site.published.update(result.published)
        print(f"{period}: {len(cells)} cells, {len(people)} check-ins, {len(result.primary)} primary, "
              f"{len(result.complementary)} complementary, {elapsed[-1]:.2f}s")
    assert site.audit() == []
    assert max(elapsed) < 2
