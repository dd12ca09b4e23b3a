"""Months withheld whole in a quarter are merged into one set of variables for the
programs (``disclosure.system.merge``): the merged system must give the same
verdicts as the full one, for any choice of hidden cells."""

import datetime
import random

import pytest

from stats import knowledge, periods, publishing, selectors
from stats.counts import Counts
from stats.disclosure import audit, lp, suppress
from stats.disclosure.system import NEW, merge

from .test_aggregates import rollups_for, site  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 15)
T = 11


def system_for(site, label, *, new):
    """Return the system ``_publish`` builds for a period (or, without ``new``, the audit of it)."""
    period = periods.parse(label)
    pubs = {p.period: p for p in selectors.publications(site_key=site.pk, threshold=T) if not (new and p.period == label)}
    counts = Counts(site.pk, period.end)
    means = {name: pub.data.get("means", {}) for name, pub in pubs.items()}
    if new:
        means[label] = publishing._means(counts, period, T)
    return knowledge.build(period, counts=counts.of, published=publishing._frozen(pubs.values()), means=means,
                           threshold=T, new=new)


def full_verdict(system, hidden):
    lp.forget(system)  # (witnesses found for more hidden cells do not hold for fewer)
    return {f.what for f in audit.failures(system, hidden)}


def merged_verdict(system, hidden):
    """The verdict through the merged system, each merged variable's name spelled as its
    copies': the checks of a copy and of its merged variable are the same check."""
    lp.forget(system)
    small = merge(system)
    found = {f.what for f in audit.failures(small, {small.index[system.keys[i]] for i in hidden})}
    found |= {f.what for f in audit.copies_pinned(system, hidden)}
    return found


def spelled_merged(system, verdict):
    out = set()
    for what in verdict:
        for i, merged in system.copies.items():
            what = what.replace(repr(system.keys[i]), repr(merged))
        out.add(what)
    return out


# Months of fewer than 11 check-ins (withheld), a quarter of 11 or more; a month
# of 0 is published as zeros and stays apart from the merged ones.
@pytest.mark.parametrize("sizes,seed", [((5, 7, 3), 1), ((2, 9, 10), 2), ((0, 4, 8), 3), ((10, 10, 10), 4)])
def test_merged_months_give_the_full_systems_verdicts(site, sizes, seed):
    rollups_for(site, dict(zip((4, 5, 6), sizes)), seed)
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-06"), today=TODAY, threshold=T)
    system = system_for(site, "2026-Q2", new=True)
    small = merge(system)
    withheld = [n for n in sizes if 0 < n < T]
    assert small is not None and len(small.keys) < len(system.keys)
    assert len(set(system.copies.values())) * len(withheld) == len(system.copies)

    new = [i for i, s in enumerate(system.status) if s == NEW]
    primary = {i for i in new if 0 < system.value[i] < T}
    rng = random.Random(seed)
    chosen = suppress._suppress(system).hidden
    choices = [set(), primary, set(new), {system.index[k] for k in chosen}]
    choices += [primary | {i for i in new if rng.random() < share} for share in (0.2, 0.5, 0.8)]
    failing = 0
    for hidden in choices:
        full = full_verdict(system, hidden)
        assert spelled_merged(system, full) == spelled_merged(system, merged_verdict(system, hidden))
        failing += bool(full)
    assert failing  # some choices fail, so the comparison means something

    # What the suppressor picks through the merged system passes the full audit.
    lp.forget(system)
    outcome = suppress.suppress(system)
    assert outcome.failures == ()
    assert full_verdict(system, {system.index[k] for k in outcome.hidden}) == set()

    # Published, the quarter passes the audit of everything out, merged or not.
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-Q2"), today=TODAY, threshold=T)
    system = system_for(site, "2026-Q2", new=False)
    assert merge(system) is not None
    assert full_verdict(system, set()) == set() == merged_verdict(system, set())
    assert not any(publishing.audit_published(site_key=site.pk, threshold=T).values())


def test_a_relation_that_ties_one_copy_to_the_rest_keeps_the_full_system(site):
    rollups_for(site, {4: 5, 5: 7, 6: 3}, 1)
    publishing.publish_until(site_key=site.pk, period=periods.parse("2026-06"), today=TODAY, threshold=T)
    system = system_for(site, "2026-Q2", new=True)
    april = system.index[("2026-04", "total", "all")]
    assert april in system.copies
    quarter = system.index[("2026-Q2", "total", "all")]
    system.at_most({system.keys[april]: 1, system.keys[quarter]: -1})  # one month only: not the same in each
    assert merge(system) is None


def two_withheld_months(*, merged=True):
    """Two months withheld whole (3 and 2 check-ins, 1 and 0 of them "a") under a quarter
    whose "a" cell was published before as 1: that line gives a small number away."""
    from stats.disclosure.system import SHOWN, WITHHELD, System

    system = System(T)
    for month, (total, a) in {"m1": (3, 1), "m2": (2, 0)}.items():
        system.add((month, "total"), total, WITHHELD, cap=T - 1)
        system.add((month, "a"), a, WITHHELD)
        system.add((month, "b"), total - a, WITHHELD)
    system.add(("q", "total"), 5, NEW, cost=6000)
    system.add(("q", "a"), 1, SHOWN)
    system.add(("q", "b"), 4, NEW, cost=10)
    for p in ("m1", "m2", "q"):
        system.line((p, "total"), [(p, "a"), (p, "b")])
    for cell in ("total", "a", "b"):
        system.line(("q", cell), [("m1", cell), ("m2", cell)])
    if merged:
        system.copies = {system.index[(m, cell)]: ("m1+m2", cell) for m in ("m1", "m2") for cell in ("total", "a", "b")}
    return system


def test_what_no_hiding_can_protect_fails_merged_as_in_full():
    small = merge(two_withheld_months())
    assert small is not None and len(small.keys) == len(two_withheld_months().keys) - 3
    outcome = suppress.suppress(two_withheld_months())
    assert outcome.unfixable and outcome.failures
    assert suppress.suppress(two_withheld_months(merged=False)).failures
    assert suppress.fixed(two_withheld_months()) == suppress.fixed(two_withheld_months(merged=False))
