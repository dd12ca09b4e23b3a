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


# =============================================================================
# The attacker
# =============================================================================
#
# ``attack`` models a reader who knows every number published for a site and
# all of our public code, and who joins every linked period into ONE linear
# system: the unknowns are the true counts of every cell in every month, the
# knowns are every number shown, and three layers of knowledge constrain them.
#
# 1. The sums the tables declare: each month's table lines and cross-tab
#    margins (the catalogue's relations); a quarter is the sum of its months
#    and a year of its quarters (built in: a period's cell is the sum of its
#    months' cells); "fewer than T" is 1..T-1.
# 2. What holds for every single check-in, DERIVED from the code the app runs,
#    not written by hand. Each answer (a form field; a step with its own
#    validation as one joint answer, as its form cleans it) is an "atom". By
#    perturbing atoms of random check-ins and pushing them through scoring,
#    rules and ``rollups.facts`` we learn which atoms each published family of
#    cells depends on. Each family's atoms form a group; we enumerate every
#    combination of the group's atoms (score bands stand in for their items
#    when a group would be too big, checked to change nothing the group shows)
#    and record each combination's vector of published cells. A month's counts
#    are then a non-negative combination of those vectors ("types"): this holds
#    identities (chronic pain "yes" = most days + every day), inequalities
#    (high-impact <= chronic), results items as functions of answers, and
#    multi-select bounds at once.
# 3. The published means and shares as bounds on score sums (PEG sum over
#    types, rounded mean +- 0.05; shares +- 0.5 percentage points).
#
# Verdicts, on the LP relaxation (HiGHS, warm-started), refined with exact
# integer programs where the relaxation comes close:
# * a hidden cell is RECOVERED when its smallest and largest possible values
#   are the same integer;
# * a hidden cell is PROVEN SMALL when it is at least 1 and at most T-1;
# * a LINE (table line or link between periods) with two or more hidden parts
#   is SMALL when the sum of its hidden parts is proven to lie in 1..T-1.

import itertools  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

EPS = 1e-6
NOT_CHOSEN = "!"  # a published multi-select cell "did not choose"


@dataclass(frozen=True)
class Atom:
    """One thing a person answers: a field, an option of a multi-select, or a step
    whose form checks its fields together (then its domain is what the form keeps)."""

    name: str
    kind: str  # "single", "option" or "joint"
    fields: tuple  # ("sleep",) / ("pain_areas", "head") / ("medicines", "opioid_duration")
    domain: tuple


def _atoms() -> list[Atom]:
    from django.http import QueryDict

    from questionnaire import forms
    from questionnaire import instruments as ins

    out = []
    for step in ins.STEPS:
        if not step.questions:
            continue
        form_class = forms.FORMS[step.slug]
        own = [n for n in vars(form_class) if n == "clean" or n.startswith("clean_")]
        if own:
            raw = []
            for code in step.questions:
                q = ins.BY_CODE[code]
                if q.kind == ins.MULTI:
                    values = [v for v, _ in q.all_choices]
                    raw.append([tuple(c) for r in range(len(values) + 1) for c in itertools.combinations(values, r)])
                else:
                    raw.append([None, *q.values])
            kept = set()
            for combo in itertools.product(*raw):
                data = QueryDict(mutable=True)
                for code, value in zip(step.questions, combo):
                    if isinstance(value, tuple):
                        data.setlist(code, list(value))
                    elif value is not None:
                        data[code] = str(value)
                form = form_class(data=data)
                if form.is_valid():
                    kept.add(tuple(
                        tuple(form.cleaned_data[c]) if isinstance(form.cleaned_data[c], list) else form.cleaned_data[c]
                        for c in step.questions
                    ))
            out.append(Atom("+".join(step.questions), "joint", tuple(step.questions),
                            tuple(sorted(kept, key=repr))))
            continue
        for code in step.questions:
            q = ins.BY_CODE[code]
            if q.kind in (ins.SINGLE, ins.SCALE):
                out.append(Atom(code, "single", (code,), (None, *q.values)))
            elif q.kind == ins.MULTI:
                out += [Atom(ins.multi_field(code, v), "option", (code, v), (False, True)) for v, _ in q.all_choices]
            else:
                states = tuple(v for v, _ in ins.COPING_STATES)
                out += [Atom(ins.coping_field(o), "single", (ins.coping_field(o),), (None, *states)) for o, _ in q.rows]
    return out


def _answers(atoms: list[Atom], assign: dict) -> dict:
    """Return the answers a person with these atom values sends."""
    from questionnaire import instruments as ins

    a = {q.code: [] for q in ins.QUESTIONS if q.kind == ins.MULTI}
    for atom in atoms:
        value = assign.get(atom.name, atom.domain[0])
        if atom.kind == "single":
            a[atom.fields[0]] = value
        elif atom.kind == "option":
            if value:
                a[atom.fields[0]].append(atom.fields[1])
        else:
            for f, v in zip(atom.fields, value):
                a[f] = list(v) if isinstance(v, tuple) else v
    return a


_SITE = {"name": "the community", "contact": ""}


