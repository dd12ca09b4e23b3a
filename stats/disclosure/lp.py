"""Linear programs over a ``System``: how far sums of unknowns can move.

HiGHS (``highspy``) keeps one model per system and per question (how far can
this move; what is the cheapest to hide) and re-solves it warm after each small
change of objective, bounds or goal row, which is what makes hundreds of
programs per period affordable. HiGHS works in floating point; counts are whole
numbers in the thousands at most, so a tolerance of 1e-6 decides.

The programs and what they found (admissible values, cells shown not to be
pinned) live in the system's own declared fields: ``solver``, ``pool``, ``loose``.
Every answer is a return value.
"""

from __future__ import annotations

from typing import NamedTuple

import highspy
import numpy as np

from .system import NEW, SHOWN, System

TOLERANCE = 1e-6
Target = tuple[dict, float]  # (functional {index: coef}, goal): can sum(coef * x) reach goal?
_OK = highspy.HighsModelStatus.kOptimal
_UNBOUNDED = (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible)
_INFEASIBLE = highspy.HighsModelStatus.kInfeasible


def _highs(n_cols, costs, low, high, rows, row_low, row_high) -> highspy.Highs:
    """Return a HiGHS instance holding the program (rows as {column: coef})."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, len(rows)
    lp.col_cost_ = np.asarray(costs, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    lp.row_lower_, lp.row_upper_ = np.asarray(row_low, dtype=float), np.asarray(row_high, dtype=float)
    start, index, value = [0], [], []
    for row in rows:
        index += list(row)
        value += list(row.values())
        start.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=float)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    return h


class _Solver:
    """The two programs of one system, built once."""

    def __init__(self, system: System):
        self.system = system
        n = self.n = len(system.keys)
        self.value = np.array([v if v is not None else np.nan for v in system.value], dtype=float)
        self.cap = np.array([c if c is not None else np.inf for c in system.cap], dtype=float)
        self.shown = np.array([s == SHOWN for s in system.status], dtype=bool)
        self.new = np.array([s == NEW for s in system.status], dtype=bool)
        self.priced = np.array([c is not None for c in system.cost], dtype=bool)  # may be hidden
        rows = system.eq + system.ub
        row_low = [0.0] * len(system.eq) + [-np.inf] * len(system.ub)
        row_high = [0.0] * len(rows)
        self.reach = _highs(n, np.zeros(n), np.zeros(n), np.full(n, np.inf), rows, row_low, row_high)
        self.reach.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.reach_cost: dict[int, float] = {}
        # The cheapest program: every new cell that may be hidden is x = value + p - m,
        # p and m costing the cell's price per unit (nothing once it is hidden).
        self.movable = [i for i in range(n) if system.status[i] == NEW and system.cost[i] is not None]
        k = len(self.movable)
        links = []
        for j, i in enumerate(self.movable):
            links.append({i: 1.0, n + j: -1.0, n + k + j: 1.0})
        targets = [self.value[i] for i in self.movable]
        # The last row is the goal: its coefficients change with each target.
        self.cheap = _highs(n + 2 * k, np.zeros(n + 2 * k), np.zeros(n + 2 * k), np.full(n + 2 * k, np.inf),
                            rows + links + [{}], row_low + targets + [-np.inf], row_high + targets + [np.inf])
        self.goal_row = len(rows) + k
        self.goal: dict[int, float] = {}
        self.cheap_state = None

    def bounds(self, hidden: set[int], *, caps: bool, free_new: bool) -> tuple[np.ndarray, np.ndarray]:
        low, high = np.zeros(self.n), (self.cap.copy() if caps else np.full(self.n, np.inf))
        out = np.zeros(self.n, dtype=bool)
        out[list(hidden)] = True
        fixed = self.shown | (self.new & ~out & ~(self.priced if free_new else np.zeros(self.n, dtype=bool)))
        low[fixed] = high[fixed] = self.value[fixed]
        return low, high

    def maximise(self, f: dict, hidden: set[int], caps: bool, state: list, limits: dict | None = None):
        """Return (largest value of f, a point reaching it or None when unbounded).

        ``limits`` narrows some bounds ({column: (low, high)}): any point found
        is still admissible, and no target needs to go further.
        """
        h = self.reach
        key = (frozenset(hidden), caps, bool(limits))
        if state[0] != key or limits:
            low, high = self.bounds(hidden, caps=caps, free_new=False)
            for i, (lo, hi) in (limits or {}).items():
                low[i], high[i] = max(low[i], lo), min(high[i], hi)
            h.changeColsBounds(self.n, np.arange(self.n, dtype=np.int32), low, high)
            state[0] = key
        cols = set(self.reach_cost) | set(f)
        idx = np.array(sorted(cols), dtype=np.int32)
        h.changeColsCost(len(idx), idx, np.array([f.get(i, 0.0) for i in idx], dtype=float))
        self.reach_cost = dict(f)
        h.run()
        status = h.getModelStatus()
        if status in _UNBOUNDED:
            return np.inf, None
        if status != _OK:
            raise AssertionError(f"a linear program failed: {status}")
        x = np.array(h.getSolution().col_value[: self.n])
        return float(sum(c * x[i] for i, c in f.items())), x

    def cheapest(self, hidden: set[int], target: Target, caps: bool) -> Cheapest | None:
        h, n, k = self.cheap, self.n, len(self.movable)
        if self.cheap_state != (frozenset(hidden), caps):
            low, high = self.bounds(hidden, caps=caps, free_new=True)
            h.changeColsBounds(n, np.arange(n, dtype=np.int32), low, high)
            price = np.array([0.0 if i in hidden else self.system.cost[i] for i in self.movable], dtype=float)
            h.changeColsCost(2 * k, np.arange(n, n + 2 * k, dtype=np.int32), np.concatenate([price, price]))
            self.cheap_state = (frozenset(hidden), caps)
        f, goal = target
        for i in set(self.goal) | set(f):
            if self.goal.get(i, 0.0) != f.get(i, 0.0):
                h.changeCoeff(self.goal_row, i, f.get(i, 0.0))
        self.goal = dict(f)
        h.changeRowBounds(self.goal_row, goal, np.inf)
        h.run()
        status = h.getModelStatus()
        if status == _INFEASIBLE:
            return None
        if status != _OK:
            raise AssertionError(f"a linear program failed: {status}")
        x = np.array(h.getSolution().col_value)
        if caps:  # (the "not pinned" checks keep the caps)
            _witness(self.system, x[:n], self.value)
        moved = x[n:n + k] + x[n + k:]
        more = {i for j, i in enumerate(self.movable) if moved[j] > TOLERANCE}
        remember(self.system, hidden | more, caps, x[:n])
        return Cheapest(more, x[:n])


class Cheapest(NamedTuple):
    """The answer of the cheapest program."""

    cells: set[int]  # the new cells to hide
    point: np.ndarray  # values admissible once they are hidden (every other new cell at its count)


def _solver(system: System) -> _Solver:
    if system.solver is None or system.solver.n != len(system.keys):
        system.solver = _Solver(system)
    return system.solver


def _witness(system: System, x, value) -> None:
    """Remember the cells that some admissible values move by 1 or more: they are not pinned.

    Hiding more cells later only widens what is admissible, so this stays true.
    """
    with np.errstate(invalid="ignore"):
        system.loose.update(np.flatnonzero(np.abs(x - value) >= 1 - TOLERANCE).tolist())


def reachable(system: System, hidden: set[int], targets: list[Target], *, caps: bool, exact: bool = True) -> list[bool]:
    """Return, for each target, whether some values consistent with what is shown reach its goal.

    Each program maximises one target; the point it finds settles every other
    target it happens to reach too. Without ``exact``, only the quick rounds run
    (False then means "not proven").
    """
    solver = _solver(system)
    proven = [False] * len(targets)
    state = [None]
    points = known(system, hidden, caps)
    # Targets on one cell each go together first: each cell's bound narrowed to its
    # goal, the sum of their progress maximised, until a round proves no more.
    single = [j for j, (f, _) in enumerate(targets) if len(f) == 1]
    for j, ok in zip(single, points.reach_each([targets[j] for j in single])):
        proven[j] = ok  # values found before settle it already
    single = [j for j in single if not proven[j]]
    while len(single) > 1:
        objective, limits = {}, {}
        for j in single:
            (i, c), = targets[j][0].items()
            goal = targets[j][1] / c
            objective[i] = objective.get(i, 0.0) + c
            limits[i] = (goal, np.inf) if c < 0 else (-np.inf, goal)
        _, x = solver.maximise(objective, hidden, caps, state, limits)
        if x is None:
            break
        if caps:
            _witness(system, x, solver.value)
        points.add(x)
        remember(system, hidden, caps, x)
        done = [j for j, ok in zip(single, points.reach_each([targets[j] for j in single])) if ok]
        for j in done:
            proven[j] = True
        if not done:
            break
        single = [j for j in single if not proven[j]]
    already = points.reach_each(targets)
    for j, (f, goal) in enumerate(targets):
        if proven[j] or not exact:
            continue
        if already[j] or points.reach(f, goal):
            proven[j] = True
            continue
        best, x = solver.maximise(f, hidden, caps, state)
        proven[j] = best >= goal - TOLERANCE
        if x is not None:
            points.add(x)
            remember(system, hidden, caps, x)
            if caps:
                _witness(system, x, solver.value)
    if not exact:
        proven = [p or ok for p, ok in zip(proven, points.reach_each(targets))]
    return proven


def remember(system: System, hidden: set[int], caps: bool, x: np.ndarray) -> None:
    """Keep values that the cells in ``hidden`` allow (with the caps, or without).

    Hiding more only widens what is admissible, so they still prove a goal for any
    larger hidden set, and values found with the caps hold without them too.
    """
    system.pool.append((frozenset(hidden), caps, x))


def forget(system: System) -> None:
    """Drop the values and witnesses found so far: they hold for the hidden sets they
    were found with and larger ones, so a fresh start with fewer hidden cells needs this."""
    system.pool = []
    system.loose = set()


def known(system: System, hidden: set[int], caps: bool) -> "_Points":
    """Return the values remembered so far that are admissible for ``hidden`` (and the caps)."""
    points = _Points()
    hidden = frozenset(hidden)
    for allowed, with_caps, x in system.pool:
        if (with_caps or not caps) and allowed <= hidden:
            points.add(x)
    return points


class _Points:
    """Admissible points found so far: any of them reaching a goal proves it."""

    def __init__(self):
        self.rows: list[np.ndarray] = []
        self.matrix = None
        self.high = self.low = None  # each variable's largest and smallest value among the points

    def add(self, x: np.ndarray) -> None:
        self.rows.append(x)
        self.matrix = None
        if self.high is None:
            self.high, self.low = x.copy(), x.copy()
        else:
            np.maximum(self.high, x, out=self.high)
            np.minimum(self.low, x, out=self.low)

    def reach_each(self, targets: list[Target]) -> list[bool]:
        """Return ``reach`` of every target; the targets on one cell in one step."""
        out = [False] * len(targets)
        if not self.rows:
            return out
        single = [j for j, (f, _) in enumerate(targets) if len(f) == 1]
        if single:
            idx = np.array([next(iter(targets[j][0])) for j in single], dtype=np.int64)
            coef = np.array([next(iter(targets[j][0].values())) for j in single], dtype=float)
            goal = np.array([targets[j][1] for j in single], dtype=float)
            best = np.where(coef > 0, self.high[idx] * coef, self.low[idx] * coef)
            for j, hit in zip(single, best >= goal - TOLERANCE):
                out[j] = bool(hit)
        for j, (f, goal) in enumerate(targets):
            if len(f) != 1:
                out[j] = self.reach(f, goal)
        return out

    def reach(self, f: dict, goal: float) -> bool:
        if not self.rows:
            return False
        if len(f) == 1:
            return self.reach_each([(f, goal)])[0]
        if self.matrix is None:
            self.matrix = np.vstack(self.rows)
        idx = np.fromiter(f.keys(), dtype=np.int64, count=len(f))
        coef = np.fromiter(f.values(), dtype=float, count=len(f))
        return bool(np.any(self.matrix[:, idx] @ coef >= goal - TOLERANCE))


def cheapest(system: System, hidden: set[int], target: Target, *, caps: bool) -> Cheapest | None:
    """Return the cheapest set of new cells to hide so that the target's goal can be reached.

    The classic complementary-suppression program: values may leave the true
    counts in hidden cells (free) or in new cells (each at its cost per unit of
    change); the new cells that move are the ones to hide, returned with the values
    found. None if no choice of new cells will do.
    """
    return _solver(system).cheapest(hidden, target, caps)
