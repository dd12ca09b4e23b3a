"""Rollups: counts per site x month x (dimension, value), kept in step with every
shared check-in, so staff tables never scan check-ins.

``facts`` is pure: one check-in's column values -> the rollup cells it adds to.
The staff wing (``stats.counts``) reads these cells back. The results items a
check-in was shown are kept as its ``CheckInItem`` rows, not in the rollups:
nothing published counts them.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import connection, transaction

from . import instruments as ins
from .scoring import peg_band, ucla3_band

NOT_ANSWERED = "not_answered"
UNKNOWN = "unknown"
ALL = "all"

# Cross-tabs staff see: (row dimension, column dimension). Every category of both,
# "not answered" / "unknown" included, so the margins equal the two distributions.
CROSS_TABS = (
    ("chronic_pain", "ucla3_band"),
    ("long_term_opioid", "ucla3_band"),
    ("pain_avoidance", "support"),
)
FLAGS = ("chronic_pain", "high_impact_chronic_pain", "long_term_opioid")
PEG_BANDS = ("0-3.9", "4-6.9", "7-10")
UCLA3_BANDS = ("3-5", "6-9")


def _flag(value) -> str:
    return UNKNOWN if value is None else ("yes" if value else "no")


def categories(fields: dict) -> dict[str, str]:
    """Return the one category of every single-valued dimension for a check-in."""
    out = {}
    for q in ins.QUESTIONS:
        if q.kind in (ins.SINGLE, ins.SCALE):
            value = fields.get(q.code)
            out[q.code] = NOT_ANSWERED if value is None else str(value)
        elif q.kind == ins.GRID:
            for option, _ in q.rows:
                name = ins.coping_field(option)
                out[name] = fields.get(name) or NOT_ANSWERED
    for flag in FLAGS:
        out[flag] = _flag(fields.get(flag))
    peg = fields.get("peg")
    out["peg_band"] = peg_band(float(peg) if peg is not None else None) or NOT_ANSWERED
    out["ucla3_band"] = ucla3_band(fields.get("ucla3")) or NOT_ANSWERED
    return out


def facts(fields: dict, shown: list[str] = ()) -> list[tuple[str, str, int]]:
    """Return (dimension, value, amount) cells one check-in adds 1 (and amount) to.

    ``amount`` is 0 except for the sums behind means: PEG in tenths, UCLA-3 as is.
    ``shown`` adds an "item" cell per results item shown: the attacker's model of
    our public logic (tests/disclosure_audit.py) uses them; the rollups never
    store them (``rollup_add`` and ``recompute`` pass no items).
    """
    cats = categories(fields)
    cells = [("total", ALL, 0)]
    cells += [(dimension, value, 0) for dimension, value in cats.items()]
    for q in ins.QUESTIONS:
        if q.kind == ins.MULTI:
            chosen = [v for v, _ in q.all_choices if fields.get(ins.multi_field(q.code, v))]
            cells += [(q.code, v, 0) for v in chosen] or [(q.code, NOT_ANSWERED, 0)]
    for rows, cols in CROSS_TABS:
        cells.append((f"{rows}*{cols}", f"{cats[rows]}*{cats[cols]}", 0))
    if fields.get("peg") is not None:
        cells.append(("peg_sum", ALL, int(round(float(fields["peg"]) * 10))))
    if fields.get("ucla3") is not None:
        cells.append(("ucla3_sum", ALL, int(fields["ucla3"])))
    cells += [("item", item, 0) for item in shown]
    return cells


def site_key(site_id: int | None) -> int:
    """Return the rollup key of a site; 0 is the "no community" group."""
    return site_id or 0


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def rollup_add(*, site_id: int | None, day: datetime.date, cells) -> None:
    """Add one check-in's cells to the rollups, in the caller's transaction.

    One INSERT ... ON CONFLICT DO UPDATE statement (SQLite and PostgreSQL alike), so
    concurrent submissions add up instead of overwriting each other.
    """
    from .models import Rollup

    table = connection.ops.quote_name(Rollup._meta.db_table)
    key, month = site_key(site_id), month_of(day)
    merged = Counter()
    hits = Counter()
    for dimension, value, amount in cells:
        hits[(dimension, value)] += 1
        merged[(dimension, value)] += amount
    rows = [(key, month, d, v, hits[(d, v)], merged[(d, v)]) for (d, v) in hits]
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    sql = (
        f"INSERT INTO {table} (site_key, month, dimension, value, count, total) VALUES {placeholders} "
        f"ON CONFLICT (site_key, month, dimension, value) DO UPDATE SET "
        f"count = {table}.count + excluded.count, total = {table}.total + excluded.total"
    )
    params = [p for row in rows for p in row]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:  # no SAVEPOINT round trips
        cursor.execute(sql, params)


def recompute(*, apply: bool) -> list[str]:
    """Rebuild every rollup from the raw check-ins; return the differences found.

    With ``apply`` the stored rollups are replaced by the recomputed ones. A month
    whose check-ins retention removed (``RetiredMonth``) keeps its rollups: only
    its total is checked, against the check-ins removed plus any left.
    """
    from .models import CheckIn, RetiredMonth, Rollup

    retired = {(r.site_key, r.month): r.checkins for r in RetiredMonth.objects.all()}

    expected: Counter = Counter()
    expected_total: Counter = Counter()
    for fields in CheckIn.objects.values().iterator(chunk_size=2000):
        key, month = site_key(fields["site_id"]), month_of(fields["submitted_on"])
        for dimension, value, amount in facts(fields):
            expected[(key, month, dimension, value)] += 1
            expected_total[(key, month, dimension, value)] += amount
    stored = {
        (r.site_key, r.month, r.dimension, r.value): (r.count, r.total) for r in Rollup.objects.all()
    }
    differences = []
    for cell in sorted(set(stored) | set(expected), key=str):
        want = (expected.get(cell, 0), expected_total.get(cell, 0))
        if cell[:2] in retired:
            if cell[2:] != ("total", ALL):
                continue  # its check-ins are gone: nothing to recount it from
            want = (want[0] + retired[cell[:2]], 0)
        have = stored.get(cell, (0, 0))
        if want != have:
            differences.append(f"{cell}: stored {have}, recomputed {want}")
    if apply and differences:
        with transaction.atomic():
            for key in {k for k, _ in retired} | set(Rollup.objects.values_list("site_key", flat=True).distinct()):
                Rollup.objects.filter(site_key=key).exclude(
                    month__in=[m for k, m in retired if k == key]).delete()
            Rollup.objects.bulk_create(
                Rollup(site_key=k, month=m, dimension=d, value=v, count=c, total=expected_total[(k, m, d, v)])
                for (k, m, d, v), c in expected.items() if (k, m) not in retired
            )
    return differences