def _observe(answers: dict, has_site: bool, category=None) -> dict:
    """Return {(dimension, category): (count, amount)} one check-in adds, by the app's own code.

    ``category`` maps a rollup's (dimension, value) to the published categories it
    counts in (a tuple: its own, and a month's "rest" of a line; empty: not
    published); the sums behind the means are kept as they are.
    """
    from questionnaire import rollups, rules, scoring
    from questionnaire.services import checkin_fields

    s = scoring.score(answers)
    fields = checkin_fields(answers, s)
    shown = rules.shown_item_ids(rules.evaluate(answers, s, site=_SITE if has_site else None))
    out = {}
    for d, v, amount in rollups.facts(fields, shown):
        for v in category(d, v) if category is not None and (d, v) not in AMOUNTS else (v,):
            c, a = out.get((d, v), (0, 0))
            out[(d, v)] = (c + 1, a + amount)
    return out


AMOUNTS = (("peg_sum", "all"), ("ucla3_sum", "all"))  # behind the published means


def _indicator(key, obs) -> int:
    d, v = key
    if v.startswith(NOT_CHOSEN):
        return 0 if (d, v[1:]) in obs else 1
    return 1 if (d, v) in obs else 0


@dataclass
class Family:
    """Published cells that move together: one single-valued dimension, or one
    option of a multi-select with its "did not choose" cell, or an amount."""

    name: str
    keys: tuple  # (dimension, value) month-level keys
    amount: bool = False

    def vector(self, obs) -> tuple:
        if self.amount:
            c, a = obs.get(self.keys[0], (0, 0))
            return (c, a)
        return tuple(_indicator(k, obs) for k in self.keys)


def _families(keys) -> list[Family]:
    from questionnaire import instruments as ins

    multi = {d for d, v in keys if v.startswith(NOT_CHOSEN)} | {"item"}
    multi |= {q.code for q in ins.QUESTIONS if q.kind == ins.MULTI}
    by = {}
    for d, v in sorted(keys):
        if d == "total":
            continue
        name = f"{d}|{v.lstrip(NOT_CHOSEN)}" if d in multi else d
        by.setdefault(name, []).append((d, v))
    out = [Family(n, tuple(ks)) for n, ks in by.items()]
    out += [Family(k[0], (k,), amount=True) for k in AMOUNTS]
    return out


@dataclass
class Group:
    atoms: tuple  # atom names enumerated
    blocks: tuple  # (compressor family name, atom names) replaced by one value per class
    families: tuple  # names of the families whose cells the types give
    keys: tuple  # the month-level cell keys in the vectors (amount families: count, amount)
    types: list  # one vector per type (ints), in ``keys`` order plus amounts


@dataclass
class Knowledge:
    groups: list
    deps: dict  # family name -> atom names
    seconds: float


CAP = 4000  # most combinations enumerated in one group
SMALL = 200  # a group this small is enumerated as it is
DEP_SAMPLES = 120
VERIFY_SAMPLES = 400


_KNOWLEDGE = {}  # built in a few seconds: kept for the process, never on disk


def _category_name(category) -> str:
    return "as stored" if category is None else f"{category.__module__}.{category.__qualname__}"


def knowledge(keys, has_site: bool, category=None, focus=None) -> Knowledge:
    """Return the groups of the types model for these month-level cells (kept for the process).

    ``focus``: only the groups built for families of these dimensions (a weaker
    attacker, for quick checks of one relation).
    """
    keys = tuple(sorted(set(keys)))
    focus = tuple(sorted(focus)) if focus else None
    cache_key = (keys, has_site, _category_name(category), focus)
    if cache_key not in _KNOWLEDGE:
        _KNOWLEDGE[cache_key] = _build_knowledge(keys, has_site, category, focus)
    return _KNOWLEDGE[cache_key]


def _build_knowledge(keys, has_site, category=None, focus=None) -> Knowledge:
    start = time.perf_counter()
    atoms = _atoms()
    by_name = {a.name: a for a in atoms}
    families = _families(keys)
    fam = {f.name: f for f in families}
    rng = random.Random(13)
    seen: dict = {}

    def observe(assign):
        key = tuple(sorted((k, v) for k, v in assign.items() if v != by_name[k].domain[0]))
        if key not in seen:
            seen[key] = _observe(_answers(atoms, assign), has_site, category)
        return seen[key]

    def vectors(obs):
        return {f.name: f.vector(obs) for f in families}

    deps = {f.name: set() for f in families}

    def learn(assign, only=None):
        """Change one atom at a time of this check-in; note which families move."""
        base = vectors(observe(assign))
        for atom in atoms:
            other = dict(assign)
            other[atom.name] = rng.choice([v for v in atom.domain if v != assign[atom.name]])
            for name, vec in vectors(observe(other)).items():
                if vec != base[name] and (only is None or name in only):
                    deps[name].add(atom.name)

    for _ in range(DEP_SAMPLES):
        learn({a.name: rng.choice(a.domain) for a in atoms})

    while True:
        groups = _plan(families, deps, by_name, observe, rng, focus)
        # Check on fresh random check-ins that each group's vectors are what the
        # app gives; a miss means a dependency the sampling did not see: learn it.
        missed = set()
        for _ in range(VERIFY_SAMPLES):
            assign = {a.name: rng.choice(a.domain) for a in atoms}
            obs = observe(assign)
            for g in groups:
                if _group_vector(g, fam, obs) not in g.types_set:
                    missed |= set(g.families)
                    learn(assign, only=set(g.families))
            if missed:
                break
        if not missed:
            break
    for g in groups:
        del g.types_set
    return Knowledge(groups, {k: tuple(sorted(v)) for k, v in deps.items()}, time.perf_counter() - start)


