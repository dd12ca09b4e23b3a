"""Publishing: the only writer of ``Publication``, run by ``manage.py publish`` (daily).

Rollups (``counts``) -> a period's catalogue of cells (``catalogue``) -> what an
attacker knows (``knowledge``) -> disclosure control (``disclosure``: here is
where a cell is decided hidden, in ``_publish``) -> a frozen ``Publication``.

Every complete period of a site is published once, after every earlier period
of that site (months, then their quarter, then their year, then the rolling
window of four quarters that ends with that quarter), by ``publish_all``;
never on a staff member's look (``selectors`` only reads). Its numbers never
change afterwards, and each new publication is protected taking all earlier
ones as given.

A publication keeps the format it was made in (``catalogue.FORMATS``) for ever:
a change of the catalogue applies to periods not yet published. An operator may
publish an old period again in the present format (``republish``, from
``manage.py publish --republish``; never automatic): the new version is a new
row beside the old, protected with every number of the old one as a known fact,
and the audit proves the pair.
"""

from __future__ import annotations

import datetime
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat

from django.db import IntegrityError, connections, transaction

from questionnaire.models import Rollup, Site

from . import catalogue, disclosure, knowledge, periods
from .catalogue import FORMAT, HEADLINE_CELLS, MEANS, Key
from .counts import Counts
from .disclosure import audit, suppress
from .disclosure.system import merge
from .models import Publication
from .selectors import CODES, HEADLINES, MARKS, cell_code, cell_key, every_version, publications, withheld_whole

def _means(counts: Counts, period: periods.Period, threshold: int) -> dict[str, float | None]:
    """Return the means a period may publish: over groups of at least T check-ins.

    What each tells about the counts is part of the suppression problem.
    """
    out = {}
    for name, (sum_name, scale, _) in MEANS.items():
        n, s = counts.sum_of(period, sum_name)
        out[name] = round(s / scale / n, 1) if disclosure.mean_allowed(n, threshold=threshold) else None
    return out


def _derived(values: dict[Key, object], means: dict, period: periods.Period) -> dict:
    """Return the headline figures of a period from its shown cells and means.

    A share is shown only when every cell it is made of is shown: it then tells
    nothing the tables do not.
    """
    p = period.label
    total = values.get(catalogue.total_key(period))
    out = dict.fromkeys(HEADLINES)
    if not isinstance(total, int):
        return out
    out["checkins"] = total
    for name, cells in HEADLINE_CELLS.items():
        shown = [values.get((p, *cell)) for cell in cells]
        if total and all(isinstance(v, int) for v in shown):
            out[name] = round(100 * sum(shown) / total)
    out.update({name: means.get(name) for name in MEANS})
    return out


def _planned(period: periods.Period, counts: Counts, frozen: dict[Key, object], threshold: int) -> frozenset:
    """Return the cells the last month of a quarter hides so that its quarter can show them.

    A quarter's cell is the sum of its months' cells. When the earlier months hid a
    cell whose counts add up to less than T (one month's alone, or two small ones),
    showing the quarter's would give them away (the other months are shown), so the
    quarter would have to hide it too. Hiding this month's cell as well (a count of T
    or more) lets the quarter show the sum. The quarter's figures are what staff read
    most; a month gives up a figure so that its quarter keeps it. (Not when the
    quarter's rest of the line is small: its share is hidden anyway.)
    """
    if period.kind != periods.MONTH or period.start.month % 3:
        return frozenset()
    quarter = periods.Period(datetime.date(period.start.year, period.start.month - 2, 1), periods.QUARTER)
    earlier = [m for m in periods.months(quarter) if m != period]
    true, sums = counts.of(period), counts.of(quarter)
    everyone = sums[catalogue.total_key(quarter)]
    out = set()
    for key in catalogue.build(period).published:
        whole = sums.get((quarter.label, *key[1:]))
        if whole is None or key == catalogue.total_key(period) or true[key] < threshold \
                or 0 < everyone - whole < threshold:
            continue  # not a quarter cell; a small or a fixed count; a share the quarter cannot show
        marks = [frozen.get((m.label, *key[1:])) for m in earlier]
        if not all(isinstance(mark, int) or mark is disclosure.HIDDEN for mark in marks):
            continue  # a month withheld whole: the quarter's total hides with it
        hidden = [m for m, mark in zip(earlier, marks) if mark is disclosure.HIDDEN]
        if len(hidden) == 1 or (hidden and sum(counts.of(m)[(m.label, *key[1:])] for m in hidden) < threshold):
            out.add(key)
    return frozenset(out)


