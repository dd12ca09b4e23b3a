"""What a publication shows and what it cost, against the most any suppression could show.

``figures`` reads a publication alone: the ``aggregates`` command's lines and the
benchmarks print it. ``ceilings`` reads the true counts: only the benchmarks use it,
summed over many synthetic sites, never printed for one site or period (a
per-site ceiling would tell an operator how many hidden counts are small).
"""

from __future__ import annotations

from questionnaire.rollups import ALL

from . import catalogue, disclosure, periods, selectors
from .catalogue import HEADLINE_CELLS, MEANS
from .counts import Counts
from .models import Publication
from .selectors import HEADLINES, cell_key


def figures(pub: Publication) -> dict:
    """Return what a publication gives staff and what it cost.

    ``answers_shown``: over the question tables with one answer per check-in,
    the share of answers that sit in shown cells (None when nothing is shown).
    """
    label = pub.period
    cells = {cell_key(code): v for code, v in pub.data["cells"].items()}
    total = cells.get((label, "total", ALL))
    questions = {code for code, d in catalogue.DIMENSIONS.items() if d.question and not d.multi}
    tables = {k[1] for k in cells if k[1] in questions}
    answers = None
    if isinstance(total, int) and total and tables:
        answers = sum(v for k, v in cells.items() if k[1] in tables and isinstance(v, int)) / (total * len(tables))
    derived = pub.data["derived"].get(label, {})
    return {
        "checkins": total if isinstance(total, int) else None,
        "withheld": total == "fewer",
        "linked": selectors.withheld_whole(pub),
        "shown": sum(1 for v in cells.values() if isinstance(v, int)),
        "hidden": sum(1 for v in cells.values() if not isinstance(v, int)),
        "headline": sum(1 for name in HEADLINES if derived.get(name) is not None),
        "answers_shown": answers,
        "seconds": pub.data.get("seconds"),
        "cpu_seconds": pub.data.get("cpu_seconds"),
        "audit": list(pub.data.get("audit", [])),
    }


def ceilings(counts: Counts, period: periods.Period, threshold: int) -> dict:
    """Return the most any choice of hidden cells could show of a period (for benchmarks).

    ``headline``: the headline figures the cell-size rule itself allows (a share
    whose count and rest are each 0 or T or more; a mean over T or more).
    ``answers``: over the question tables, the largest share of answers in shown
    cells with the total shown: a line with counts from 1 to T-1 hides them and,
    as its hidden part must reach T, more until it does (None: nothing shown).
    """
    true = counts.of(period)
    everyone = true[catalogue.total_key(period)]
    if everyone < threshold:
        return {"headline": int(everyone == 0), "answers": None}  # (no check-ins: "0" is shown)

    def share_allowed(cells) -> bool:
        count = sum(true[(period.label, *cell)] for cell in cells)
        return all(n == 0 or n >= threshold for n in (count, everyone - count))

    headline = 1 + sum(share_allowed(cells) for cells in HEADLINE_CELLS.values())
    headline += sum(disclosure.mean_allowed(counts.sum_of(period, sum_name)[0], threshold=threshold)
                    for sum_name, _, _ in MEANS.values())
    shown = catalogue.build(period).published
    lines = [[true[k] for k in shown if k[1] == d.code] for d in catalogue.DIMENSIONS.values()
             if d.question and not d.multi]
    lines = [line for line in lines if line]
    lost = 0
    for line in lines:
        values = sorted(line)
        small = [n for n in values if 0 < n < threshold]
        if not small:
            continue
        hidden, rest = sum(small), [n for n in values if n >= threshold]
        if len(small) < 2 or hidden < threshold:
            hidden += next((n for n in rest if hidden + n >= threshold), sum(rest))
        lost += hidden
    answers = 1 - lost / (everyone * len(lines)) if lines else None
    return {"headline": headline, "answers": answers}
