"""What an attacker knows about one family of linked periods, as a ``System``.

A family is the period about to be published with every period it is a sum
of (a quarter with its months, a year or a rolling window of four quarters with
its quarters and their months) and every published period linked to one of them
through a shared month, again and again (``family``). Before rolling windows
that was a tree: a year with its quarters and months. A window crosses years, so
the family of a window, and of a year published after windows that reach into
it, is every published period its chain of windows reaches: in practice the
site's whole history so far. Months and quarters keep their tree (no window
holding them is published before them). Periods outside the family share no
relation with it. The quarters of a window from before the site's first year
(never published: no check-ins) count as known zeros. The attacker knows:

* every published number of the family (shown counts, which cells are hidden
  or withheld, "fewer than T" for a withheld period's total, the means); a
  period withheld whole to protect linked periods tells nothing of its size;
* the sums the tables print, inside each period (``catalogue.relations``) and
  across periods (``catalogue.links``);
* every relation our public logic implies (``relations``): per month, one
  unknown count per class of each linked group of answers, every published
  cell of the group the sum of its classes, and the sums behind the means
  between the classes' smallest and largest contributions; the plain sums
  among published cells that follow (``relations.identities``);
* a published mean m (to one decimal) over n check-ins: the sum behind it lies
  between (m - 0.05) n and (m + 0.05) n, n being the total less the cell of
  check-ins without a score; and, by the rule that shows a mean, n >= T.

A period's cells that nobody sees (a month's finer cells) are unknowns of the
system too, tied to its quarter, its total and its means; they are ``guarded``:
a count of 1 to T-1 among them must not be proven small either.

Pure: no database; counts and earlier publications are passed in.
"""

from __future__ import annotations

from collections.abc import Callable

from . import catalogue, periods, relations
from .catalogue import HEADLINE, HEADLINE_CELLS, INTERIOR, MARGIN, MEANS, NO_ANSWER, TOTAL, Key
from .disclosure import Mark
from .disclosure.system import HIDDEN, LATENT, NEW, SHOWN, WITHHELD, System

_UNSEEN = object()  # a cell no publication has shown or marked
WEIGHTS = {TOTAL: 1000, HEADLINE: 40, MARGIN: 4, INTERIOR: 2}
CROSS_WEIGHT = 1  # the inside of a cross-tab: the first to go


def family(period: periods.Period, history=()) -> list[periods.Period]:
    """Return the period and every period it is a sum of, the period first; with
    ``history`` (the periods published before it), also every one of them linked
    to a member through a shared month, with the periods each is a sum of, until
    no more are."""
    out = _tree(period)
    members = set(out)
    rest = [p for p in history if p not in members]
    while rest:
        linked = [p for p in rest if any(periods.overlap(p, m) for m in members)]
        if not linked:
            break
        for p in linked:
            out += [q for q in _tree(p) if q not in members]
            members.update(_tree(p))
        rest = [p for p in rest if p not in members]
    return out


def _tree(period: periods.Period) -> list[periods.Period]:
    out = [period]
    for part in periods.parts(period):
        out += _tree(part)
    return out


def cost(key: Key, kind: str, count: int) -> float | None:
    weight = CROSS_WEIGHT if "*" in key[1] else WEIGHTS[kind]
    return None if weight is None else weight * (count + 1)