def _publish(site_key: int, period: periods.Period, counts: Counts, frozen: dict[Key, object],
             frozen_means: dict[str, dict], threshold: int, today: datetime.date,
             within: periods.Period | None = None, fmt: int = FORMAT, history=()) -> Publication:
    """Protect one period against everything published before it (``history``), and freeze it.

    ``within``: the published period whose family ``period`` belongs to, when it is
    published again (``republish``): its earlier versions' numbers are in ``frozen``
    and ``frozen_means``, and the means they showed are shown again.
    """
    started, cpu = time.perf_counter(), time.process_time()
    known_means = {name: mean for name, mean in frozen_means.get(period.label, {}).items() if mean is not None}
    cat = catalogue.build(period, fmt)
    true = counts.of(period)
    total_key = catalogue.total_key(period)
    means = dict.fromkeys(MEANS)
    linked = False  # withheld whole, so that small numbers in linked periods stay hidden
    if true[total_key] == 0:
        # No check-ins at all: every count is zero, and zero may be shown.
        values = dict.fromkeys(cat.published, 0)
    elif not disclosure.period_publishable(true[total_key], threshold=threshold):
        values = dict.fromkeys(cat.published, disclosure.WITHHELD)
        values[total_key] = disclosure.FEWER_THAN_THRESHOLD
    else:
        # (A window publishes no means: the quarter's are hidden only where the group is small.)
        means = (dict.fromkeys(MEANS) if period.kind == periods.WINDOW
                 else {**_means(counts, period, threshold), **known_means})
        # A mean is not a cell the suppressor can hide: when the family fails with
        # the means, it is tried without one of them, then without both. In a month
        # or quarter, a mean can also cost the total (it would tie a small band down
        # through the group's size): then the choice showing more headline figures wins.
        shown = [name for name, mean in means.items() if mean is not None and name not in known_means]
        tries = [means] + [{**means, name: None} for name in shown] + (
            [{**dict.fromkeys(MEANS), **known_means}] if len(shown) > 1 else [])
        best = None

        def attempt(option):
            system = knowledge.build(period, counts=counts.of, published=frozen,
                                     means={**frozen_means, period.label: option}, threshold=threshold,
                                     within=within, fmt=fmt, history=history)
            plan = planned
            if period.kind == periods.WINDOW:
                # A window shows only the shares its quarter hides (what staff need): the
                # others stay hidden, unless earlier numbers fix them anyway. Fewer shown
                # sums leave later windows more room to show theirs.
                plan = knowledge.unneeded(period, frozen) - suppress.fixed(system)
            return system, suppress.suppress(system, plan)

        # (Format 3 had no such plan: its months showed whole lines.)
        planned = _planned(period, counts, frozen, threshold) if fmt >= 4 else frozenset()
        tried = {}
        for n, option in enumerate(tries):
            system, outcome = tried.pop(n, None) or attempt(option)
            if outcome.failures:
                best = best or (-1, option, outcome)
                if n == 0 and outcome.unfixable and len(tries) > 2:
                    # Fewer means only widen what an attacker must allow: when even the
                    # choice without any mean fails with every new cell hidden, so does each.
                    tried[len(tries) - 1] = attempt(tries[-1])
                    if tried[len(tries) - 1][1].unfixable:
                        system, _ = tried.pop(len(tries) - 1)
                        break
                continue
            shown_values = {k: disclosure.HIDDEN if k in outcome.hidden else true[k] for k in cat.published}
            score = sum(v is not None for v in _derived(shown_values, option, period).values())
            if best is None or score > best[0]:
                best = (score, option, outcome)
            if total_key not in outcome.hidden or period.kind == periods.YEAR:
                break
        _, means, outcome = best
        values = {k: disclosure.HIDDEN if k in outcome.hidden else true[k] for k in cat.published}
        if outcome.failures:
            # No choice of hidden cells protects the family: the period is withheld
            # whole, publishing no new number, so all that held before still holds.
            # (A cell the earlier numbers fix, such as a total that is the sum of its
            # months, is stored as it is: it tells nothing new, and a reader can add.)
            known = suppress.fixed(system)
            values = {k: true[k] if k in known and not 0 < true[k] < threshold else disclosure.WITHHELD
                      for k in cat.published}
            if not isinstance(values[total_key], int):
                values[total_key] = disclosure.LINKED
            means = dict.fromkeys(MEANS)
            linked = True
    derived = {period.label: dict.fromkeys(HEADLINES) if linked else _derived(values, means, period)}
    for month in periods.months(period) if period.kind in (periods.QUARTER, periods.YEAR) else ():
        month_values = {k: v for k, v in frozen.items() if k[0] == month.label}
        derived[month.label] = _derived(month_values, frozen_means.get(month.label, {}), month)
    data = {
        "format": fmt,  # read in this format for ever (``catalogue.build(period, format)``)
        "cells": {cell_code(k): CODES.get(v, v) if isinstance(v, disclosure.Mark) else v for k, v in values.items()},
        "means": means,
        "derived": derived,
        # Nothing stored here is derived from hidden true counts (how many hidden
        # cells are small, which cell failed): an operator may forward any of it.
        "audit": _verdict(period, counts, _merged([frozen, values]), {**frozen_means, period.label: means}, threshold,
                          within, history),
        **({"withheld_whole": True} if linked else {}),
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
    }
    return Publication(
        site_key=site_key, period=period.label, threshold=threshold, published_on=today, data=data,
    )


