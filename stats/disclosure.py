"""Disclosure control for staff aggregates: decide which counts may be shown.

Pure Python on plain data, so the aggregates layer can feed it any catalogue and a
unit test can call it without a database. Nothing here knows about questions,
sites or months; the caller names every number with a hashable key.

The model
---------
* A **cell** is one published count: a key, its true count and a kind. The kind
  only orders the complementary choice: interior cells are hidden first, margins
  later, totals last.
* A **line** is a linear relation ``total = sum(parts)`` that anyone reading the
  tables knows: a table row or column with its margin, a margin row with the
  grand total, a quarter cell as the sum of its three month cells, a cross-tab
  margin as the matching cell of the question's distribution (one part).
  Lines may link cells of different tables and periods.
* ``published`` holds what earlier periods already showed. Those numbers are
  frozen: a new table is protected taking them as given, and may never change
  them.

What "protected" means (for every hidden cell, old or new)
----------------------------------------------------------
a. In a line whose total is shown, the total minus the shown parts is 0 or at
   least T, so "these hidden cells add up to 3" is never printed indirectly.
b. No hidden cell is a linear combination of shown cells through the lines
   (exact rank test with fractions).
c. No hidden count from 1 to T-1 can be proven small: given every cell >= 0 and
   the lines, it could be at least T, and its feasible range is at least 2 wide.
   Cells of withheld periods need only the width (see ``_Suppressor._roomy``).
   This is proven by a witness: a set of counts that satisfies every line and
   every bound, found by a quick augmenting search along kernel directions or,
   when that misses, exactly by the simplex method with fractions.

The whole-period rule
---------------------
A period with fewer than T check-ins publishes nothing but "fewer than T
check-ins in this period". Check ``period_publishable`` before calling
``protect``; for a withheld period record ``withhold(keys, total=...)`` in the
published map, so later periods (a quarter over a withheld month) are protected
knowing that its cells exist and its total is below T.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

MIN_THRESHOLD = 11  # the CMS cell-size rule; a setting may raise it, never lower it
HIDDEN_LABEL = "hidden to protect small numbers"

# How hard the quick witness search tries before the exact simplex method takes
# over; these trade time only, never safety or the result.
_SEARCH_NODES = 60
_AUGMENTATIONS = 4
_PIVOTS = 2000  # a cap, not a tuning knob: Bland's rule ends long before
# Sizes of the neighbourhoods tried before a whole component: small enough that
# eliminating one costs far less than a simplex run on the whole component.
_NEAR = (30, 120)
_TRIES = 12  # candidates tried for the one that helps before taking the first
_ECHELONS_KEPT = 4  # echelon forms cached; each may hold a dense matrix of fractions


class Kind(enum.IntEnum):
    """Where a cell sits in its table; lower kinds are hidden first."""

    INTERIOR = 0
    MARGIN = 1
    TOTAL = 2


class Mark(enum.Enum):
    """What was published instead of a count."""

    HIDDEN = "hidden"  # shown as HIDDEN_LABEL
    WITHHELD = "withheld"  # in a period withheld by the whole-period rule
    FEWER = "fewer"  # a withheld period's total: "fewer than T check-ins"


HIDDEN = Mark.HIDDEN
WITHHELD = Mark.WITHHELD
FEWER_THAN_THRESHOLD = Mark.FEWER


class DisclosureError(ValueError):
    """Raised when no choice of hidden cells can protect the new tables.

    Only happens when earlier publications or the lines themselves already give
    a count away, which ``protect`` never produces.
    """


@dataclass(frozen=True, slots=True)
class Cell:
    key: Hashable
    count: int
    kind: Kind = Kind.INTERIOR


@dataclass(frozen=True, slots=True)
class Line:
    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True)
class Protection:
    """The outcome for the new cells of one publication."""

    published: dict  # new key -> its count, or HIDDEN; feed it back as ``published``
    primary: frozenset  # hidden because the count is from 1 to T-1
    complementary: frozenset  # hidden so that the primary ones stay hidden

    @property
    def hidden(self) -> frozenset:
        return self.primary | self.complementary

    def label(self, key: Hashable) -> int | str:
        """Return what to print for a new cell: its count or the one marker."""
        value = self.published[key]
        return HIDDEN_LABEL if value is HIDDEN else value


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


def withhold(keys: Iterable[Hashable], *, total: Hashable) -> dict:
    """Return the published marks of a period withheld by the whole-period rule."""
    marks = dict.fromkeys(keys, WITHHELD)
    marks[total] = FEWER_THAN_THRESHOLD
    return marks


def derived_allowed(count: int, *, parent: int, shown: bool, threshold: int = MIN_THRESHOLD) -> bool:
    """Return whether a share or mean over a group of ``count`` check-ins may be shown.

    The group must be shown and hold at least T check-ins, and the rest of its
    parent group must be empty or hold at least T too, so the share cannot be
    turned into a small count of the rest. Minima and maxima are never shown.
    """
    check_threshold(threshold)
    if not 0 <= count <= parent:
        raise ValueError(f"A group of {count} cannot sit in a parent group of {parent}.")
    rest = parent - count
    return shown and count >= threshold and (rest == 0 or rest >= threshold)


def protect(
    cells: Iterable[Cell],
    lines: Iterable[Line],
    *,
    threshold: int = MIN_THRESHOLD,
    published: Mapping[Hashable, int | Mark] | None = None,
) -> Protection:
    """Choose the hidden cells among the new ones, primary and complementary.

    ``cells`` lists every cell the lines mention, old ones too, with true counts
    (the witness search starts from them). Cells whose key is in ``published``
    are old and frozen: mapped to the count shown, HIDDEN, WITHHELD or
    FEWER_THAN_THRESHOLD. The others are new. Earlier publications are taken
    to be protected (they came from ``protect`` or ``withhold``): only hidden
    cells linked to a new cell are audited again. The result is deterministic: ties
    go to the cell listed first.
    """
    return _Suppressor(list(cells), list(lines), check_threshold(threshold), published or {}).run()


class _Suppressor:
    """One run of primary suppression, then audit-and-hide until the audit passes."""

    def __init__(self, cells: list[Cell], lines: list[Line], threshold: int, published: Mapping):
        self.t = threshold
        self.cells = cells
        index = {}
        for i, cell in enumerate(cells):
            if cell.key in index:
                raise ValueError(f"Cell {cell.key!r} is listed twice.")
            if isinstance(cell.count, bool) or not isinstance(cell.count, int) or cell.count < 0:
                raise ValueError(f"Cell {cell.key!r} has count {cell.count!r}; counts are whole and >= 0.")
            index[cell.key] = i
        self.count = [cell.count for cell in cells]
        # Each line as {cell: coefficient}: parts +1, total -1, so every line sums to 0.
        self.coef: list[dict[int, int]] = []
        self.totals: list[int] = []
        self.lines_of: list[list[int]] = [[] for _ in cells]
        for n, line in enumerate(lines):
            try:
                total, parts = index[line.total], [index[p] for p in line.parts]
            except KeyError as missing:
                raise ValueError(f"A line names {missing.args[0]!r}, which is not among the cells.") from None
            row: dict[int, int] = {total: -1}
            for p in parts:
                row[p] = row.get(p, 0) + 1
            row = {i: c for i, c in row.items() if c}
            if sum(c * self.count[i] for i, c in row.items()):
                raise ValueError(f"The counts do not satisfy the line for {line.total!r}.")
            self.coef.append(row)
            self.totals.append(total)
            for i in row:
                self.lines_of[i].append(n)

        self.hidden: set[int] = set()
        self.new: set[int] = set()
        self.cap: dict[int, int] = {}  # upper bounds everyone knows: "fewer than T"
        self.withheld: set[int] = set()  # below T by design: only exactness is guarded
        for i, cell in enumerate(cells):
            if cell.key not in published:
                self.new.add(i)
                if 0 < cell.count < threshold:
                    self.hidden.add(i)
                continue
            mark = published[cell.key]
            if isinstance(mark, Mark):
                self.hidden.add(i)
                if mark is not HIDDEN:
                    self.withheld.add(i)
                if mark is FEWER_THAN_THRESHOLD:
                    self.cap[i] = threshold - 1
            elif mark != cell.count:
                raise ValueError(f"Cell {cell.key!r} was published as {mark!r} but counts {cell.count}.")
        self.primary = self.hidden & self.new
        # Earlier publications were protected when they came out; only the cells
        # that share a line with a new cell can have lost protection since.
        self.touched = set(self.new).union(*(row for row in self.coef if self.new.intersection(row)))
        # Facts proven so far. Hiding more cells only widens what is feasible, so
        # a cell once proven undetermined or out of reach of "small" stays so.
        self.undetermined: set[int] = set()
        self.roomy: set[int] = set()
        self.hideable: dict[int, bool] = {}
        # The echelon form depends only on the hidden cells of a component, and the
        # audit asks for the same component again and again (every simplex run).
        self.echelons: dict[tuple[int, ...], dict[int, dict[int, Fraction]]] = {}

    def run(self) -> Protection:
        while (cell := self._next_complement()) is not None:
            self.hidden.add(cell)
        return Protection(
            published={
                self.cells[i].key: HIDDEN if i in self.hidden else self.count[i] for i in sorted(self.new)
            },
            primary=frozenset(self.cells[i].key for i in self.primary),
            complementary=frozenset(self.cells[i].key for i in self.hidden & self.new - self.primary),
        )

    # -- The audit: find the first failure and the cell that best repairs it.

    def _next_complement(self) -> int | None:
        """Return the next cell to hide, or None once every check passes."""
        for n, row in enumerate(self.coef):
            total = self.totals[n]
            if total in self.hidden:
                continue
            rest = sum(self.count[i] for i in row if i in self.hidden)
            if 0 < rest < self.t:
                # Hiding a zero leaves the difference as it is, so only non-zero parts help.
                useful = [i for i in row if i != total and self.count[i]] + [total]
                return self._choose(useful, f"the line for {self.cells[total].key!r}")
        # A line with a single hidden cell gives it away, and only hiding another
        # cell of that line can help: settle these without the rank test, which
        # is slow on the large components that a withheld month creates.
        for row in self.coef:
            hidden = [i for i in row if i in self.hidden]
            if len(hidden) == 1 and hidden[0] in self.touched:
                choice = self._choose(row, None)
                if choice is not None:
                    return choice
        for component in self._components():
            if self.touched.isdisjoint(component):
                continue
            bad = self._first_unprotected(component)
            if bad is not None:
                return self._choose_around(bad)
        return None

    def _choose_around(self, bad: int) -> int:
        """Return the cell to hide for an unprotected one: the first that is seen to help.

        Candidates come from the cell's own lines first, then from the lines one
        hidden cell further away, and so on through its component, each ring in
        the order of ``_choose``. The first whose hiding lets the cell move
        (tried cheaply, near the cell) is taken; if none of the first few does,
        the first candidate. Each audit of a large component is costly, and a
        cell hidden at random would rarely give room where it is needed.
        """
        reached, ring, lines = {bad}, [bad], set()
        fallback, tries = None, _TRIES
        while ring:
            new_lines = sorted({n for c in ring for n in self.lines_of[c]} - lines)
            lines.update(new_lines)
            candidates = list(dict.fromkeys(i for n in new_lines for i in self.coef[n]))
            for i in self._usable(candidates):
                if fallback is None:
                    fallback = i
                if not tries:
                    return fallback
                tries -= 1
                if self._helps(i, bad):
                    return i
            ring = [i for i in candidates if i in self.hidden and i not in reached]
            reached.update(ring)
        if fallback is None:
            raise DisclosureError(f"Earlier publications already give away cell {self.cells[bad].key!r}.")
        return fallback

    def _helps(self, cell: int, bad: int) -> bool:
        """Return whether hiding the cell is seen to protect ``bad`` (a quick, partial test)."""
        self.hidden.add(cell)
        try:
            if bad not in self.undetermined:
                return self._undetermined(bad, exact=False)
            return self._roomy(bad, exact=False)
        finally:
            self.hidden.discard(cell)

    def _choose(self, candidates: Iterable[int], failure: str | None) -> int | None:
        """Return the shown new cell to hide: interior first, smallest non-zero count.

        Cells that the earlier publications fix (a quarter total when its three
        month totals are shown) are passed over: hiding them protects nothing.
        """
        for i in self._usable(candidates):
            return i
        if failure is None:
            return None
        raise DisclosureError(f"Earlier publications already give away {failure}.")

    def _usable(self, candidates: Iterable[int]) -> Iterator[int]:
        """Yield the shown new cells among the candidates worth hiding, in the order of ``_choose``."""
        usable = {i for i in candidates if i in self.new and i not in self.hidden}
        for i in sorted(usable, key=lambda i: (self.cells[i].kind, self.count[i] == 0, self.count[i], i)):
            if self._hideable(i):
                yield i

    def _hideable(self, cell: int) -> bool:
        """Return whether the cell stays undetermined if every new cell is hidden."""
        if cell not in self.hideable:
            hidden, self.hidden = self.hidden, self.hidden | self.new
            try:
                self.hideable[cell] = self._undetermined(cell, exact=True)
            finally:
                self.hidden = hidden
        return self.hideable[cell]

    def _neighbourhoods(self, cell: int) -> Iterator[tuple[list[int], bool]]:
        """Yield growing sets of hidden cells around the cell, and whether each is its whole component.

        A change of the hidden cells in a part of the component, the others kept
        at their true counts, is a change of the whole component: what is found
        feasible in a neighbourhood holds. Only what is infeasible needs the
        whole component, which on a year with withheld months holds thousands of
        cells. The sets are breadth-first prefixes, so the search order, and
        with it the result, is deterministic.
        """
        order, seen, sizes = [cell], {cell}, list(_NEAR)
        for c in order:  # grows while it runs: breadth first
            for n in self.lines_of[c]:
                for i in self.coef[n]:
                    if i in self.hidden and i not in seen:
                        seen.add(i)
                        order.append(i)
            while sizes and len(order) > sizes[0]:
                yield sorted(order[: sizes.pop(0)]), False
        yield sorted(order), True

    def _components(self) -> list[list[int]]:
        """Group hidden cells that share a line; each group is audited on its own."""
        parent = {i: i for i in self.hidden}

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for row in self.coef:
            members = [i for i in row if i in self.hidden]
            for i in members[1:]:
                parent[root(i)] = root(members[0])
        groups: dict[int, list[int]] = {}
        for i in sorted(self.hidden):
            groups.setdefault(root(i), []).append(i)
        return list(groups.values())

    def _first_unprotected(self, component: list[int]) -> int | None:
        """Return the first cell of the component that is determined or provably small."""
        unproven = [i for i in component if i not in self.undetermined]
        # Moves found near each cell prove most cells undetermined cheaply; one
        # exact elimination of the whole component settles the rest.
        unproven = [i for i in unproven if not self._undetermined(i, exact=False)]
        if unproven:
            determined = self._determined(component)
            self.undetermined.update(i for i in unproven if i not in determined)
            if determined:
                return min(determined)
        self.undetermined.update(component)
        for i in component:
            if i in self.roomy or not 0 < self.count[i] < self.t:
                continue
            if not self._roomy(i):
                return i
            self.roomy.add(i)
        return None

    def _undetermined(self, cell: int, *, exact: bool) -> bool:
        """Return whether some change of the hidden cells that keeps every line moves the cell.

        The quick search for a kernel direction settles most cells, then the rank
        test on growing neighbourhoods; the whole component last, and only if
        ``exact`` (else the answer False means "not proven").
        """
        if self._direction(cell, 1, {}, None) is not None:
            return True
        for members, whole in self._neighbourhoods(cell):
            if whole and not exact:
                return False
            if cell not in self._determined(members, whole=whole):
                return True
        return False

    def _determined(self, members: list[int], *, whole: bool = True) -> set[int]:
        """Return the cells fixed by the lines when only ``members`` may change (exact rank test).

        A hidden cell is determined iff its unit vector lies in the row space of
        the lines restricted to hidden cells, i.e. iff the reduced row echelon
        form has a row with that cell alone. Only whole components are cached.
        """
        echelon = self._echelon(members) if whole else self._eliminate(members)
        return {p for p, row in echelon.items() if len(row) == 1}

    def _echelon(self, component: list[int]) -> dict[int, dict[int, Fraction]]:
        """Return the reduced row echelon form of the lines on the component, by pivot cell.

        The result is shared through a small cache: callers must not change it.
        """
        key = tuple(component)
        if key not in self.echelons:
            if len(self.echelons) >= _ECHELONS_KEPT:
                del self.echelons[next(iter(self.echelons))]
            self.echelons[key] = self._eliminate(component)
        return self.echelons[key]

    def _eliminate(self, component: list[int]) -> dict[int, dict[int, Fraction]]:
        """Return the reduced row echelon form of the lines on the component (uncached)."""
        members = set(component)
        rows = {n for i in component for n in self.lines_of[i]}
        pivots: dict[int, dict[int, Fraction]] = {}  # pivot cell -> its fully reduced row
        for n in sorted(rows):
            row = {i: Fraction(c) for i, c in self.coef[n].items() if i in members}
            for p in [i for i in row if i in pivots]:
                factor = row.pop(p)
                for i, c in pivots[p].items():
                    if i != p:
                        value = row.get(i, 0) - factor * c
                        if value:
                            row[i] = value
                        else:
                            row.pop(i, None)
            if not row:
                continue
            lead = min(row)
            scale = row[lead]
            row = {i: c / scale for i, c in row.items()}
            for other in pivots.values():
                if lead in other:
                    factor = other.pop(lead)
                    for i, c in row.items():
                        if i != lead:
                            value = other.get(i, 0) - factor * c
                            if value:
                                other[i] = value
                            else:
                                other.pop(i, None)
            pivots[lead] = row
        return pivots

    # -- Witnesses: feasible counts that show a hidden cell is not provably small.

    def _roomy(self, cell: int, *, exact: bool = True) -> bool:
        """Return whether the cell could be T or more, and is not pinned within 2.

        With ``exact`` False, only look near the cell and record nothing: False
        then means "not proven".

        "Could be T or more" ignores the "fewer than T" bounds of withheld
        periods: a count that is small only because it lies inside a withheld
        period was given away by the whole-period rule, not by these tables, and
        no suppression could hide it. Pinning is judged with those bounds.
        """
        count = self.count[cell]
        if cell not in self.withheld:
            # Reaching T within the caps proves both parts at once. Failing that
            # is only worth proving exactly when there are no caps: with caps,
            # the two checks below decide the same question.
            point = self._moves(cell, 1, max(self.t - count, 2), self.cap, exact=exact and not self.cap)
            if point is not None and exact:
                # The same counts may lift other small cells far enough too.
                self.roomy.update(
                    i
                    for i, change in point.items()
                    if i not in self.withheld and change >= max(self.t - self.count[i], 2)
                )
            if point is not None:
                return True
            if not self.cap or self._moves(cell, 1, self.t - count, {}, exact=exact) is None:
                return False
        return any(self._moves(cell, sign, 2, self.cap, exact=exact) is not None for sign in (1, -1)) or all(
            self._moves(cell, sign, 1, self.cap, exact=exact) is not None for sign in (1, -1)
        )

    def _moves(
        self, cell: int, sign: int, amount: int, caps: Mapping[int, int], *, exact: bool = True
    ) -> dict | None:
        """Return changes to the true counts that move the cell by ``sign * amount``, or None.

        The changes keep every line and bound. They are built by augmenting along
        kernel directions, taking each as far as its tightest cell allows, like
        augmenting paths in a flow network. None means that no such changes
        exist, or with ``exact`` False that none were found cheaply.
        """
        offset: dict[int, int | Fraction] = {}
        moved = 0
        for _ in range(_AUGMENTATIONS):
            direction = self._direction(cell, sign, offset, caps)
            if direction is None:
                break
            step = Fraction(amount - moved)
            for i, d in direction.items():
                if d < 0:
                    step = min(step, (self.count[i] + offset.get(i, 0)) / -d)
                elif i in caps:
                    step = min(step, (caps[i] - self.count[i] - offset.get(i, 0)) / d)
            if step <= 0:  # the cell itself sits at 0 or at its cap
                return None
            for i, d in direction.items():
                offset[i] = offset.get(i, 0) + step * d
            moved += step
            if moved >= amount:
                return offset
        for members, whole in self._neighbourhoods(cell):
            if whole and not exact:
                return None
            point = self._simplex(members, whole, cell, sign, amount, caps)
            if point is not None or whole:
                return point
        raise AssertionError("the last neighbourhood is the whole component")

    def _simplex(
        self, members: list[int], whole: bool, cell: int, sign: int, amount: int, caps: Mapping[int, int]
    ) -> dict | None:
        """Return changes moving the cell by ``sign * amount``, or None if none exist.

        The exact answer behind the augmenting search, which can miss moves that
        split a line between several cells: the primal simplex method with
        fractions on the changes ``d`` of the component's hidden cells, from the
        true counts (``d = 0``), stopping as soon as the cell has moved enough.
        Only ``members`` may change (the others keep ``d = 0``), so None is
        final only when they are the ``whole`` component. Each pivot cell of
        the echelon form is a basic variable, ``d[p] = sum(row[f] * d[f])`` over
        the non-basic cells ``f``.
        """
        echelon = self._echelon(members) if whole else self._eliminate(members)
        basis = {p: {f: -c for f, c in row.items() if f != p} for p, row in echelon.items()}
        value = dict.fromkeys(members, Fraction(0))
        low = {i: Fraction(-self.count[i]) for i in members}
        high = {i: Fraction(caps[i] - self.count[i]) for i in members if i in caps}
        goal = {f: sign * c for f, c in basis[cell].items()} if cell in basis else {cell: Fraction(sign)}
        for _ in range(_PIVOTS):
            short = amount - sign * value[cell]
            if short <= 0:
                return {i: v for i, v in value.items() if v}
            # Bland's rule: the first cell that improves the goal enters, so no cycle.
            for j in sorted(goal):
                up = goal[j] > 0
                if (value[j] < high[j] if j in high else True) if up else value[j] > low[j]:
                    break
            else:
                return None  # optimal, and still short
            way = 1 if up else -1
            step, leaving = short / abs(goal[j]), None
            if up and j in high:
                step = min(step, high[j] - value[j])
            elif not up:
                step = min(step, value[j] - low[j])
            for p in sorted(basis):
                rate = basis[p].get(j, 0) * way
                room = (value[p] - low[p]) / -rate if rate < 0 else (high[p] - value[p]) / rate if rate > 0 and p in high else None
                if room is not None and room < step:
                    step, leaving = room, p
            value[j] += way * step
            for p, row in basis.items():
                value[p] += row.get(j, 0) * way * step
            if leaving is not None:
                self._pivot(basis, goal, leaving, j)
        return None

    @staticmethod
    def _pivot(basis: dict, goal: dict, leaving: int, entering: int) -> None:
        """Swap a basic and a non-basic cell, rewriting every row in the new non-basic cells."""
        row = basis.pop(leaving)
        a = row.pop(entering)
        new = {f: -c / a for f, c in row.items()}
        new[leaving] = 1 / a
        for other in [*basis.values(), goal]:
            c = other.pop(entering, 0)
            if c:
                for f, v in new.items():
                    total = other.get(f, 0) + c * v
                    if total:
                        other[f] = total
                    else:
                        other.pop(f, None)
        basis[entering] = new

    def _direction(self, cell: int, sign: int, offset: dict, caps: Mapping[int, int] | None) -> dict | None:
        """Return a kernel direction of the hidden cells moving ``cell`` by ``sign``, or None.

        Depth-first: each line left unbalanced is rebalanced by a hidden cell not
        yet moved, the most constrained line first. Unless ``caps`` is None, a
        cell may only go down if it is above 0 and only up if below its cap.
        """
        direction: dict[int, int | Fraction] = {}
        residual: dict[int, int | Fraction] = {}
        unbalanced: set[int] = set()
        budget = [_SEARCH_NODES]

        def move(i: int, d: int | Fraction) -> None:
            for m in self.lines_of[i]:
                r = residual[m] = residual.get(m, 0) + self.coef[m][i] * d
                if r:
                    unbalanced.add(m)
                else:
                    unbalanced.discard(m)

        def movable(i: int, d: int | Fraction) -> bool:
            if i not in self.hidden or i in direction:
                return False
            if caps is None:
                return True
            value = self.count[i] + offset.get(i, 0)
            return value > 0 if d < 0 else value < caps.get(i, value + 1)

        def search() -> bool:
            if not unbalanced:
                return True
            budget[0] -= 1
            if budget[0] < 0:
                return False
            best = None
            for n in sorted(unbalanced):
                options = {i: _ratio(-residual[n], c) for i, c in self.coef[n].items()}
                options = {i: d for i, d in options.items() if movable(i, d)}
                if not options:
                    return False
                if best is None or len(options) < len(best):
                    best = options

            def unsettled(i: int) -> int:
                return sum(1 for m in self.lines_of[i] if residual.get(m, 0) + self.coef[m][i] * best[i])

            for i in sorted(best, key=lambda i: (unsettled(i), -self.count[i], i)):
                direction[i] = best[i]
                move(i, best[i])
                if search():
                    return True
                move(i, -direction.pop(i))
            return False

        direction[cell] = sign
        move(cell, sign)
        return direction if search() else None


def _ratio(a: int | Fraction, b: int) -> int | Fraction:
    """Return a / b exactly, as an int when it is whole (ints keep the search fast)."""
    if isinstance(a, int) and a % b == 0:
        return a // b
    return Fraction(a) / b
