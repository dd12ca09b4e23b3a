"""Every relation between published cells that our public logic implies, read off
the code itself.

An attacker who knows the instruments, the forms, the scoring and the rollups
knows more than the sums the tables print: chronic pain "yes" is pain on most
days plus every day; high-impact chronic pain needs chronic pain; a band of the
PEG mean is tied to the bands of its three items; the UCLA-3 sum behind the mean
is a weighted count of the item answers; an opioid duration is only kept for a
prescribed opioid. Rather than list such facts by hand (and miss the next rule),
this module finds them:

1. **Which answers each published dimension depends on**: by changing one answer
   at a time, on a few fixed sets of answers, and watching the published cells
   (through ``scoring``, ``services.checkin_fields``, ``rollups.facts`` and
   ``catalogue.category``, exactly as a real check-in goes) and the step forms'
   cleaning (an answer that cleaning drops or changes links the two).
2. **Linked groups**: answers that share a dimension (or a form rule) are one
   group; a multi-select question is a group of its own.
3. **Classes**: every combination of a group's answers that the step forms
   accept is pushed through the same functions; the combinations that land in
   the same published cells form one class, with the range of what each adds
   to the sums behind the means.

Each group then gives the suppressor exact linear relations with one unknown
count per class and month ("latent" counts, never published): every published
cell of the group is the sum of its classes, all classes add up to the total,
and each sum behind a mean lies between the classes' smallest and largest
contributions. Cross-tabs join two groups only through their margins (the
tables print both), which keeps the relations exact without a joint of all
answers. ``identities`` also lists the plain sums among published cells that
follow (chronic pain "yes" = "most days" + "every day"), for checks of lines.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass

from questionnaire import instruments as ins
from questionnaire import rollups, scoring
from questionnaire.forms import FORMS
from questionnaire.services import checkin_fields

from . import catalogue

SUMS = ("peg_sum", "ucla3_sum")  # rollup dimensions holding the sums behind means
_PROBES = 6  # fixed sets of answers on which each answer is varied


@dataclass(frozen=True)
class Answer:
    """One stored answer: a question, or one row of the coping grid."""

    key: str
    step: str
    values: tuple  # every value a form can hand over, None (not answered) first
    multi: bool = False


def answers_catalogue() -> tuple[Answer, ...]:
    """Return every answer of the check-in with all the values it can take."""
    step_of = {code: step.slug for step in ins.STEPS for code in step.questions}
    out = []
    for q in ins.QUESTIONS:
        if q.kind == ins.MULTI:
            options = [v for v, _ in q.all_choices]
            subsets = [list(c) for n in range(len(options) + 1) for c in itertools.combinations(options, n)]
            out.append(Answer(q.code, step_of[q.code], tuple(subsets), multi=True))
        elif q.kind == ins.GRID:
            out += [Answer(ins.coping_field(o), step_of[q.code], (None,) + tuple(v for v, _ in ins.COPING_STATES))
                    for o, _ in q.rows]
        else:
            out.append(Answer(q.code, step_of[q.code], (None,) + tuple(q.values)))
    return tuple(out)


ANSWERS = {a.key: a for a in answers_catalogue()}


def _clean(answers: dict, keys) -> dict | None:
    """Return the answers as the step forms clean them, or None if a form refuses them."""
    out = dict(answers)
    for step in {ANSWERS[k].step for k in keys}:
        data = {}
        for a in ANSWERS.values():
            if a.step != step:
                continue
            value = answers.get(a.key)
            if a.multi:
                if value:
                    data[a.key] = list(value)
            elif value is not None:
                data[a.key] = str(value)
        form = FORMS[step](data=_QueryDict(data))
        if not form.is_valid():
            return None
        for a in ANSWERS.values():
            if a.step == step:
                value = form.cleaned_data.get(a.key)
                out[a.key] = list(value) if a.multi else value
    return out


class _QueryDict(dict):
    """The little of QueryDict a form reads: getlist for multi-selects."""

    def getlist(self, key, default=None):
        value = self.get(key, default)
        return value if isinstance(value, list) else ([] if value is None else [value])


def published(answers: dict) -> dict[str, frozenset]:
    """Return, per published dimension, the (category, amount) pairs one check-in adds to."""
    fields = checkin_fields(answers, scoring.score(answers))
    out: dict[str, set] = defaultdict(set)
    for dimension, value, amount in rollups.facts(fields, ()):
        if "*" in dimension or dimension == "total":
            continue  # cross-tabs are tied to the groups through their margins
        if dimension in SUMS:
            out[dimension].add((rollups.ALL, amount))
            continue
        cat = catalogue.category(dimension, value)
        if cat is not None:
            out[dimension].add((cat, amount))
    return {d: frozenset(v) for d, v in out.items()}


def _random_answers(rng: random.Random) -> dict:
    while True:
        answers = {a.key: rng.choice(a.values) for a in ANSWERS.values()}
        cleaned = _clean(answers, ANSWERS)
        if cleaned is not None:
            return cleaned


@functools.cache
def dependencies() -> tuple[dict[str, frozenset], frozenset]:
    """Return (dimension -> the answers it depends on, pairs of answers a form rule links)."""
    rng = random.Random(13)
    depends: dict[str, set] = defaultdict(set)
    linked: set[frozenset] = set()
    for _ in range(_PROBES):
        base = _random_answers(rng)
        before = published(base)
        for a in ANSWERS.values():
            for value in a.values:
                changed = dict(base, **{a.key: value})
                cleaned = _clean(changed, [a.key])
                if cleaned is None:
                    continue
                if any(v != changed.get(k) for k, v in cleaned.items()):
                    # A form rule changed an answer given: it ties the answers of the step.
                    linked.update(frozenset((a.key, b.key)) for b in ANSWERS.values()
                                  if b.step == a.step and b.key != a.key)
                after = published(cleaned)
                for dimension in before.keys() | after.keys():
                    if before.get(dimension) != after.get(dimension):
                        depends[dimension].add(a.key)
    return {d: frozenset(v) for d, v in depends.items()}, frozenset(linked)


@dataclass(frozen=True)
class Group:
    """Answers that published cells tie together, and the classes their combinations fall in."""

    answers: tuple[str, ...]
    dimensions: tuple[str, ...]  # published dimensions (and sums) that depend on these answers only
    classes: tuple[tuple[frozenset, tuple[tuple[str, int, int], ...]], ...]
    # each class: (published (dimension, category) cells it adds 1 to, ((sum, low, high), ...))


@functools.cache
def groups() -> tuple[Group, ...]:
    """Return the groups that need unknown class counts (more than one plain distribution)."""
    depends, linked = dependencies()
    parent = {k: k for k in ANSWERS}

    def root(k):
        while parent[k] != k:
            k = parent[k]
        return k

    for keys in [*depends.values(), *linked]:
        keys = sorted(keys)
        for k in keys[1:]:
            parent[root(k)] = root(keys[0])
    members: dict[str, list[str]] = defaultdict(list)
    for k in ANSWERS:
        members[root(k)].append(k)
    out = []
    for keys in members.values():
        dims = sorted(d for d, ks in depends.items() if ks and ks <= set(keys))
        if len(keys) == 1 and not ANSWERS[keys[0]].multi and dims == [keys[0]]:
            continue  # a plain distribution: its line (total = sum) says it all
        out.append(_enumerate(tuple(keys), tuple(dims)))
    return tuple(out)


def _enumerate(keys: tuple[str, ...], dims: tuple[str, ...]) -> Group:
    classes: dict[frozenset, dict[str, list[int]]] = {}
    seen = set()
    for combo in itertools.product(*(ANSWERS[k].values for k in keys)):
        cleaned = _clean(dict(zip(keys, combo)), keys)
        if cleaned is None:
            continue
        marker = tuple(tuple(v) if isinstance(v, list) else v for v in (cleaned[k] for k in keys))
        if marker in seen:
            continue
        seen.add(marker)
        facts = published(cleaned)
        cells = frozenset((d, cat) for d in dims if d not in SUMS for cat, _ in facts.get(d, ()))
        sums = classes.setdefault(cells, {})
        for d in dims:
            if d in SUMS:
                amount = sum(a for _, a in facts.get(d, ()))
                low, high = sums.get(d, [amount, amount])
                sums[d] = [min(low, amount), max(high, amount)]
    return Group(
        keys, dims,
        tuple((cells, tuple((d, lo, hi) for d, (lo, hi) in sorted(s.items()))) for cells, s in classes.items()),
    )


@functools.cache
def identities() -> tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...]], ...]:
    """Return the sums among published cells that the groups imply: (cell, parts)."""
    out = []
    for group in groups():
        of: dict[tuple[str, str], set[int]] = defaultdict(set)
        for n, (cells, _) in enumerate(group.classes):
            for cell in cells:
                of[cell].add(n)
        for (dimension, cat), members in sorted(of.items()):
            for other in group.dimensions:
                d = catalogue.DIMENSIONS.get(other)
                if other == dimension or d is None or d.multi:
                    continue
                parts = [(other, c) for c, _ in d.values if of.get((other, c))]
                inside = [p for p in parts if of[p] <= members]
                if all(of[p] <= members or not of[p] & members for p in parts) and inside \
                        and set().union(*(of[p] for p in inside)) == members and inside != [(dimension, cat)]:
                    out.append(((dimension, cat), tuple(inside)))
    return tuple(out)