def _verdict(period: periods.Period, counts: Counts, published: dict[Key, object], means: dict[str, dict],
             threshold: int, within: periods.Period | None = None, history=()) -> list[str]:
    """Return the audit's verdict on a period about to be published: every way its
    family's published numbers, this period's included, would give a count away.

    The audit ``audit_published`` runs, on a system built afresh from the numbers
    as they are stored, not the one the suppressor chose them on: empty when the
    protection holds. Months withheld for fewer than T are merged, as the
    suppressor merges them (the same verdicts: ``tests/test_disclosure_merge.py``;
    a failure then names their sum). A period with no check-ins or fewer than T
    publishes no unknown cell, so there is nothing to audit.
    """
    if published[catalogue.total_key(period)] in (disclosure.FEWER_THAN_THRESHOLD, 0):
        return []
    system = knowledge.build(period, counts=counts.of, published=published, means=means, threshold=threshold,
                             new=False, within=within, history=history)
    small = merge(system)
    if small is None:
        return [f.public for f in audit.failures(system, set())]
    return [f.public for f in audit.failures(small, set()) + audit.copies_pinned(system, set())]


def _merged(versions) -> dict[Key, object]:
    """Return what the versions of the numbers tell together: a count where any showed one."""
    out: dict[Key, object] = {}
    for values in versions:
        for key, value in values.items():
            if isinstance(out.get(key), int) and not isinstance(value, int):
                continue  # shown in an earlier version: still known
            out[key] = value
    return out


def _frozen(pubs) -> dict[Key, object]:
    """Return every number the publications put out (all versions of a period together)."""
    return _merged({cell_key(code): MARKS.get(value, value) for code, value in pub.data["cells"].items()}
                   for pub in pubs)


def _frozen_means(pubs) -> dict[str, dict]:
    """Return the means out, by period: a mean any version showed is known."""
    out: dict[str, dict] = {}
    for pub in pubs:
        means = out.setdefault(pub.period, {})
        for name, mean in pub.data.get("means", {}).items():
            if means.get(name) is None:
                means[name] = mean
    return out


def publish_until(*, site_key: int, period: periods.Period, today: datetime.date, threshold: int,
                  fmt: int = FORMAT) -> list[Publication]:
    """Publish every complete period of the site up to ``period``, in order; return all
    of the site's publications (earlier ones untouched). ``fmt``: an older format,
    only to reproduce an older deployment (tests, benchmarks)."""
    if not periods.is_complete(period, today):
        raise ValueError(f"{period} is not over yet; only complete periods are published.")
    # Every publication ever made stays, whatever its format, and is what a new one
    # is protected against (a period published in an older format keeps it: the
    # present catalogue applies to periods not yet published).
    every = list(every_version(site_key=site_key, threshold=threshold))
    existing = {p.period: p for p in publications(site_key=site_key, threshold=threshold)}
    # A period whose only publications are of a format no longer read (made before
    # formats were numbered) is made again as a new version beside them.
    unread = {p.period: p for p in every if p.period not in existing}
    found = {periods.parse(label) for label in unread}
    counts = Counts(site_key, period.end)
    first = min(counts.first_month or period.start, period.start)
    frozen = _frozen(every)
    frozen_means = _frozen_means(every)
    for step in periods.publication_order(first, period.end):
        if step.label in existing:
            continue
        within = max((p for p in found if step in knowledge.family(p)), key=lambda p: p.end - p.start, default=None)
        history = [periods.parse(label) for label in existing]
        pub = _publish(site_key, step, counts, frozen, frozen_means, threshold, today,
                       within=within if within and within != step else None, fmt=fmt, history=history)
        if step.label in unread:
            pub.version = unread[step.label].version + 1
            pub.data["remade"] = {"from_version": unread[step.label].version,
                                  "from_format": unread[step.label].data.get("format"), "why": catalogue.FORMATS[FORMAT]}
        try:
            with transaction.atomic():
                pub.save()
        except IntegrityError:
            # Another process published it first: its numbers are the frozen ones.
            pub = publications(site_key=site_key, threshold=threshold).get(period=step.label)
        existing[step.label] = pub
        frozen = _merged([frozen, _frozen([pub])])
        frozen_means[step.label] = pub.data.get("means", {})
    return list(existing.values())


