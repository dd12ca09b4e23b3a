"""What an attacker knows, as linear relations over non-negative unknowns.

A variable is a published cell (shown, hidden, withheld, or new: not decided
yet), an unknown count that is never published (``LATENT``: how many check-ins
fall in one class of answers), or a sum behind a mean (also ``LATENT``). Every
relation is homogeneous: ``sum(coef * x) == 0`` or ``sum(coef * x) <= 0``, and
every variable is at least 0 (and at most its cap, when it has one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

SHOWN, HIDDEN, WITHHELD, NEW, LATENT = "shown", "hidden", "withheld", "new", "latent"


@dataclass
class System:
    threshold: int
    keys: list = field(default_factory=list)
    index: dict = field(default_factory=dict)
    value: list = field(default_factory=list)  # true values (latent ones may be None)
    status: list = field(default_factory=list)
    cap: list = field(default_factory=list)  # an upper bound everyone knows, or None
    cost: list = field(default_factory=list)  # of hiding a new cell; None: never hidden
    eq: list = field(default_factory=list)  # {index: coef}, == 0
    ub: list = field(default_factory=list)  # {index: coef}, <= 0
    lines: list = field(default_factory=list)  # (total index, part indices): sums whose hidden part is checked
    # Copies that may be merged (``merge``): {index: the merged variable's key}.
    copies: dict = field(default_factory=dict)
    # In a merged system: {index of a merged variable: the true values of its copies}.
    merged: dict = field(default_factory=dict)
    # Latent cells nobody sees that must not be proven small either (a month's finer
    # cells, which an attacker can bound through its quarter and its means).
    guarded: set = field(default_factory=set)
    # What the linear programs (``lp``) built and found so far for this system. Hiding
    # more cells only widens what is admissible, so what was found for a hidden set
    # holds for every larger one; ``lp.forget`` drops it for a fresh start with fewer.
    solver: object = field(default=None, repr=False, compare=False)  # lp's programs, built on first use
    pool: list = field(default_factory=list, repr=False, compare=False)  # (hidden, caps, admissible values)
    loose: set = field(default_factory=set, repr=False, compare=False)  # cells some admissible values move by 1+

    def add(self, key: Hashable, value, status: str, *, cap=None, cost=None) -> int:
        if key in self.index:
            raise ValueError(f"{key!r} is listed twice.")
        if status != LATENT and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValueError(f"Cell {key!r} has count {value!r}; counts are whole and >= 0.")
        self.index[key] = len(self.keys)
        self.keys.append(key)
        self.value.append(value)
        self.status.append(status)
        self.cap.append(cap)
        self.cost.append(cost)
        return self.index[key]

    def _row(self, coefs: dict) -> dict[int, float]:
        row: dict[int, float] = {}
        for key, c in coefs.items():
            try:
                i = self.index[key]
            except KeyError:
                raise ValueError(f"A relation names {key!r}, which is not among the variables.") from None
            row[i] = row.get(i, 0) + c
        return {i: c for i, c in row.items() if c}

    def equal(self, coefs: dict) -> None:
        """Add the relation sum(coef * x) == 0."""
        self.eq.append(self._row(coefs))

    def at_most(self, coefs: dict) -> None:
        """Add the relation sum(coef * x) <= 0."""
        self.ub.append(self._row(coefs))

    def line(self, total: Hashable, parts) -> None:
        """Add total == sum(parts), a sum whose hidden part must not be small either."""
        coefs = {total: -1}
        for p in parts:
            coefs[p] = coefs.get(p, 0) + 1
        self.equal(coefs)
        self.lines.append((self.index[total], tuple(self.index[p] for p in parts)))

    def check(self) -> list[str]:
        """Return the relations the true published counts break (latent ones unknown: skipped)."""
        out = []
        for row in self.eq:
            if all(self.status[i] != LATENT for i in row) and abs(sum(c * self.value[i] for i, c in row.items())) > 1e-9:
                out.append("the counts break " + " + ".join(f"{c:g}*{self.keys[i]!r}" for i, c in row.items()))
        return out



def merge(system: System) -> System | None:
    """Return the system with each set of ``copies`` merged into one variable (their sum),
    or None when its relations do not allow it exactly.

    Copies are, say, the cells of months withheld whole in one quarter: nothing but
    "fewer than T" is published of them, the same relations hold inside each, and the
    quarter's cells add them up. Then the values the merged system allows are exactly
    the sums of the copies' values the full system allows: a merged value V splits
    back as V / n in each of the n copies (so every copy's cap must be the same, and
    the merged cap is n times it), and summing the copies' relations gives the
    merged ones. Each relation must be one of:

    * uniform: it holds every copy of a merged variable with the same coefficient
      (a quarter's cell = the sum of its months' cells); or
    * one of a family, one for each copy, made of copies only, alike once merged
      (the relations inside each month).

    Anything else, and None is returned: the caller keeps the full system.
    """
    copies = system.copies
    if not copies:
        return None
    members: dict = defaultdict(list)
    for i, key in copies.items():
        members[key].append(i)
    out = System(system.threshold)
    to: dict[int, int] = {}
    for i, key in enumerate(system.keys):
        if i not in copies:
            to[i] = out.add(key, system.value[i], system.status[i], cap=system.cap[i], cost=system.cost[i])
            if i in system.guarded:
                out.guarded.add(to[i])
            continue
        merged = copies[i]
        if merged in out.index:
            to[i] = out.index[merged]
            continue
        group = members[merged]
        statuses = {system.status[j] for j in group}
        caps = {system.cap[j] for j in group}
        if len(statuses) != 1 or statuses & {SHOWN, HIDDEN, NEW} or len(caps) != 1:
            return None
        values = [system.value[j] for j in group]
        value = None if any(v is None for v in values) else sum(values)
        cap = caps.pop()
        to[i] = out.add(merged, value, system.status[i], cap=None if cap is None else cap * len(group))
        out.merged[to[i]] = tuple(values)
    size = {to[i]: len(members[copies[i]]) for i in copies}
    for rows, target in ((system.eq, out.eq), (system.ub, out.ub)):
        families: dict = defaultdict(list)
        for row in rows:
            inside = [i for i in row if i in copies]
            if not inside:
                target.append({to[i]: c for i, c in row.items()})
                continue
            mapped: dict[int, float] = {}
            for i, c in row.items():
                mapped[to[i]] = mapped.get(to[i], 0.0) + c
            used: dict[int, list] = defaultdict(list)
            for i in inside:
                used[to[i]].append(row[i])
            if all(len(cs) == size[v] and len(set(cs)) == 1 for v, cs in used.items()):
                target.append({v: c / size[v] if v in used else c for v, c in mapped.items()})  # uniform
                continue
            if len(inside) != len(row) or any(len(cs) != 1 for cs in used.values()) \
                    or len({size[v] for v in used}) != 1:
                return None
            families[frozenset(mapped.items())].append(row)
        for shape, family in families.items():
            covered: dict[int, set] = defaultdict(set)
            for row in family:
                for i in row:
                    if i in covered[to[i]]:
                        return None
                    covered[to[i]].add(i)
            if any(covered[v] != set(members[copies[next(iter(covered[v]))]]) for v in covered):
                return None
            target.append(dict(shape))
    seen = set()
    for total, parts in system.lines:
        if total in copies:
            if any(p not in copies for p in parts):
                return None
            line = (to[total], tuple(to[p] for p in parts))  # inside one copy: one line for the family
        else:
            counted: dict[int, int] = defaultdict(int)
            for p in parts:
                counted[to[p]] += 1
            if any(n != size[v] for v, n in counted.items() if v in size):
                return None
            line = (to[total], tuple(dict.fromkeys(to[p] for p in parts)))
        if line not in seen:
            seen.add(line)
            out.lines.append(line)
    return out