def _group_vector(g, fam, obs) -> tuple:
    out = []
    for name in g.families:
        out += fam[name].vector(obs)
    return tuple(out)


def _plan(families, deps, by_name, observe, rng, focus=None) -> list:
    """Choose the groups (biggest first, dropping any whose cells another gives) and enumerate them."""
    fam = {f.name: f for f in families}
    sets = {frozenset(d) for name, d in deps.items() if focus is None or name.split("|")[0] in focus}
    plans = []
    for atom_set in sorted(sets, key=lambda s: (-len(s), sorted(s))):
        plan = _compress(atom_set, families, deps, by_name, observe, rng)
        if plan is not None:
            plans.append(plan)
    kept = []
    for plan in sorted(plans, key=lambda p: -len(p[2])):
        if any(set(plan[2]) <= set(k[2]) for k in kept):
            continue
        kept.append(plan)
    groups = []
    for names, blocks, visible in kept:
        free = [n for n in names if not any(n in b[1] for b in blocks)]
        units = [[{n: v} for v in by_name[n].domain] for n in free]
        units += [[members[0] for members in classes] for _, _, classes in blocks]
        types = set()
        for combo in itertools.product(*units):
            assign = {}
            for part in combo:
                assign.update(part)
            obs = observe(assign)
            out = []
            for name in visible:
                out += fam[name].vector(obs)
            types.add(tuple(out))
        keys = []
        for name in visible:
            f = fam[name]
            keys += [f.keys[0] + ("count",), f.keys[0] + ("amount",)] if f.amount else list(f.keys)
        g = Group(tuple(names), tuple((f, b) for f, b, _ in blocks), tuple(visible), tuple(keys), sorted(types))
        g.types_set = types
        groups.append(g)
    return groups


def _compress(atom_set, families, deps, by_name, observe, rng):
    """Return (atoms, blocks, visible families) of one group, compressing blocks of
    atoms by a band or flag when the group is too big; None if it stays too big."""
    names = sorted(atom_set)
    size = math.prod(len(by_name[n].domain) for n in names)
    inside = [f for f in families if deps[f.name] <= atom_set]
    blocks = []
    if size > SMALL:
        # Compressors: single-valued families of two or more atoms inside the group,
        # with fewer values than combinations (score bands); biggest saving first.
        # A block is compressed only inside a bigger group: the block's own group
        # (its atoms alone) keeps every item, band and sum of it.
        candidates = []
        for f in inside:
            block = deps[f.name]
            combos = math.prod(len(by_name[n].domain) for n in block)
            if (f.amount or len(block) < 2 or "*" in f.name or "|" in f.name or len(f.keys) >= combos
                    or block == atom_set):
                continue
            candidates.append((combos / len(f.keys), f, block))
        used = set()
        for _, f, block in sorted(candidates, key=lambda c: (-c[0], c[1].name)):
            if block & used:
                continue
            classes = {}
            for combo in itertools.product(*(by_name[n].domain for n in sorted(block))):
                assign = dict(zip(sorted(block), combo))
                classes.setdefault(f.vector(observe(assign)), []).append(assign)
            blocks.append((f.name, tuple(sorted(block)), list(classes.values())))
            used |= block
            size = size // math.prod(len(by_name[n].domain) for n in block) * len(classes)
        if size > CAP:
            return None
    free = [n for n in names if not any(n in b[1] for b in blocks)]
    visible = list(inside)
    # With a block compressed, a family is shown by the group only if it stays the
    # same within every class (checked on random contexts).
    for _ in range(12 if blocks else 0):
        context = {n: rng.choice(by_name[n].domain) for n in free}
        for fname, _, classes in blocks:
            others = {}
            for f2, _, c2 in blocks:
                if f2 != fname:
                    others.update(rng.choice(rng.choice(c2)))
            for members in classes:
                seen = {}
                for member in rng.sample(members, min(5, len(members))):
                    obs = observe({**context, **others, **member})
                    for f in visible:
                        seen.setdefault(f.name, set()).add(f.vector(obs))
                visible = [f for f in visible if len(seen[f.name]) == 1]
    if not visible:
        return None
    return names, blocks, tuple(f.name for f in visible)


# --- The linear system over every linked period ------------------------------

import re  # noqa: E402

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_WINDOW = re.compile(r"^(\d{4})-Q([1-4])-4Q$")  # the four quarters ending with that one


def _window_quarters(label: str) -> list[str]:
    m = _WINDOW.match(label)
    end = int(m.group(1)) * 4 + int(m.group(2)) - 1
    return [f"{q // 4}-Q{q % 4 + 1}" for q in range(end - 3, end + 1)]


def months_of(label: str) -> list[str]:
    """Return the month labels a published period adds up."""
    if _MONTH.match(label):
        return [label]
    if _WINDOW.match(label):
        return [m for q in _window_quarters(label) for m in months_of(q)]
    if m := _QUARTER.match(label):
        y, q = int(m.group(1)), int(m.group(2))
        return [f"{y}-{3 * q - 2 + i:02d}" for i in range(3)]
    if m := _YEAR.match(label):
        return [f"{int(m.group(1))}-{i:02d}" for i in range(1, 13)]
    raise ValueError(f"not a period label: {label!r}")


