"""Seed N synthetic shared check-ins on PostgreSQL, fast, with consistent rollups.

Used by ``scripts/bench serving`` and ``scripts/bench aggregates``; never by the app.

How it stays fast (1M check-ins in a few minutes on 2 cores):

* A pool of synthetic answer sets is made once with ``questionnaire.synthetic``
  (up to ``pool`` of them; at N <= pool every check-in has its own). Each one is
  scored by ``scoring``, its shown items come from ``rules`` and its rollup cells
  from ``rollups.facts``, exactly as a live submission would make them
  (``harness.seeding.submission``).
* Each of the N check-ins is one draw from the pool, a site and a date: only
  those few numbers go to PostgreSQL (``COPY`` into a temporary table); the
  check-in and item rows are then made by two ``INSERT ... SELECT`` statements
  inside PostgreSQL, with foreign keys not re-checked row by row and the
  indexes of the two big tables built once afterwards, as they were.
* The rollups are added up in Python from the same draws (the pool's
  ``rollups.facts`` cells counted per site and month with numpy's ``bincount``)
  and written with one ``COPY``; ``check`` compares them with the rows.

Sites: ``sites`` communities (default 50), each with its own level, trend and
noise from month to month (``synthetic.monthly_volumes``), scaled to N; dates
over the ``months`` months up to ``today``.
"""

from __future__ import annotations

import calendar
import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction

from harness.seeding import submission
from questionnaire import synthetic
from questionnaire.models import CheckIn, CheckInItem, Rollup, Site


@dataclass
class Seeded:
    n: int
    pool: int
    sites: list  # Site objects, in order
    per_site: Counter  # site id -> check-ins
    seconds: float
    phases: dict  # phase -> seconds


MONTHS = 24