class RepublishRefused(ValueError):
    """Raised by ``republish`` with a sentence for the operator; nothing was stored."""


def republish(*, site_key: int, period: periods.Period, threshold: int, today: datetime.date) -> Publication:
    """Publish an old period again in the present format, as a new version; return it.

    An operator's choice (``manage.py publish --republish PERIOD``), never automatic.
    The first version stays stored, unchanged; staff see the new one, with when and
    why. Every number any version of any period put out is a known fact: a count
    an earlier version showed is shown again, a mean too, and the new version is
    protected, and audited, in the family of the largest published period holding
    it (a quarter's months, or its year), so that whoever kept both learns nothing.
    """
    with transaction.atomic():
        # The site is held (PostgreSQL) while its publications are read and the new one
        # is made, so no daily run publishes beside it unaware of it.
        if transaction.get_connection().vendor == "postgresql" and not claim(site_key):
            raise RepublishRefused("Another publish run holds this site; try again when it ends.")
        newest = {p.period: p for p in publications(site_key=site_key, threshold=threshold)}
        old = newest.get(period.label)
        if old is None:
            raise RepublishRefused(f"{period} is not published for this site: there is nothing to publish again.")
        if old.data["format"] == FORMAT:
            raise RepublishRefused(f"{period} is published in the present format ({FORMAT}) already.")
        every = list(every_version(site_key=site_key, threshold=threshold))
        found = {periods.parse(p.period) for p in every}
        within = max((p for p in found if period in knowledge.family(p)), key=lambda p: (p.end - p.start, p.start))
        counts = Counts(site_key, max(p.end for p in found))
        pub = _publish(site_key, period, counts, _frozen(every), _frozen_means(every), threshold, today,
                       within=within, history=sorted(found))
        if pub.data.get("withheld_whole") and not withheld_whole(old):
            raise RepublishRefused(f"{period} cannot be published again safely beside what is out: its first "
                                   "version stays as it is.")
        pub.version = old.version + 1
        pub.data["remade"] = {"from_version": old.version, "from_format": old.data["format"],
                              "why": catalogue.FORMATS[FORMAT]}
        pub.save()
    return pub


def audit_published(*, site_key: int, threshold: int) -> dict[str, list[str]]:
    """Audit everything published for a site, family by family; return the failures by period.

    Each set of periods linked through shared months (``knowledge.family``: a
    year with its quarters and months; with rolling windows, everything the
    windows chain together), named by its latest period: the same attacker as
    when they were published, with every number now out.
    """
    pubs = {p.period: p for p in publications(site_key=site_key, threshold=threshold)}
    if not pubs:
        return {}
    every = list(every_version(site_key=site_key, threshold=threshold))
    frozen = _frozen(every)  # every version: an attacker kept them all
    means = _frozen_means(every)
    found = sorted(periods.parse(label) for label in pubs)
    tops, covered = [], set()
    for top in sorted(found, key=lambda p: (p.end, len(periods.months(p))), reverse=True):
        if top not in covered:
            tops.append(top)
            covered.update(knowledge.family(top, found))
    counts = Counts(site_key, max(p.end for p in found))
    out = {}
    for top in sorted(tops):
        if all(pubs[p.label].data["cells"][cell_code(catalogue.total_key(p))] in ("fewer", 0)
               for p in knowledge.family(top, found) if p.label in pubs):
            continue  # nothing unknown is published
        system = knowledge.build(top, counts=counts.of, published=frozen, means=means, threshold=threshold,
                                 new=False, history=found)
        out[top.label] = [f.public for f in audit.failures(system, set())]
    return out


def site_keys() -> list[int]:
    """Return the key of every site with check-ins or a community, "no community" (0) first."""
    keys = set(Rollup.objects.values_list("site_key", flat=True).distinct())
    keys |= set(Site.objects.values_list("pk", flat=True))
    return sorted(keys | {0})