def parts_of(label: str) -> list[str]:
    """Return the periods a period is declared the sum of (a quarter's months, a year's or window's quarters)."""
    if _WINDOW.match(label):
        return _window_quarters(label)
    if _QUARTER.match(label):
        return months_of(label)
    if _YEAR.match(label):
        return [f"{label}-Q{q}" for q in range(1, 5)]
    return []


# The published means and shares: name -> how they are computed (as the tables say).
# A share is (numerator cell, cell left out of the denominator or None), in percent.
DERIVED = {
    "mean_peg": ("mean", ("peg_sum", "all"), 10),  # PEG sums are kept in tenths
    "mean_ucla3": ("mean", ("ucla3_sum", "all"), 1),
    "share_chronic_pain": ("share", ("chronic_pain", "yes"), None),
    "share_high_impact": ("share", ("high_impact_chronic_pain", "yes"), None),
    "share_long_term_opioid": ("share", ("long_term_opioid", "yes"), None),
    "share_support_usually": ("share", ("support", "always_usually"), None),
    "checkins": ("same", ("total", "all")),
}
# Before issue 13's rewrite: the share with chronic pain was among those whose answers tell.
DERIVED_BEFORE = {
    **{k: v for k, v in DERIVED.items() if k.startswith("mean")},
    "share_chronic_pain": ("share", ("chronic_pain", "yes"), ("chronic_pain", "unknown")),
}


@dataclass
class Finding:
    what: str
    low: int
    high: int
    truth: int | None = None
    withheld: bool = False  # small only because a period of it was withheld as too small

    def __str__(self):
        value = f"exactly {self.low}" if self.low == self.high else f"{self.low}..{self.high}"
        return (f"{self.what}: {value}" + ("" if self.truth is None else f" (true {self.truth})")
                + (" [by a withheld period]" if self.withheld else ""))


@dataclass
class Report:
    layers: int
    threshold: int
    periods: int
    attacked_cells: int = 0
    attacked_lines: int = 0
    attacked_latent: int = 0  # cells of published months that are never published
    latent: set = field(default_factory=set)  # their names
    recovered: list = field(default_factory=list)
    proven_small: list = field(default_factory=list)
    small_lines: list = field(default_factory=list)
    capped: list = field(default_factory=list)  # hidden, at most T-1, possibly 0
    ignored_derived: set = field(default_factory=set)
    open_after_batch: int = 0
    capped_by_withheld: list = field(default_factory=list)  # at most T-1 only through "fewer than T"
    lp_solves: int = 0
    milp_solves: int = 0
    milp_nodes: int = 0  # the most branch-and-bound nodes one integer program used
    seconds: float = 0.0
    columns: int = 0
    rows: int = 0

    @property
    def recovered_small(self) -> list:
        return [f for f in self.recovered if 1 <= f.low <= self.threshold - 1]

    @property
    def capped_nonzero(self) -> list:
        """Capped cells whose true count (when known) is 1 or more: a small count that cannot reach T."""
        return [f for f in self.capped if f.truth is None or f.truth >= 1]

    @property
    def clean(self) -> bool:
        """No leak the tables themselves make (smallness a withheld period gives away is its own rule's)."""
        return not (self.recovered or [f for f in self.proven_small if not f.withheld] or self.small_lines
                    or [f for f in self.capped_nonzero if not f.withheld])

    def summary(self) -> str:
        out = [
            f"layer {self.layers}: {self.attacked_cells} hidden cells, {self.attacked_latent} never-published month "
            f"cells and {self.attacked_lines} lines attacked "
            f"over {self.periods} periods ({self.columns} unknowns, {self.rows} relations, {self.lp_solves} LPs, "
            f"{self.milp_solves} integer programs, {self.seconds:.1f} s)",
            f"  recovered exactly: {len(self.recovered)} ({len(self.recovered_small)} of them 1..{self.threshold - 1})",
            f"  proven 1..{self.threshold - 1}: {len(self.proven_small)}",
            f"  lines whose hidden parts sum to 1..{self.threshold - 1}: {len(self.small_lines)}",
            f"  proven at most {self.threshold - 1} (0 allowed): {len(self.capped)}"
            f" ({len(self.capped_nonzero)} not known to be 0)",
        ]
        for title, items in (("recovered", self.recovered), ("proven small", self.proven_small),
                             ("small line", self.small_lines), ("capped", self.capped)):
            out += [f"    {title}: {f}" for f in items[:5]]
        return "\n".join(out)


