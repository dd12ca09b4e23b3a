"""Disclosure control for staff aggregates: decide which counts may be shown.

Pure on plain data (numpy and scipy's HiGHS, nothing else of ours), so a unit
test can call it without a database. The caller describes what an attacker
knows as a ``System`` of linear relations (``system``); ``suppress`` chooses
the cells to hide, cheapest first; ``audit`` proves, with linear programs, that
nothing hidden can be worked out. Each idea has its own module:

* ``system``: variables (published cells, unknown class counts, sums behind
  means), their true values, what is already published, and the relations.
* ``lp``: the linear programs: how far a sum of unknowns can move.
* ``audit``: the protection rule, checked for every hidden cell and line.
* ``suppress``: primary and cost-weighted complementary suppression.

The protection rule (for the threshold T, 11 or more)
------------------------------------------------------
For every hidden cell and for the hidden part of every line (the sum of its
hidden cells), an attacker who knows every published number and every relation
can neither pin it down nor prove it lies between 1 and T-1: its largest
possible value is T or more (and it is not pinned). "It could be 0" does not
protect it: "0 to 10" still tells that it is small.

When no choice of hidden cells makes a period pass (a family such as months of
0, 10 and 11 check-ins, where the withheld month is nearly half the quarter), the
period is withheld as a whole (``LINKED``): it
publishes no new number, so everything that held before still holds.
"""

from __future__ import annotations

import enum

MIN_THRESHOLD = 11  # the CMS cell-size rule; a setting may raise it, never lower it
HIDDEN_LABEL = "hidden to protect small numbers"
LINKED_LABEL = "withheld so that small numbers in linked periods stay hidden"


class Mark(enum.Enum):
    """What was published instead of a count."""

    HIDDEN = "hidden"  # shown as HIDDEN_LABEL
    WITHHELD = "withheld"  # in a period withheld by the whole-period rule
    FEWER = "fewer"  # a withheld period's total: "fewer than T check-ins"
    LINKED = "linked"  # the total of a period withheld whole to protect linked periods (no cap)


HIDDEN = Mark.HIDDEN
WITHHELD = Mark.WITHHELD
FEWER_THAN_THRESHOLD = Mark.FEWER
LINKED = Mark.LINKED


def check_threshold(threshold: int) -> int:
    """Return the threshold, or raise ValueError if it is below the CMS rule."""
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ValueError(f"The threshold must be a whole number, not {threshold!r}.")
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"The threshold is {threshold}; it may never be below {MIN_THRESHOLD}.")
    return threshold


def period_publishable(total: int, *, threshold: int = MIN_THRESHOLD) -> bool:
    """Return whether a period with ``total`` check-ins may show any table."""
    return total >= check_threshold(threshold)


def mean_allowed(group: int, *, threshold: int = MIN_THRESHOLD) -> bool:
    """Return whether a mean over ``group`` check-ins may be published.

    The group must hold at least T check-ins. What the rounded mean tells about
    the counts (it bounds the sum behind it) is a relation the audit checks.
    """
    return group >= check_threshold(threshold)