def build(
    period: periods.Period,
    *,
    counts: Callable[[periods.Period], dict[Key, int]],
    published: dict[Key, object],
    means: dict[str, dict[str, float | None]],
    threshold: int,
    new: bool = True,
    within: periods.Period | None = None,
    fmt: int = catalogue.FORMAT,
    history=(),
) -> System:
    """Return the system of one family, ``period``'s own cells new, the others as published.

    ``means`` maps each period label of the family to its published means (the
    new period's too: the means it would publish) by name, None where hidden.
    Without ``new``, ``period`` is published already too (to audit what is out).

    ``published`` holds every number out, from every version of every period,
    whatever format it was made in (``publishing._frozen`` merges them): a cell
    of a published period that is not in it (a category its format did not have,
    a month's finer cell) is an unknown like any unpublished cell. A new
    period's cells are those of the present format; where an earlier version
    of the same period showed a count, it is a known fact (``within``: the
    family of that published period, when ``period`` is published again;
    ``fmt``: another format, to reproduce an older deployment in tests).
    ``history``: the periods published so far, for the family (``family``).
    """
    system = System(threshold)
    members = family(within or period, history)
    unpublished: set[Key] = set()
    plain = _plain()

    def skipped(key: Key) -> bool:
        # A month's cell of a plain question it does not publish: leaving out the
        # cell and its sums loses nothing (any quarter counts that add up to the
        # quarter's total split into months that add up to theirs).
        return key[1] in plain and periods.parse(key[0]).kind == periods.MONTH

    def line(total, parts):
        if skipped(total) or any(skipped(p) for p in parts):
            return
        # A sum with a cell nobody sees is a relation, but not a line whose hidden part is checked.
        if unpublished.intersection((total, *parts)):
            coefs = {total: -1}
            for p in parts:
                coefs[p] = coefs.get(p, 0) + 1
            system.equal(coefs)
        else:
            system.line(total, parts)

    for member in members:
        cat = catalogue.build(member)
        true = counts(member)
        # The cells the new period's format publishes, not chosen yet:
        fresh = catalogue.build(period, fmt).published if member == period and new else frozenset()
        # A period before the site's first publication (a window's earlier quarters):
        # no check-ins, and everyone can tell, so its published cells are known as 0.
        before = not (member == period and new) and catalogue.total_key(member) not in published
        if before and any(true.values()):
            raise ValueError(f"{member} has check-ins but was never published.")
        for key, kind in cat.cells.items():
            if skipped(key):
                continue
            if before:
                mark = 0 if key in cat.published else _UNSEEN
            else:
                mark = published.get(key, _UNSEEN)
            if key in fresh and not isinstance(mark, int):
                price = cost(key, kind, true[key])
                if member.kind == periods.WINDOW and _shown_by_quarter(member, key, published):
                    price = CROSS_WEIGHT * (true[key] + 1)  # staff have the quarter's own: the first to go
                system.add(key, true[key], NEW, cost=price)
                continue
            if mark is _UNSEEN:
                i = system.add(key, true[key], LATENT)
                unpublished.add(key)
                if _guarded(member, period, new, published):
                    system.guarded.add(i)
                continue
            if mark is Mark.HIDDEN:
                system.add(key, true[key], HIDDEN)
            elif mark in (Mark.WITHHELD, Mark.FEWER, Mark.LINKED):
                system.add(key, true[key], WITHHELD, cap=threshold - 1 if mark is Mark.FEWER else None)
            else:
                if mark != true[key]:
                    raise ValueError(f"Cell {key!r} was published as {mark!r} but counts {true[key]}.")
                system.add(key, true[key], SHOWN)
        for total, parts in cat.relations:
            line(total, parts)
        if member.kind == periods.WINDOW:
            continue  # (its few cells are sums of its quarters', which carry the rest)
        for cell, parts in relations.identities():
            line((member.label, *cell), tuple((member.label, *p) for p in parts))
        for name in relations.SUMS:
            system.add(("sum", member.label, name), None, LATENT)
    for member in members:
        for total, parts in catalogue.build(member).links:
            line(total, parts)
        if periods.parts(member) and member.kind != periods.WINDOW:
            for name in relations.SUMS:
                coefs = {("sum", member.label, name): -1}
                coefs.update({("sum", p.label, name): 1 for p in periods.parts(member)})
                system.equal(coefs)
        quarterly = _quarterly()
        if member.kind == periods.MONTH:
            _classes(system, member, [g for g in range(len(relations.groups())) if g not in quarterly])
        elif member.kind == periods.QUARTER:
            _classes(system, member, sorted(quarterly))
        for name, mean in means.get(member.label, {}).items():
            if mean is not None:
                _mean(system, member, name, mean)
    _mark_copies(system, period, members, published, new)
    return system


def unneeded(window: periods.Period, published: dict[Key, object]) -> frozenset:
    """Return a window's published cells of the headline shares its last quarter shows."""
    return frozenset(key for key in catalogue.build(window).published
                     if key[1] != "total" and _shown_by_quarter(window, key, published))


def _shown_by_quarter(window: periods.Period, key: Key, published: dict[Key, object]) -> bool:
    """Return True if the window's cell belongs to a headline share its last quarter shows."""
    quarter = periods.last_quarter(window).label
    return any(key[1] == cell[0] and all(isinstance(published.get((quarter, *c)), int) for c in cells)
               for cells in HEADLINE_CELLS.values() for cell in cells)