class _System:
    """Rows over columns: the unknown month counts x[m, key] and type counts y[m, group, type]."""

    def __init__(self):
        self.ncols = 0
        self.rows = []  # (cols, coefs, low, high)
        self.fewer = []  # rows saying a withheld period has at most T-1 check-ins

    def columns(self, n: int) -> range:
        start = self.ncols
        self.ncols += n
        return range(start, start + n)

    def add(self, expr: dict, low: float, high: float):
        expr = {c: v for c, v in expr.items() if v}
        if expr:
            self.rows.append((list(expr), list(expr.values()), low, high))


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def attack(publications: dict, relations, *, threshold: int, has_site: bool = True, layers: int = 3,
           truth: dict | None = None, integer_checks: bool = True, category=None, derived_spec=None,
           only=None, focus=None, unpublished: bool = True) -> Report:
    """Attack everything published for one site at once; return what gives way.

    ``publications``: {period label: {"cells": {"period|dimension|value": count or
    a marker}, "derived": {period label: {name: value or None}}}}.
    ``relations``: the sums one month's tables declare, as ((dimension, value),
    [(dimension, value), ...]); the same hold in every period.
    ``truth`` (optional): true counts by cell code, to check the model never
    excludes the truth and to show it next to each finding.
    ``category``: the public mapping from a check-in's stored values to the
    published categories it counts in (``stats.catalogue.categories``); None: cells are the
    stored values, "!value" the check-ins that did not choose a value.
    ``derived_spec``: how the published means and shares are made (``DERIVED``).
    ``only``: attack only the cells and lines whose name it accepts (the model
    still holds every period).
    ``focus``: layer 2 only with the groups of these dimensions (quicker, weaker).
    ``unpublished``: attack too every cell of a published month that is never
    published (its finer cells), as unknowns tied to its quarter and its means.
    """
    derived_spec = DERIVED if derived_spec is None else derived_spec
    start = time.perf_counter()
    t = threshold
    values = {}
    for label, pub in publications.items():
        for code, value in pub["cells"].items():
            p, d, v = code.split("|", 2)
            values[(p, (d, v))] = value
    # Every cell of a month: the published ones and those the declared sums name.
    keys = sorted({k for _, k in values} | {k for whole, parts in relations for k in (whole, *parts)})
    total = ("total", "all")
    labels = sorted(publications)
    withheld = {p for p in labels if not _is_count(values.get((p, total)))
                and values.get((p, total)) == "fewer"}
    months = sorted({m for p in labels for m in months_of(p)})
    active = [m for m in months if values.get((m, total)) != 0]
    report = Report(layers, t, len(labels))

    sys_ = _System()
    col = {}
    for m in active:
        for k, c in zip(keys, sys_.columns(len(keys))):
            col[(m, k)] = c

    def cell(p, k) -> dict:
        return {col[(m, k)]: 1 for m in months_of(p) if (m, k) in col}

    # Every shown number, and "fewer than T".
    for (p, k), value in values.items():
        expr = cell(p, k)
        if _is_count(value):
            if not expr and value:
                raise AssertionError(f"{p}|{k} is shown as {value} but its months are all empty")
            sys_.add(expr, value, value)
        elif value == "fewer" and k == total:
            sys_.fewer.append(len(sys_.rows))
            sys_.add(expr, 1, t - 1)
    # Layer 1: the sums each month's tables declare.
    for m in active:
        for whole, parts in relations:
            expr = {col[(m, whole)]: -1}
            for part in parts:
                expr[col[(m, part)]] = expr.get(col[(m, part)], 0) + 1
            sys_.add(expr, 0, 0)
    amounts = {}  # (month, amount key) -> expr over type columns
    if layers >= 2:
        know = knowledge(keys, has_site, category, focus)
        for g in know.groups:
            matrix = np.array(g.types, dtype=float).T  # keys x types
            for m in active:
                ycols = list(sys_.columns(len(g.types)))
                sys_.add({col[(m, total)]: -1, **dict.fromkeys(ycols, 1)}, 0, 0)
                for i, key in enumerate(g.keys):
                    coefs = {c: a for c, a in zip(ycols, matrix[i]) if a}
                    if len(key) == 3:
                        amounts.setdefault((m, key), coefs)
                        continue
                    if (m, key) not in col:
                        continue
                    coefs[col[(m, key)]] = coefs.get(col[(m, key)], 0) - 1
                    sys_.add(coefs, 0, 0)
    if layers >= 3:
        derived = {}
        for pub in publications.values():
            for label, numbers in (pub.get("derived") or {}).items():
                for name, value in (numbers or {}).items():
                    if value is not None:
                        derived[(label, name)] = value
        for (label, name), value in derived.items():
            spec = derived_spec.get(name)
            if spec is None or label in withheld:
                report.ignored_derived.add(name)
                continue
            if spec[0] == "mean":
                _, key, scale = spec
                count, amount = {}, {}
                for m in months_of(label):
                    for c, a in amounts.get((m, key + ("count",)), {}).items():
                        count[c] = count.get(c, 0) + a
                    for c, a in amounts.get((m, key + ("amount",)), {}).items():
                        amount[c] = amount.get(c, 0) + a
                if not count:
                    report.ignored_derived.add(name)
                    continue
                # The rule that shows a mean: its group holds T check-ins or more.
                sys_.add(count, t, np.inf)
                # round(sum / count, 1) == value: sum/scale within value +- 0.05 of count.
                for bound, side in ((value + 0.05 + 1e-9, "high"), (value - 0.05 - 1e-9, "low")):
                    expr = {c: a / scale for c, a in amount.items()}
                    for c, a in count.items():
                        expr[c] = expr.get(c, 0) - bound * a
                    sys_.add(expr, -np.inf if side == "high" else 0, 0 if side == "high" else np.inf)
            elif spec[0] == "same":
                sys_.add(cell(label, spec[1]), value, value)
            else:
                _, yes, unknown = spec
                share_yes, share_known = cell(label, yes), cell(label, total)
                for c, a in (cell(label, unknown) if unknown else {}).items():
                    share_known[c] = share_known.get(c, 0) - a
                for bound, side in ((value + 0.5 + 1e-9, "high"), (value - 0.5 - 1e-9, "low")):
                    expr = {c: 100 * a for c, a in share_yes.items()}
                    for c, a in share_known.items():
                        expr[c] = expr.get(c, 0) - bound * a
                    sys_.add(expr, -np.inf if side == "high" else 0, 0 if side == "high" else np.inf)

    # What is attacked: every hidden cell of a published period, and every line
    # with two or more hidden parts.
    targets = []  # (kind, name, expr, known value or None)
    for (p, k), value in sorted(values.items()):
        if p in withheld or _is_count(value):
            continue
        expr = cell(p, k)
        name = f"{p}|{k[0]}|{k[1]}"
        if expr and (only is None or only(name)):
            targets.append(("cell", name, expr, None))
    for p in labels:
        if p in withheld:
            continue
        lines = [((p, whole), [(p, part) for part in parts]) for whole, parts in relations]
        lines += [((p, k), [(q, k) for q in parts_of(p)]) for k in keys] if parts_of(p) else []
        for (wp, wk), parts in lines:
            if (wp, wk) not in values or any(part not in values for part in parts):
                continue  # not a line of a printed table
            hidden = [(q, k) for q, k in parts if not _is_count(values.get((q, k)))]
            if len(hidden) < 2:
                continue
            name = f"{wp}|{wk[0]}|{wk[1]} = " + " + ".join(f"{q}|{k[0]}|{k[1]}" for q, k in parts)
            if only is not None and not only(name):
                continue
            whole = values.get((wp, wk))
            if _is_count(whole):
                rest = whole - sum(values[(q, k)] for q, k in parts if (q, k) not in hidden)
                targets.append(("line", name, None, rest))
            else:
                expr = {}
                for q, k in hidden:
                    for c, a in cell(q, k).items():
                        expr[c] = expr.get(c, 0) + a
                targets.append(("line", name, expr, None))
    # A month's cells that are never published: unknowns tied to its quarter, its
    # total and its means all the same (not in a month withheld for fewer than T,
    # where every count is small by that rule).
    if unpublished:
        for m in active:
            if m in withheld or (m, total) not in values:
                continue
            for k in keys:
                name = f"{m}|{k[0]}|{k[1]}"
                if (m, k) not in values and (m, k) in col and (only is None or only(name)):
                    targets.append(("latent", name, cell(m, k), None))
    report.attacked_cells = sum(1 for kind, *_ in targets if kind == "cell")
    report.latent = {name for kind, name, *_ in targets if kind == "latent"}
    report.attacked_latent = len(report.latent)
    report.attacked_lines = sum(1 for kind, *_ in targets if kind == "line")
    report.columns, report.rows = sys_.ncols, len(sys_.rows)

    bounds = _solve(sys_, [(e, k, name) for _, name, e, k in targets], t, report, integer_checks)
    for (kind, name, _, _), (low, high) in zip(targets, bounds):
        true = truth.get(name) if truth and kind != "line" else None
        if true is not None and not low <= true <= high:
            raise AssertionError(f"the attack's model excludes the truth: {name} = {true}, model says {low}..{high}")
        finding = Finding(name, low, high, true, name in report.capped_by_withheld)
        if kind == "latent":
            # A never-published count worked out exactly is a finding when it is small:
            # a 0 or a count of T or more could have been shown (a line shown whole pins
            # its zeros; a month's "rest" shown with its "cannot tell" cells all 0 is its "no").
            if low == high and 1 <= low <= t - 1:
                report.recovered.append(finding)
            elif 1 <= low and high <= t - 1:
                report.proven_small.append(finding)
            elif low < high <= t - 1:
                report.capped.append(finding)
            continue
        if kind == "cell" and low == high:
            report.recovered.append(finding)
        elif kind == "cell" and 1 <= low and high <= t - 1:
            report.proven_small.append(finding)
        elif kind == "cell" and high <= t - 1:
            report.capped.append(finding)
        if kind == "line" and 1 <= low and high <= t - 1:
            report.small_lines.append(finding)
    report.seconds = time.perf_counter() - start
    return report


