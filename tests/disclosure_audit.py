"""An independent audit of everything published for one site.

Written apart from ``stats/disclosure.py`` and sharing no code with it, so
a mistake in the suppressor is not repeated here. It looks at the published
numbers the way a curious reader could: exact linear algebra over the integers
for what can be worked out exactly, and linear programs (scipy's HiGHS) for what
can be bounded.

Input
-----
``cells`` maps each key to ``(true count, status)``; the status is

* ``SHOWN``: the count is printed;
* ``HIDDEN``: the hidden marker is printed;
* ``WITHHELD``: never printed, its period was withheld as too small;
* ``FEWER``: a withheld period's total, printed as "fewer than T check-ins".

``lines`` is a sequence of ``(total, parts)``: public facts ``total = sum(parts)``.

Checks
------
1. No shown count is from 1 to T-1 (and "fewer than T" is true).
2. No hidden or withheld cell is a linear combination of shown cells.
3. Every hidden count from 1 to T-1 could be T or more (every cell >= 0, shown
   cells fixed, lines as equalities), and every hidden or withheld count from
   1 to T-1 has a feasible range at least 2 wide. The "could be T" part leaves
   out the "fewer than T" bounds: a count small only because it lies inside a
   withheld period was given away by the whole-period rule itself.
4. In every line with a shown total, the total minus the shown parts is 0 or >= T.
"""

from __future__ import annotations

from math import gcd

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

SHOWN, HIDDEN, WITHHELD, FEWER = "shown", "hidden", "withheld", "fewer"

TOLERANCE = 1e-6  # HiGHS works in floating point; the counts are whole numbers


def audit(cells, lines, *, threshold):
    """Return every way the published numbers give a small count away (empty: none)."""
    t = threshold
    failures = []
    equations = []  # each as {key: integer coefficient}, summing to 0 over true counts
    for total, parts in lines:
        equation = {total: -1}
        for part in parts:
            equation[part] = equation.get(part, 0) + 1
        equation = {k: c for k, c in equation.items() if c}
        if sum(c * cells[k][0] for k, c in equation.items()):
            failures.append(f"the counts break the line {total!r} = sum{tuple(parts)!r}")
        equations.append(equation)
    unknown = {k for k, (_, status) in cells.items() if status != SHOWN}

    # 1. No printed count from 1 to T-1, and "fewer than T" is true.
    for key, (count, status) in cells.items():
        if status == SHOWN and 0 < count < t:
            failures.append(f"{key!r} is shown as {count}, below the threshold {t}")
        if status == FEWER and count >= t:
            failures.append(f"{key!r} is printed as fewer than {t} but counts {count}")

    # 4. A shown total minus its shown parts is 0 or at least T.
    for (total, parts), equation in zip(lines, equations):
        if total in unknown:
            continue
        rest = cells[total][0] - sum(cells[p][0] for p in parts if p not in unknown)
        if 0 < rest < t:
            failures.append(f"{total!r} minus its shown parts leaves {rest}")

    # 2 and 3 work on groups of unknown cells linked by lines, one group at a time.
    for group in _groups(unknown, equations):
        members = set(group)
        touching = [e for e in equations if members & e.keys()]
        for key in _pinned(group, touching):
            failures.append(f"{key!r} is hidden but exactly {cells[key][0]} from the shown numbers")
        capped = any(cells[k][1] == FEWER for k in group)
        for key in group:
            count, status = cells[key]
            if not 0 < count < t:
                continue
            # The true counts are feasible, so low <= count <= high: one linear
            # program settles most cells, the others need the second end too.
            high = _extreme(key, group, touching, cells, t, capped=True, sense=1)
            if high - count < 2 - TOLERANCE:
                low = _extreme(key, group, touching, cells, t, capped=True, sense=-1)
                if high - low < 2 - TOLERANCE:
                    failures.append(f"{key!r} is hidden but confined to [{low:g}, {high:g}]")
            if status != HIDDEN or high >= t - TOLERANCE:
                continue  # withheld periods are known to be small
            if capped:
                # Smallness that follows from "fewer than T" alone was given away by
                # the whole-period rule, not by the tables.
                high = _extreme(key, group, touching, cells, t, capped=False, sense=1)
            if high < t - TOLERANCE:
                failures.append(f"{key!r} is hidden but provably at most {high:g}")
    return failures


def _groups(unknown, equations):
    """Split the unknown cells into groups that share no line."""
    neighbours = {k: set() for k in unknown}
    for equation in equations:
        inside = [k for k in equation if k in unknown]
        for k in inside:
            neighbours[k].update(inside)
    seen, groups = set(), []
    for start in unknown:
        if start in seen:
            continue
        seen.add(start)
        group, todo = [], [start]
        while todo:
            k = todo.pop()
            group.append(k)
            for other in neighbours[k] - seen:
                seen.add(other)
                todo.append(other)
        groups.append(group)
    return groups


def _pinned(group, equations):
    """Return the unknown cells fixed by the equations: exact integer elimination.

    A cell is fixed when a combination of the equations involves it alone; after
    full reduction that combination is a row with a single entry.
    """
    order = {k: n for n, k in enumerate(group)}
    rows = []
    for equation in equations:
        row = {order[k]: c for k, c in equation.items() if k in order}
        if row:
            rows.append(row)
    reduced = []  # (pivot column, row) in the order found
    for row in rows:
        for col, pivot_row in reduced:
            if col in row:
                row = _cancel(row, pivot_row, col)
        if row:
            reduced.append((min(row), row))
    # Each row holds no pivot column of the rows before it; back-substituting from
    # the last row leaves every pivot column in its own row only.
    final = []
    for col, row in reversed(reduced):
        for later_col, later_row in final:
            if later_col in row:
                row = _cancel(row, later_row, later_col)
        final.append((col, row))
    return [group[col] for col, row in final if len(row) == 1]


def _cancel(row, pivot_row, col):
    """Return ``row`` with ``col`` removed by subtracting a multiple of ``pivot_row``."""
    a, b = pivot_row[col], row[col]
    out = {}
    for k in row.keys() | pivot_row.keys():
        value = a * row.get(k, 0) - b * pivot_row.get(k, 0)
        if value:
            out[k] = value
    divisor = 0
    for value in out.values():
        divisor = gcd(divisor, value)
    return {k: v // divisor for k, v in out.items()} if divisor > 1 else out


def _extreme(key, group, equations, cells, t, *, capped, sense):
    """Return the largest (``sense`` 1) or smallest (-1) value of ``key`` consistent with what is published.

    With ``capped``, withheld period totals are below T as printed.
    """
    column = {k: n for n, k in enumerate(group)}
    data, rows, cols, rhs = [], [], [], []
    for r, equation in enumerate(equations):
        constant = 0
        for k, c in equation.items():
            if k in column:
                data.append(c)
                rows.append(r)
                cols.append(column[k])
            else:
                constant += c * cells[k][0]
        rhs.append(-constant)
    matrix = csr_matrix((data, (rows, cols)), shape=(len(equations), len(group)))
    bounds = [(0, t - 1 if capped and cells[k][1] == FEWER else None) for k in group]
    objective = np.zeros(len(group))
    objective[column[key]] = -sense  # linprog minimises
    result = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
    if result.status == 3:  # unbounded above
        return float("inf")
    if result.status != 0:
        raise AssertionError(f"the audit's linear program failed for {key!r}: {result.message}")
    return -sense * result.fun
