"""Primary and cost-weighted complementary suppression.

Primary: every new count from 1 to T-1 is hidden. Complementary, as tau-ARGUS
and sdcTable do it: for each count the audit finds unprotected, one linear
program finds the cheapest set of new cells whose hiding lets it move far
enough (each cell costs its weight times its count plus one: headline cells and
margins are dear, small interior cells cheap), and those are hidden together.
Then the audit runs again, until it passes. Hiding more only ever widens what an
attacker must allow, so a count once protected stays protected.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import audit, lp
from .system import HIDDEN, NEW, WITHHELD, System, merge

_ROUNDS = 12


@dataclass(frozen=True)
class Outcome:
    hidden: frozenset  # keys of the new cells to hide
    primary: frozenset
    complementary: frozenset
    failures: tuple[str, ...]  # the audit's verdict on the result: empty means it holds
    unfixable: bool = False  # the failures stay even with every new cell hidden


def suppress(system: System, planned: frozenset = frozenset()) -> Outcome:
    """Choose the new cells to hide; return them with the audit's verdict.

    ``planned``: keys of new cells to hide from the start, whatever their counts
    (so that a later period can show its sum; see ``publishing._planned``).

    When the system's copies merge (``system.merge``: months withheld whole in a
    quarter), the cells are chosen on the smaller merged system, which allows the
    same values of every other variable; then the copies themselves are checked
    not to be pinned in the full one. If that or anything else fails, the full
    system decides, as if there were no merged one.
    """
    small = merge(system)
    if small is not None:
        outcome = _suppress(small, planned)
        if outcome.unfixable:
            # Even with every new cell hidden, some check fails in the merged system,
            # so it fails in the full one too (it allows the same values): the same verdict.
            return outcome
        if not outcome.failures:
            if not audit.copies_pinned(system, {system.index[key] for key in outcome.hidden}):
                return outcome
            lp.forget(system)  # (what that check found holds for its hidden cells, not fewer)
    return _suppress(system, planned)


def _suppress(system: System, planned: frozenset = frozenset()) -> Outcome:
    t = system.threshold
    new = [i for i, s in enumerate(system.status) if s == NEW]
    primary = {i for i in new if 0 < system.value[i] < t}
    hidden = set(primary) | _forced(system) | {system.index[k] for k in planned if system.status[system.index[k]] == NEW}
    # Each primary cell first: one program finds what protects it (nothing more
    # when the cells hidden so far already do), then the audit finds the rest.
    order = sorted(primary, key=lambda i: -system.value[i])
    protected = lp.reachable(system, hidden, [({i: 1.0}, float(t)) for i in order], caps=True, exact=False)
    first = [
        audit.Failure(str(system.keys[i]), ((({i: 1.0}, float(t)), True),))
        for i, ok in zip(order, protected) if not ok
    ]
    found, audited, unresolved = first, False, []
    for _ in range(_ROUNDS):
        grew, unresolved = _repair(system, hidden, found)
        if unresolved:
            found = unresolved  # no choice of new cells protects these
            break
        if audited and not grew:
            # Every doubt of the last audit is proven by a program that moved hidden
            # cells only: with what is hidden, everything holds.
            found = []
            break
        found = audit.failures(system, hidden, exact=False)
        audited = True
        if not found:
            break
    else:
        found = audit.failures(system, hidden)  # the quick rounds ran out: the exact audit decides
    verdict = tuple(f.what for f in found)
    key = system.keys
    return Outcome(
        hidden=frozenset(key[i] for i in hidden),
        primary=frozenset(key[i] for i in primary),
        complementary=frozenset(key[i] for i in hidden - primary),
        failures=verdict,
        unfixable=bool(unresolved),
    )


def _admit(points: dict, x, caps: bool) -> None:
    """Keep values the hidden cells allow: found with caps, they hold without them too."""
    points[False].add(x)
    if caps:
        points[True].add(x)


def _forced(system: System) -> set[int]:
    """Return the new cells that must be hidden whatever else is: the total of a line
    whose parts were all published before, with one unknown part, or unknown parts
    that sum to 1 to T-1 (shown, it would pin that part or give the sum away; no
    other choice can change that)."""
    out = set()
    for total, parts in system.lines:
        if system.status[total] != NEW or any(system.status[p] == NEW for p in parts):
            continue
        secret = [p for p in parts if system.status[p] in (HIDDEN, WITHHELD)]
        rest = sum(system.value[p] for p in secret)
        cells = sum(len(system.merged.get(p, (p,))) for p in secret)  # a merged part stands for its copies
        if (cells == 1 or 0 < rest < system.threshold) and system.cost[total] is not None:
            out.add(total)
    return out


def _repair(system: System, hidden: set[int], found: list) -> tuple[bool, list]:
    """Make each failure good by hiding the cheapest new cells; return (whether more
    is hidden, the failures no choice of cells can make good).

    A program whose cheapest answer moves hidden cells only proves the check holds
    already (hiding more later keeps it so): such a doubt costs one program, no cell.
    """
    grew, unresolved = False, []
    points = {caps: lp.known(system, hidden, caps) for caps in (True, False)}  # admissible values found so far
    for failure in found:
        if any(points[caps].reach(*target) for target, caps in failure.options):
            continue  # values found for an earlier failure already prove it
        best = None
        for target, caps in failure.options:
            answer = lp.cheapest(system, hidden, target, caps=caps)
            if answer is None:
                continue
            extra = answer.cells - hidden
            if not extra:
                best = set()
                _admit(points, answer.point, caps)
                break
            price = sum(system.cost[i] for i in extra)
            if best is None or price < best[0]:
                best = (price, extra, answer.point, caps)
        if best is None:
            unresolved.append(failure)
        elif best:
            hidden |= best[1]
            grew = True
            _admit(points, best[2], best[3])
    return grew, unresolved


def fixed(system: System) -> frozenset:
    """Return the keys of the new cells that the numbers published before already fix.

    With every new cell hidden, a cell that cannot move by 1 either way is a sum
    of published numbers: printing it tells nothing new. (Used when a period is
    withheld whole: its other cells stay hidden, and its fixed ones are known anyway.)
    """
    system = merge(system) or system  # (the new cells move as far in the merged system)
    new = [i for i, s in enumerate(system.status) if s == NEW]
    hidden = set(new)
    value = system.value
    up = lp.reachable(system, hidden, [({i: 1.0}, value[i] + 1.0) for i in new], caps=True)
    stuck = [i for i, ok in zip(new, up) if not ok]
    down = lp.reachable(system, hidden, [({i: -1.0}, -(value[i] - 1.0)) for i in stuck], caps=True) if stuck else []
    return frozenset(system.keys[i] for i, ok in zip(stuck, down) if not ok)