def _solve(sys_: _System, targets, t: int, report: Report, integer_checks: bool) -> list:
    """Return (lowest, highest) integer value of each target expression (a known
    value stays as it is); LP bounds, tightened by integer programs near a verdict.

    Most targets are settled in a few linear programs: one that pushes every
    unsettled target towards T at once (auxiliary z_j <= target_j, z_j <= T,
    maximise the sum of z), and ones that push them all down. Only a target
    no such point settles gets its own two linear programs.
    """
    import highspy
    from scipy.sparse import coo_matrix

    out = [None] * len(targets)
    todo = []
    for j, (expr, known, *_) in enumerate(targets):
        if expr is None:
            out[j] = (known, known)
        else:
            todo.append(j)
    if not todo:
        return out
    n, k = sys_.ncols, len(todo)
    r, c, v, lo, hi = [], [], [], [], []
    for i, (cols, coefs, low, high) in enumerate(sys_.rows):
        r += [i] * len(cols)
        c += cols
        v += coefs
        lo.append(low)
        hi.append(high)
    m0 = len(sys_.rows)
    er, ec, ev = [], [], []
    for row, j in enumerate(todo):
        for cc, vv in targets[j][0].items():
            er.append(row)
            ec.append(cc)
            ev.append(vv)
    e = coo_matrix((ev, (er, ec)), shape=(k, n)).tocsr()
    # z_j - target_j <= 0 for the witness program.
    r += [m0 + x for x in er] + [m0 + row for row in range(k)]
    c += ec + [n + row for row in range(k)]
    v += [-x for x in ev] + [1.0] * k
    inf = highspy.kHighsInf
    lo += [-inf] * k
    hi += [0.0] * k
    a = coo_matrix((v, (r, c)), shape=(m0 + k, n + k)).tocsc()

    def model(integer: bool):
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n + k, m0 + k
        lp.col_cost_ = np.zeros(n + k)
        lp.col_lower_ = np.zeros(n + k)
        lp.col_upper_ = np.concatenate([np.full(n, inf), np.full(k, float(t))])
        lp.row_lower_ = np.array(lo, dtype=np.float64)  # numpy's infinities are HiGHS's
        lp.row_upper_ = np.array(hi, dtype=np.float64)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data.astype(np.float64)
        if integer:  # every count and type count whole; the witnesses z stay continuous
            lp.integrality_ = [highspy.HighsVarType.kInteger] * n + [highspy.HighsVarType.kContinuous] * k
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        for option, value in SOLVER_OPTIONS.items():
            h.setOptionValue(option, value)
        if integer:
            # Limits in work, not seconds: the same search on an idle or a busy machine.
            h.setOptionValue("mip_max_nodes", INTEGER_NODES)
            h.setOptionValue("mip_rel_gap", 0.0)
        status = h.passModel(lp)
        if status != highspy.HighsStatus.kOk:
            raise AssertionError(f"HiGHS refused the attack's program: {status}")
        return h

    h = model(False)
    solvers = {"lp": h}
    everything = np.arange(n + k, dtype=np.int32)

    def run(cost, solver=None) -> np.ndarray | None:
        """Minimise cost . (x, z); return x, or None if unbounded."""
        solver = solver or h
        full = np.zeros(n + k)
        full[: len(cost)] = cost
        solver.changeColsCost(n + k, everything, full)
        t0 = time.process_time()
        solver.run()
        report.lp_solves += 1
        if DEBUG:
            print(f"    LP {time.process_time() - t0:.2f} s, {solver.getInfo().simplex_iteration_count} iterations")
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return np.array(solver.getSolution().col_value)[:n]
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return None
        raise AssertionError(f"the attack's linear program failed: {solver.modelStatusToString(status)} "
                             "(the published numbers contradict the model)")

    low_seen = np.full(k, np.inf)
    high_seen = np.full(k, -np.inf)

    def note(x):
        vals = e @ x
        np.minimum(low_seen, vals, out=low_seen)
        np.maximum(high_seen, vals, out=high_seen)

    def settled():
        two = np.floor(high_seen + EPS) - np.ceil(low_seen - EPS) >= 1
        return two & (high_seen >= t - EPS)

    note(run(np.zeros(n)))
    rng = np.random.default_rng(7)
    for _ in range(12):
        open_ = ~settled()
        if not open_.any():
            break
        before = open_.sum()
        # Push every open target towards T at once.
        up = open_ & (high_seen < t - EPS)
        if up.any():
            cost = np.zeros(n + k)
            cost[n:] = -np.where(up, rng.uniform(0.5, 1.5, k), 0.0)
            note(run(cost))
        # And down, and up again without the cap.
        for sense in (1, -1):
            weights = np.where(~settled(), rng.uniform(0.5, 1.5, k), 0.0)
            if weights.any():
                x = run(sense * (e.T @ weights))
                if x is not None:
                    note(x)
        if (~settled()).sum() > 0.9 * before:
            break
    # One by one for the rest: exact LP bounds (each point found may settle others).
    report.open_after_batch = int((~settled()).sum())
    if DEBUG:
        print("open after batch", report.open_after_batch, "of", k, "LPs", report.lp_solves)
    for row in np.nonzero(~settled())[0]:
        if settled()[row]:
            continue
        vec = e.getrow(row).toarray().ravel()
        x = run(-vec)
        high = vec @ x if x is not None else np.inf
        if x is not None:
            note(x)
        if settled()[row]:
            continue
        x = run(vec)
        low = vec @ x if x is not None else 0
        if x is not None:
            note(x)
        bounds = _round_bounds(low, high)
        if bounds[1] <= t - 1 and bounds[0] < bounds[1] and sys_.fewer:
            # Smallness that follows from "fewer than T" alone was given away by the
            # rule that withholds a small period, not by the tables: ask again without it.
            for i in sys_.fewer:
                h.changeRowBounds(i, 1, inf)
            x = run(-vec)
            for i in sys_.fewer:
                h.changeRowBounds(i, 1, t - 1)
            wider = _round_bounds(0, vec @ x if x is not None else np.inf)[1]
            if wider > bounds[1]:
                # Reported, but as given away by the withheld period, not by the tables.
                report.capped_by_withheld.append(targets[todo[row]][2])
        quiet = targets[todo[row]][2] in report.latent and (bounds[1] == 0 or bounds[0] >= t)
        if integer_checks and _near_verdict(bounds, t) and not quiet:
            # (a never-published cell pinned at 0, or at T or more, is no finding, and
            # whole numbers cannot make it one: no integer programs for it)
            if "int" not in solvers:
                solvers["int"] = model(True)
            hint = solvers["int"]
            bounds = _integer_bounds(hint, n + k, vec, bounds, report)
        out[todo[row]] = bounds
        if DEBUG:
            print("  exact", targets[todo[row]][2] if len(targets[todo[row]]) > 2 else row, bounds, low_seen[row], high_seen[row])
    for row, j in enumerate(todo):
        if out[j] is None:
            # Settled by the points found: two whole values fit, and so does T.
            # No verdict, so no exact range is needed.
            out[j] = (0, 10**9)
    return out