def _mark_copies(system: System, period: periods.Period, members, published, new: bool) -> None:
    """Mark, in each quarter, the months withheld for fewer than T check-ins as copies to merge.

    Nothing of such a month is published but "fewer than T", the same relations
    hold inside each, and the quarter adds them up: ``disclosure.system.merge``
    may take them as one (their sum), which makes the programs far smaller.
    """
    for quarter in members:
        if quarter.kind != periods.QUARTER:
            continue
        withheld = [m for m in periods.parts(quarter) if m in members and not (new and m == period)
                    and published.get(catalogue.total_key(m)) is Mark.FEWER]
        if len(withheld) < 2:
            continue
        labels = {m.label for m in withheld}
        merged = "+".join(sorted(labels))
        for i, key in enumerate(system.keys):
            if key[0] in labels:
                system.copies[i] = (merged, *key[1:])
            elif key[0] in ("class", "sum") and key[1] in labels:
                system.copies[i] = (key[0], merged, *key[2:])


def _quarterly() -> set[int]:
    """Return the groups whose classes may be counted per quarter instead of per month.

    A group none of whose cells a month publishes, and behind no mean: whatever
    quarter counts of its classes add up to the quarter's total split into months
    whose counts add up to theirs (in proportion), so per quarter is exact.
    """
    months = set(catalogue.MONTH_DIMENSIONS)
    return {
        g for g, group in enumerate(relations.groups())
        if not months.intersection(group.dimensions) and not set(relations.SUMS).intersection(group.dimensions)
    }


def _plain() -> set[str]:
    """Return the dimensions whose month cells no relation needs (a month does not publish them)."""
    quarterly = _quarterly()
    grouped = {d for g, group in enumerate(relations.groups()) if g not in quarterly for d in group.dimensions}
    crossed = {d for pair in catalogue.cross_tabs() for d in pair}
    return set(catalogue.DIMENSIONS) - grouped - crossed - set(catalogue.MONTH_DIMENSIONS)


def _classes(system: System, period: periods.Period, chosen: list[int]) -> None:
    """Add one period's unknown class counts of the chosen groups and the relations they carry."""
    p = period.label
    total = catalogue.total_key(period)
    for g, group in enumerate(relations.groups()):
        if g not in chosen:
            continue
        names = []
        for c, (cells, _) in enumerate(group.classes):
            system.add(("class", p, g, c), None, LATENT)
            names.append(("class", p, g, c))
        members: dict[tuple[str, str], list] = {}
        for (cells, _), name in zip(group.classes, names):
            for cell in cells:
                members.setdefault(cell, []).append(name)
        for d in group.dimensions:
            dim = catalogue.DIMENSIONS.get(d)
            if dim is None:
                continue
            for value, _ in dim.values:
                coefs = {(p, d, value): -1}
                coefs.update({name: 1 for name in members.get((d, value), ())})
                system.equal(coefs)
        coefs = {total: -1}
        coefs.update({name: 1 for name in names})
        system.equal(coefs)
        for s in relations.SUMS:
            if s not in group.dimensions:
                continue
            low = {("sum", p, s): -1}
            high = {("sum", p, s): 1}
            for (_, sums), name in zip(group.classes, names):
                lo, hi = next((lo, hi) for d, lo, hi in sums if d == s)
                if lo:
                    low[name] = lo
                if hi:
                    high[name] = -hi
            system.at_most(low)  # sum >= the smallest contributions
            system.at_most(high)  # sum <= the largest contributions


def _guarded(member: periods.Period, period: periods.Period, new: bool, published: dict) -> bool:
    """Return whether a period's cells nobody sees must not be proven small: unless the
    period was withheld for fewer than T check-ins (then every count in it is small)."""
    if member == period and new:
        return True
    return published.get(catalogue.total_key(member)) is not Mark.FEWER


THRESHOLD = ("threshold",)  # a constant: the relations are homogeneous


def _mean(system: System, member: periods.Period, name: str, mean: float) -> None:
    """Add what a published mean tells.

    Its value: (m - 0.05) n <= sum / scale <= (m + 0.05) n. And the rule that
    shows it (``disclosure.mean_allowed``): its group n is T or more, so the
    check-ins without a score are at most the total less T.
    """
    sum_name, scale, band = MEANS[name]
    p = member.label
    total, none = catalogue.total_key(member), (p, band, NO_ANSWER)
    s = ("sum", p, sum_name)
    low, high = (mean - 0.05) * scale, (mean + 0.05) * scale
    system.at_most({total: low, none: -low, s: -1})
    system.at_most({s: 1, total: -high, none: high})
    if THRESHOLD not in system.index:
        system.add(THRESHOLD, system.threshold, SHOWN)
    system.at_most({THRESHOLD: 1, total: -1, none: 1})  # T <= total - none
