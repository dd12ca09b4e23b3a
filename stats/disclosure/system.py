"""What an attacker knows, as linear relations over non-negative unknowns.

A variable is a published cell (shown, hidden, withheld, or new: not decided
yet), an unknown count that is never published (``LATENT``: how many check-ins
fall in one class of answers), or a sum behind a mean (also ``LATENT``). Every
relation is homogeneous: ``sum(coef * x) == 0`` or ``sum(coef * x) <= 0``, and
every variable is at least 0 (and at most its cap, when it has one).
"""

from __future__ import annotations

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