def _round_bounds(low, high):
    lo = max(0, math.ceil(low - EPS)) if np.isfinite(low) else 0
    hi = math.floor(high + EPS) if np.isfinite(high) else 10**9
    return (lo, hi)


def _near_verdict(bounds, t) -> bool:
    lo, hi = bounds
    return hi - lo <= 1 or (lo == 0 and hi <= t - 1) or (lo >= 1 and hi == t) or (lo == 0 and hi == t)


# Branch-and-bound nodes one integer program may use. When it stops there, what
# it has proven (the dual bound) is still a bound, only a looser one.
INTEGER_NODES = 1000
SOLVER_OPTIONS = {}
DEBUG = False


def _integer_bounds(h, ncols, vec, bounds, report):
    """Tighten LP bounds with integer programs (every count and type count whole)."""
    import highspy

    lo, hi = bounds
    everything = np.arange(ncols, dtype=np.int32)
    full = np.zeros(ncols)
    full[: len(vec)] = vec
    for sense in (1, -1):
        h.changeColsCost(ncols, everything, sense * full)
        h.run()
        report.milp_solves += 1
        status = h.getModelStatus()
        report.milp_nodes = max(report.milp_nodes, h.getInfo().mip_node_count)
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kSolutionLimit):
            continue  # kSolutionLimit: stopped at INTEGER_NODES
        # The dual bound is what is proven (the objective itself when solved to optimality).
        best = h.getInfo().mip_dual_bound
        if not np.isfinite(best):
            continue
        if sense == 1:
            lo = max(lo, math.ceil(best - EPS))
        else:
            hi = min(hi, math.floor(-best + EPS))
    return (lo, hi)


