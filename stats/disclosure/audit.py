"""The suppressor's own audit: the protection rule, proven with linear programs.

For a choice of hidden new cells it checks every unknown published cell (hidden
now, hidden or withheld before) and the hidden part of every line:

* a hidden count from 1 to T-1 can reach T ("could be 0" is not enough: "0 to
  10" still tells that the count is small);
* every unknown cell can move by at least 1 (it is not pinned down);
* the hidden part of a line (the sum of its unknown cells) is 0 or T or more
  when its total is shown, and otherwise can reach T when it is from 1 to T-1;
* a cell nobody sees (``System.guarded``: a month's finer cells, tied to its
  quarter, its total and its means) that counts 1 to T-1 can reach T as well.
  (A 0 or a count of T or more there may be pinned: either could be shown, and
  many are copies of shown numbers, such as a month's "no" when its "cannot
  tell" cells are 0 and its "rest" is shown.)

What a withheld period gives away ("fewer than T check-ins", so every cell in
it is small) was given away by the whole-period rule, not by the tables: the
"can reach T" checks of withheld cells leave that cap out; the "not pinned"
checks keep it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import lp
from .system import HIDDEN, NEW, WITHHELD, System


@dataclass(frozen=True)
class Failure:
    what: str  # for whoever debugs the suppressor: it names true counts
    options: tuple[tuple[lp.Target, bool], ...]  # ways to repair it, in order: (target, with caps)
    about: object = None  # the cell (or line total) it concerns

    @property
    def public(self) -> str:
        """Return the failure in words that name the cell only, not its count or how
        small it is: what a publication stores and an operator may forward."""
        return f"{self.about!r} could be worked out or shown to be small"


def unknown(system: System, hidden: set[int]) -> set[int]:
    return {
        i for i, s in enumerate(system.status)
        if s in (HIDDEN, WITHHELD) or (s == NEW and i in hidden)
    }


def failures(system: System, hidden: set[int], *, exact: bool = True) -> list[Failure]:
    """Return every way the published numbers would give a count away (empty: none).

    Without ``exact``, only quick programs run, and a check they do not settle
    is returned as a failure too (for the suppressor, which then confirms it).
    """
    t = system.threshold
    value = system.value
    secret = unknown(system, hidden)
    out: list[Failure] = []

    # Checks as (description, functional, true value, withheld involved).
    small, lines = [], []
    for i in sorted(secret):
        # (a merged variable, the sum of its copies, stands for them: a small copy can reach T
        # exactly when the sum can, by taking it all; a sum of T or more already does)
        if 0 < value[i] < t:
            small.append((f"{system.keys[i]!r} (a count from 1 to {t - 1})", {i: 1.0}, value[i],
                          system.status[i] == WITHHELD, system.keys[i]))
    for i in sorted(system.guarded):
        # A cell nobody sees (a month's finer cell) is bounded through its quarter and
        # its means all the same: a small one must be able to reach T too.
        if 0 < value[i] < t:
            small.append((f"{system.keys[i]!r} (never published, a count from 1 to {t - 1})", {i: 1.0}, value[i],
                          False, system.keys[i]))
    for total, parts in system.lines:
        inside = [p for p in parts if p in secret]
        if not inside:
            continue
        rest = sum(value[p] for p in inside)
        withheld = any(system.status[p] == WITHHELD for p in inside)
        if system.status[total] == WITHHELD and all(system.status[p] == WITHHELD for p in inside):
            continue  # inside a withheld period: small by the whole-period rule
        if not 0 < rest < t:
            continue
        shown_parts = [p for p in parts if p not in secret]
        if total not in secret:
            f = {total: 1.0}
            for p in shown_parts:
                f[p] = f.get(p, 0) - 1.0
            out.append(Failure(
                f"the line of {system.keys[total]!r} leaves {rest} for its hidden cells",
                (((f, float(t)), not withheld),), ("line of", system.keys[total]),
            ))
            continue
        f = {}
        for p in inside:
            f[p] = f.get(p, 0) + 1.0
        lines.append((f"the hidden part of the line of {system.keys[total]!r} (true {rest})", f, rest, withheld,
                      ("line of", system.keys[total])))

    checks = small + lines
    # Can it reach T? (withheld cells: without the whole-period caps)
    for caps in (True, False):
        group = [c for c in checks if c[3] != caps]
        if not group:
            continue
        reached = lp.reachable(system, hidden, [(f, float(t)) for _, f, _, _, _ in group], caps=caps, exact=exact)
        for (what, f, _, _, about), ok in zip(group, reached):
            if not ok:
                out.append(Failure(f"{what} is provably at most {t - 1}", (((f, float(t)), caps),), about))
    # Not pinned: every unknown cell can move by 1 (small ones that reach T do).
    # (failed small ones are reported above already; a merged variable is not a
    # cell: its copies are checked in the full system, ``copies_pinned``. Only a
    # sum of 0 is checked here, to hide early what that check would need: a sum
    # that cannot reach 1 pins each of its copies at 0.)
    loose = {next(iter(f)) for _, f, _, _, _ in small} | system.loose \
        | {i for i in system.merged if value[i] != 0}
    out += pinned(system, hidden, [i for i in sorted(secret) if i not in loose], exact=exact)
    return out


def pinned(system: System, hidden: set[int], cells, *, exact: bool = True) -> list[Failure]:
    """Return a failure for each of the unknown ``cells`` that cannot move by 1 either way."""
    value = system.value
    out: list[Failure] = []
    rest = list(cells)
    if rest:
        up = lp.reachable(system, hidden, [({i: 1.0}, value[i] + 1.0) for i in rest], caps=True, exact=exact)
        down_candidates = [i for i, ok in zip(rest, up) if not ok]
        down = lp.reachable(system, hidden, [({i: -1.0}, -(value[i] - 1.0)) for i in down_candidates], caps=True,
                            exact=exact) \
            if down_candidates else []
        for i, ok in zip(down_candidates, down):
            if not ok:
                out.append(Failure(
                    f"{system.keys[i]!r} is pinned down (true {value[i]})",
                    ((({i: 1.0}, value[i] + 1.0), True), (({i: -1.0}, -(value[i] - 1.0)), True)),
                    system.keys[i],
                ))
    return out


def copies_pinned(system: System, hidden: set[int]) -> list[Failure]:
    """Return the checks a merged system (``system.merge``) leaves to the full one: an
    unknown copy must not be pinned. (A small copy reaches T, which the merged
    system checks, as ``failures`` takes it.)"""
    t = system.threshold
    cells = [i for i in sorted(unknown(system, hidden) & set(system.copies)) if not 0 < system.value[i] < t]
    return pinned(system, hidden, cells)