def _months(today: datetime.date, months: int) -> list[datetime.date]:
    index = today.year * 12 + today.month - 1
    return [datetime.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _volumes(rng: random.Random, n: int, sites: int, months: int) -> list[list[int]]:
    """Return check-ins per site per month adding up to exactly n (largest remainders)."""
    # The largest site first: it is the one the benchmark's staff member looks at,
    # and the first one ``manage.py publish`` publishes.
    shapes = sorted((synthetic.monthly_volumes(rng, months) for _ in range(sites)), key=sum, reverse=True)
    weight = sum(map(sum, shapes))
    exact = [[n * v / weight for v in row] for row in shapes]
    out = [[int(x) for x in row] for row in exact]
    short = n - sum(map(sum, out))
    order = sorted(((x - int(x), s, m) for s, row in enumerate(exact) for m, x in enumerate(row)), reverse=True)
    for _, s, m in order[:short]:
        out[s][m] += 1
    return out


def _columns() -> list:
    """Return CheckIn's concrete fields other than id, site and date (the pool's columns)."""
    skip = {"id", "site", "submitted_on"}
    return [f for f in CheckIn._meta.concrete_fields if f.name not in skip]


def _drop_indexes(cursor, table: str, *, keys: bool) -> list[str]:
    """Drop a table's indexes (and, with ``keys``, its primary key and unique constraints);
    return the SQL that makes them again. A key another table refers to must stay."""
    constraints = []
    if keys:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u')", (table,))
        constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid AND c.contype IN ('p', 'u'))", (table,))
    indexes = cursor.fetchall()
    q = connection.ops.quote_name
    for name, _ in constraints:
        cursor.execute(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {q(name)}")
    return ([f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}" for name, definition in constraints]
            + [definition for _, definition in indexes])


def seed(n: int, *, sites: int = 50, months: int = MONTHS, today: datetime.date, pool: int = 20_000,
         seed_value: int = 12, say=print) -> Seeded:
    """Insert n shared check-ins, their items and rollups into empty tables; return what was made."""
    rng = random.Random(seed_value)
    phases = {}
    start = time.perf_counter()

    made = Site.objects.bulk_create(
        Site(slug=f"bench-{i:02d}", name=f"Benchmark community {i}", contact="") for i in range(1, sites + 1)
    )
    site_ids = [s.pk for s in made]
    month_days = _months(today, months)

    # 1. The pool: real synthetic answers through the real scoring, rules and facts
    #    (``harness.seeding.submission``, the one seeding path).
    t = time.perf_counter()
    size = max(1, min(n, pool))
    columns = _columns()
    pool_rows, pool_items, pool_cells, pool_amounts = [], [], [], []
    cell_index: dict[tuple[str, str], int] = {}
    cell_names: list[tuple[str, str]] = []
    as_site = {"name": "Benchmark community", "contact": ""}  # every bench check-in came by a link
    for _ in range(size):
        fields, shown, facts = submission(synthetic.answers(rng), site=as_site)
        pool_rows.append([fields[f.attname] for f in columns])
        pool_items.append(shown)
        cells, amounts = [], []
        for dimension, value, amount in facts:
            key = (dimension, value)
            if key not in cell_index:
                cell_index[key] = len(cell_names)
                cell_names.append(key)
            cells.append(cell_index[key])
            if amount:
                amounts.append((cell_index[key], amount))
        pool_cells.append(cells)
        pool_amounts.append(amounts)
    phases["pool"] = time.perf_counter() - t
    say(f"    pool of {size:,} synthetic answer sets (answers, scores, rules, facts): {phases['pool']:.1f} s")

    # 2. The draws: pool entry, site and date of every check-in (numpy), and the
    #    rollups they add up to: every (site-month, cell) hit of every draw counted
    #    with one bincount per chunk, so 1M check-ins take seconds, not minutes.
    t = time.perf_counter()
    gen = np.random.default_rng(seed_value)
    volumes = _volumes(rng, n, sites, months)
    width = len(cell_names)  # rollup keys are site_month * width + cell
    site_months = sites * months
    per_sm = np.array([k for row in volumes for k in row], dtype=np.int64)  # index s * months + m
    sm = np.repeat(np.arange(site_months, dtype=np.int64), per_sm)
    picks = gen.integers(0, size, n, dtype=np.int64)
    month_length = []
    for first in month_days:
        last_day = calendar.monthrange(first.year, first.month)[1]
        month_length.append(today.day if (first.year, first.month) == (today.year, today.month) else last_day)
    lengths = np.tile(np.array(month_length, dtype=np.int64), sites)
    starts = np.tile(np.array([d.toordinal() for d in month_days], dtype=np.int64), sites)
    ordinals = starts[sm] + (gen.random(n) * lengths[sm]).astype(np.int64)
    first_ordinal = month_days[0].toordinal()
    calendar_days = [datetime.date.fromordinal(first_ordinal + i) for i in range(today.toordinal() - first_ordinal + 1)]

    def csr(rows):
        lens = np.array([len(r) for r in rows], dtype=np.int64)
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(lens)
        return lens, indptr

    cell_lens, cell_ptr = csr(pool_cells)
    cell_flat = np.fromiter((c for cells in pool_cells for c in cells), dtype=np.int64, count=int(cell_ptr[-1]))
    amount_lens, amount_ptr = csr(pool_amounts)
    amount_cells = np.fromiter((c for pairs in pool_amounts for c, _ in pairs), dtype=np.int64, count=int(amount_ptr[-1]))
    amount_values = np.fromiter((a for pairs in pool_amounts for _, a in pairs), dtype=np.float64,
                                count=int(amount_ptr[-1]))
    counts = np.zeros(site_months * width, dtype=np.int64)
    totals = np.zeros(site_months * width, dtype=np.float64)

    def gather(lens, ptr, chunk):
        """Return, for every draw of the chunk, the positions of its pool entry's values, and how many."""
        each = lens[chunk]
        ends = np.cumsum(each)
        return np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - each, each) + np.repeat(ptr[chunk], each), each

    for lo in range(0, n, 200_000):
        chunk, at = picks[lo:lo + 200_000], sm[lo:lo + 200_000] * width
        where, each = gather(cell_lens, cell_ptr, chunk)
        counts += np.bincount(np.repeat(at, each) + cell_flat[where], minlength=len(counts))
        where, each = gather(amount_lens, amount_ptr, chunk)
        totals += np.bincount(np.repeat(at, each) + amount_cells[where], weights=amount_values[where],
                              minlength=len(totals))
    # Item ids are given, not drawn from the sequence: each check-in's items follow the previous one's.
    item_counts = np.array([len(shown) for shown in pool_items], dtype=np.int64)[picks]
    item_base = np.cumsum(item_counts) - item_counts + 1
    per_site: Counter = Counter({site_ids[s]: sum(row) for s, row in enumerate(volumes)})
    draws = zip(range(1, n + 1), picks.tolist(), (site_ids[s] for s in (sm // months).tolist()),
                (calendar_days[o - first_ordinal] for o in ordinals.tolist()), item_base.tolist())
    phases["draws and rollups"] = time.perf_counter() - t

    # 3. PostgreSQL: COPY the pool and the draws, then make the rows server-side.
    t = time.perf_counter()
    checkin = CheckIn._meta.db_table
    item = CheckInItem._meta.db_table
    rollup = Rollup._meta.db_table
    q = connection.ops.quote_name
    pool_cols = ", ".join(q(f.column) for f in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        raw.execute(
            f"CREATE TEMP TABLE bench_pool ON COMMIT DROP AS SELECT 0::int AS idx, {pool_cols} "
            f"FROM {q(checkin)} WITH NO DATA"
        )
        raw.execute("CREATE TEMP TABLE bench_pool_item (idx int, pos int, item_id varchar(40)) ON COMMIT DROP")
        raw.execute("CREATE TEMP TABLE bench_draw (id bigint, idx int, site_id bigint, submitted_on date, "
                    "item_base bigint) ON COMMIT DROP")
        with raw.copy(f"COPY bench_pool (idx, {pool_cols}) FROM STDIN") as copy:
            for i, values in enumerate(pool_rows):
                copy.write_row([i, *values])
        with raw.copy("COPY bench_pool_item (idx, pos, item_id) FROM STDIN") as copy:
            for i, shown in enumerate(pool_items):
                for pos, item_id in enumerate(shown):
                    copy.write_row((i, pos, item_id))
        with raw.copy("COPY bench_draw (id, idx, site_id, submitted_on, item_base) FROM STDIN") as copy:
            for row in draws:
                copy.write_row(row)
        phases["copy"] = time.perf_counter() - t
        t = time.perf_counter()
        raw.execute("ANALYZE bench_pool; ANALYZE bench_draw; ANALYZE bench_pool_item")
        # Bulk-load practice: foreign keys are not checked row by row (every id comes
        # from this run, so they hold by construction), and the indexes of the two big
        # tables are built once after the rows are in, each exactly as it was.
        raw.execute("SET LOCAL session_replication_role = replica")
        raw.execute("SET LOCAL maintenance_work_mem = '1GB'")
        rebuild = _drop_indexes(raw, checkin, keys=False) + _drop_indexes(raw, item, keys=True)
        raw.execute(
            f"INSERT INTO {q(checkin)} (id, site_id, submitted_on, {pool_cols}) "
            f"SELECT d.id, d.site_id, d.submitted_on, {', '.join('p.' + q(f.column) for f in columns)} "
            f"FROM bench_draw d JOIN bench_pool p ON p.idx = d.idx"
        )
        phases["check-in rows"] = time.perf_counter() - t
        t = time.perf_counter()
        raw.execute(
            f"INSERT INTO {q(item)} (id, checkin_id, item_id) "
            f"SELECT d.item_base + i.pos, d.id, i.item_id FROM bench_draw d JOIN bench_pool_item i ON i.idx = d.idx"
        )
        phases["item rows"] = time.perf_counter() - t
        t = time.perf_counter()
        for statement in rebuild:
            raw.execute(statement)
        raw.execute("SET LOCAL session_replication_role = origin")
        phases["indexes"] = time.perf_counter() - t
        t = time.perf_counter()
        raw.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (checkin, max(n, 1)))
        raw.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (item, max(int(item_counts.sum()), 1)))
        with raw.copy(f"COPY {q(rollup)} (site_key, month, dimension, value, count, total) FROM STDIN") as copy:
            for key in np.flatnonzero(counts).tolist():
                site_month, cell = divmod(key, width)
                s, m = divmod(site_month, months)
                dimension, value = cell_names[cell]
                copy.write_row((site_ids[s], month_days[m], dimension, value, int(counts[key]), int(round(totals[key]))))
        phases["rollup rows"] = time.perf_counter() - t
        t = time.perf_counter()
    phases["commit"] = time.perf_counter() - t
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {q(checkin)}; ANALYZE {q(item)}; ANALYZE {q(rollup)}")
    phases["analyze"] = time.perf_counter() - t
    return Seeded(n=n, pool=size, sites=made, per_site=per_site, seconds=time.perf_counter() - start,
                  phases=phases)


def check(seeded: Seeded, *, full: bool) -> list[str]:
    """Return the differences between the rollups and the rows (empty when consistent).

    ``full``: recount every rollup cell from the check-ins (``rollups.recompute``);
    otherwise compare the totals per site and month in SQL.
    """
    if full:
        from questionnaire.rollups import recompute

        return recompute(apply=False)
    q = connection.ops.quote_name
    checkin, rollup = CheckIn._meta.db_table, Rollup._meta.db_table
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT site_id, date_trunc('month', submitted_on)::date AS month, count(*) AS n "
            f"FROM {q(checkin)} GROUP BY 1, 2) c FULL JOIN (SELECT site_key, month, count AS n FROM {q(rollup)} "
            f"WHERE dimension = 'total') r ON r.site_key = c.site_id AND r.month = c.month "
            f"WHERE c.n IS DISTINCT FROM r.n"
        )
        if cursor.fetchone()[0]:
            problems.append("check-ins per site and month differ from the 'total' rollups")
    return problems