# --- Reading what a site published ----------------------------------------


def site_publications(site_key: int, threshold: int) -> dict:
    """Return every publication of a site as the attacker reads it (cells and derived numbers)."""
    from stats.models import Publication

    return {
        p.period: {"cells": p.data["cells"], "derived": p.data.get("derived") or {}}
        for p in Publication.objects.filter(site_key=site_key, threshold=threshold)
    }


def month_relations() -> list:
    """Return the sums one month's tables declare, from the catalogue staff tables are built on."""
    from stats import catalogue, periods

    cat = catalogue.build(periods.parse("2026-01"))
    return [((t[1], t[2]), [(p[1], p[2]) for p in parts]) for t, parts in cat.relations]


def site_truth(site_key: int, labels, until) -> dict:
    """Return the true count of every cell of these periods (for checking the attack itself)."""
    from stats import periods
    from stats.counts import Counts

    counts = Counts(site_key, until)
    out = {}
    for label in labels:
        for key, value in counts.of(periods.parse(label)).items():
            out["|".join(key)] = value
    return out


# --- Generated sites of the kinds the attack of issue 20 was run on ----------------------

import contextlib  # noqa: E402


@contextlib.contextmanager
def skipping(factor: float):
    """Make every question skipped and "prefer not to say" ``factor`` times as often."""
    saved = dict(_synthetic().SKIP), dict(_synthetic().PREFER)
    _synthetic().SKIP.update({k: min(0.45, v * factor) for k, v in saved[0].items()})
    _synthetic().PREFER.update({k: min(0.3, v * factor) for k, v in saved[1].items()})
    try:
        yield
    finally:
        _synthetic().SKIP.clear(), _synthetic().PREFER.clear()
        _synthetic().SKIP.update(saved[0]), _synthetic().PREFER.update(saved[1])


def _steady(rng):
    return _synthetic().monthly_volumes(rng, 12, low=13, high=50)


# The kinds of site the attack was run on: (sizes of the 12 months, answers
# of one check-in given the site's own shared answers, how much more often skipped).
KINDS = {
    "steady": (_steady, lambda rng, usual: _synthetic().answers(rng), 1),
    "uneven": (lambda rng: [rng.choice((0, 0, 3, 5, 11, 14, 18, 25, 40, 60)) for _ in range(12)],
               lambda rng, usual: _synthetic().answers(rng), 1),
    "alike": (_steady, lambda rng, usual: usual if rng.random() < 0.85 else _synthetic().answers(rng), 1),
    "skipping": (_steady, lambda rng, usual: _synthetic().answers(rng), 8),
    "tiny": (lambda rng: [rng.randint(0, 12) for _ in range(12)], lambda rng, usual: _synthetic().answers(rng), 1),
}


def _synthetic():
    from questionnaire import synthetic

    return synthetic


def site_answers(rng, kind: str, sizes) -> list[list[dict]]:
    """Return each month's check-ins' answers for a site of this kind."""
    _, draw, factor = KINDS[kind]
    with skipping(factor):
        usual = _synthetic().answers(rng)
        return [[draw(rng, usual) for _ in range(size)] for size in sizes]