# --- Who publishes a site: one process at a time, on any number of machines ----------------
#
# Each site is claimed through PostgreSQL with a transaction-level advisory lock,
# ``pg_try_advisory_xact_lock``, taken in the transaction that writes the site's new
# publications. Chosen over ``SELECT ... FOR UPDATE SKIP LOCKED`` on a table of sites
# because it needs no table and no migration: "no community" (site 0) is no Site row,
# and the sites to publish are simply those with rollups or a community. The lock is
# the transaction's: it ends with the commit, with a rollback, and with the connection
# (a process killed mid-site), so a claim can never be left behind. A process that
# finds a site claimed skips it (its holder publishes it; a crashed holder's site is
# published by the next run). Any number of ``publish`` runs, each with any --jobs,
# may share one database: the work divides site by site.
#
# A crash leaves no half-published site: all of a site's new publications of a run
# (and the removal of any made under an older format) are written in that one
# transaction, committed together or not at all. The numbers do not depend on who
# publishes: a site's periods are published in order from what is stored, the same
# in every process.
#
# SQLite (embedded, one machine) has no such locks, and its writes take the whole
# file: there one process publishes (--jobs 1), each period saved in its own short
# transaction, in order, so a restart continues where a crash stopped.

CLAIM_CLASS = 0x50554253  # "PUBS": keeps these advisory locks apart from any others


def claim(site_key: int, connection=None) -> bool:
    """Claim a site for the running transaction (PostgreSQL); False when another holds it.

    The claim lasts until the transaction ends, however it ends.
    """
    connection = connection or transaction.get_connection()
    if connection.vendor != "postgresql":
        raise NotImplementedError("Claiming a site needs PostgreSQL's advisory locks.")
    if connection.get_autocommit():
        raise RuntimeError("Claim a site inside a transaction: the claim ends with it.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [(CLAIM_CLASS << 32) + site_key])
        return cursor.fetchone()[0]


def _previous_month(today: datetime.date) -> periods.Period | None:
    """Return the last complete month as of today (None while none is)."""
    last = periods.Period(periods.month(today).start, periods.MONTH)
    previous = periods.Period(datetime.date(last.start.year - (last.start.month == 1),
                                            (last.start.month - 2) % 12 + 1, 1), periods.MONTH)
    return previous if periods.is_complete(previous, today) else None


def publish_site(site_key: int, *, today: datetime.date, threshold: int) -> list[Publication] | None:
    """Publish every complete period of one site not published yet; return the new ones,
    or None when another process holds the site (PostgreSQL)."""
    previous = _previous_month(today)
    if previous is None:
        return []

    def new():
        before = set(publications(site_key=site_key, threshold=threshold).values_list("period", flat=True))
        return [pub for pub in publish_until(site_key=site_key, period=previous, today=today, threshold=threshold)
                if pub.period not in before]

    if transaction.get_connection().vendor != "postgresql":
        return new()
    with transaction.atomic():
        if not claim(site_key):
            return None
        return new()


@dataclass
class Run:
    made: list[Publication] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # sites another process held


def _worker_site(site_key: int, today: datetime.date, threshold: int) -> tuple[int, list[Publication] | None]:
    return site_key, publish_site(site_key, today=today, threshold=threshold)


def run(*, today: datetime.date, threshold: int, jobs: int = 1) -> Run:
    """Publish every site, in ``jobs`` processes (PostgreSQL only when more than one).

    Sites are independent, so they are handed out one at a time; each worker claims
    the site it is given (so other ``publish`` runs may share the work).
    """
    if jobs < 1:
        raise ValueError("--jobs must be at least 1.")
    vendor = transaction.get_connection().vendor
    if jobs > 1 and vendor != "postgresql":
        raise ValueError(
            f"--jobs {jobs} needs PostgreSQL: on {vendor} one process publishes (leave out --jobs). "
            "Its writes lock the whole database file, so more processes would only wait for each other.")
    out = Run()
    keys = site_keys()
    if jobs == 1:
        results = (_worker_site(key, today, threshold) for key in keys)
    else:
        # The disclosure control is CPU-bound Python: processes, not threads. They are
        # forked (so each inherits the configured Django, test databases included);
        # no connection may cross the fork, so every one is closed first and each
        # worker opens its own.
        if transaction.get_connection().in_atomic_block:
            raise RuntimeError("Publishing in several processes cannot run inside a transaction.")
        connections.close_all()
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
        with executor:
            results = list(executor.map(_worker_site, keys, repeat(today), repeat(threshold)))
    for key, made in results:
        if made is None:
            out.skipped.append(key)
        else:
            out.made += made
    return out


def publish_all(*, today: datetime.date, threshold: int, jobs: int = 1) -> list[Publication]:
    """Publish every complete period of every site not published yet; return the new ones.

    Idempotent, and safe while people submit: only complete periods are published,
    and check-ins only ever arrive in the running month. Sites another process is
    publishing at the moment are left to it.
    """
    return run(today=today, threshold=threshold, jobs=jobs).made
