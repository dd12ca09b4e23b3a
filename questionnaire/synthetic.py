"""A synthetic population for demo data, tests and benchmarks (never real people's).

The answers look like a real community's, so the staff tables meet the same
small cells real data would give them:

* item non-response of 2-15%, varying by question (people skip the harder
  questions more often; later steps a little more than earlier ones);
* "Prefer not to say" on the sensitive items: the three UCLA items, feeling
  lonely, rejection, avoidance, support, medicines, opioid duration and safety;
* skewed answers: most people who come have some pain, few take an opioid,
  very few answer "yes" to the safety question;
* pain and loneliness correlated through one shared hidden trait, so the
  cross-tabs are not independent;
* the answers a person can actually give: "None" and "Prefer not to say" are
  exclusive among medicines, and opioid duration is only asked about with a
  prescribed opioid (as the medicines form keeps it).

``answers(rng)`` returns one check-in's answers in the flat form ``scoring`` and
``services.checkin_fields`` read. ``monthly_volumes`` and ``site_months`` make
the check-in counts of a site (20-200 a month, with a site's own level, a slow
trend and month-to-month noise).
"""

from __future__ import annotations

import math
import random

from . import instruments as ins

PN = ins.PREFER_NOT

# Share of people who leave a question unanswered (2-15%, by question).
SKIP = {
    "pain_frequency": 0.02,
    "pain_duration": 0.06,
    "pain_impact": 0.05,
    "pain_areas": 0.04,
    "peg_pain": 0.03,
    "peg_enjoyment": 0.05,
    "peg_activity": 0.05,
    "ucla_companionship": 0.06,
    "ucla_left_out": 0.07,
    "ucla_isolated": 0.08,
    "lonely": 0.05,
    "rejected": 0.09,
    "pain_avoidance": 0.07,
    "support": 0.06,
    "medicines": 0.05,
    "opioid_duration": 0.10,
    "coping": 0.15,  # per row of the grid
    "sleep": 0.04,
    "stress": 0.05,
    "safety": 0.12,
}

# Share of people who choose "Prefer not to say" where it is offered.
PREFER = {
    "ucla_companionship": 0.04,
    "ucla_left_out": 0.03,
    "ucla_isolated": 0.04,
    "lonely": 0.03,
    "rejected": 0.06,
    "pain_avoidance": 0.03,
    "support": 0.05,
    "medicines": 0.04,
    "opioid_duration": 0.08,
    "safety": 0.04,
}


def _clip(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(high, max(low, x))


def _choose(rng: random.Random, question: str, weights) -> object:
    """Return an answer: skipped, "prefer not to say", or one of the choices by weight."""
    r = rng.random()
    if r < SKIP[question]:
        return None
    if r < SKIP[question] + PREFER.get(question, 0.0):
        return PN
    choices = [v for v in ins.BY_CODE[question].values if v != PN]
    return rng.choices(choices, weights=list(weights) + [0] * (len(choices) - len(weights)))[0]


def _ordinal(rng: random.Random, question: str, level: float, spread: float = 0.9) -> object:
    """Return an ordered choice (first = lowest) near ``level`` (0-1) on its scale."""
    choices = [v for v in ins.BY_CODE[question].values if v != PN]
    k = len(choices)
    centre = level * (k - 1)
    weights = [math.exp(-((i - centre) ** 2) / (2 * spread**2)) for i in range(k)]
    return _choose(rng, question, weights)


def _scale(rng: random.Random, question: str, mean: float) -> int | None:
    if rng.random() < SKIP[question]:
        return None
    return int(round(_clip(rng.gauss(mean, 1.6), 0, 10)))


def answers(rng: random.Random) -> dict:
    """Return one plausible set of answers; skew, gaps and correlations like real check-ins."""
    a: dict = {}
    # One hidden trait drives both pain and loneliness (they go together).
    strain = rng.betavariate(2.0, 2.6)
    pain = _clip(0.65 * strain + 0.35 * rng.betavariate(2.2, 2.0))
    lonely = _clip(0.55 * strain + 0.45 * rng.betavariate(1.6, 2.6))

    # Most people who use a pain and connection check-in have some pain.
    a["pain_frequency"] = _ordinal(rng, "pain_frequency", _clip(pain * 1.15 + 0.08), 0.8)
    in_pain = a["pain_frequency"] not in ("never",)
    if in_pain:
        a["pain_duration"] = _choose(rng, "pain_duration", (1.0 - 0.7 * pain, 4.0 + 4 * pain, 0.8))
        a["pain_impact"] = _ordinal(rng, "pain_impact", _clip(pain * 1.05 - 0.1), 0.9)
        if rng.random() < SKIP["pain_areas"]:
            a["pain_areas"] = []
        else:
            areas = [v for v, _ in ins.PAIN_AREAS]
            weights = [5, 3, 4, 2, 1 + 2 * pain, 1]
            k = rng.choices((1, 2, 3, 4), weights=(5, 3, 1.5, 0.5))[0]
            chosen: list[str] = []
            while len(chosen) < k:
                pick = rng.choices(areas, weights=weights)[0]
                if pick not in chosen:
                    chosen.append(pick)
            a["pain_areas"] = chosen
    else:
        a["pain_duration"] = None
        a["pain_impact"] = "never" if rng.random() > SKIP["pain_impact"] else None
        a["pain_areas"] = []

    base = 10 * pain if in_pain else 0.5
    a["peg_pain"] = _scale(rng, "peg_pain", base)
    a["peg_enjoyment"] = _scale(rng, "peg_enjoyment", base * 0.9 + 2 * lonely)
    a["peg_activity"] = _scale(rng, "peg_activity", base * 0.95)

    for code in ("ucla_companionship", "ucla_left_out", "ucla_isolated"):
        a[code] = _ordinal(rng, code, lonely, 0.7)
    # The ONS question runs from "often or always" down to "never".
    a["lonely"] = _ordinal(rng, "lonely", 1 - lonely, 1.0)
    a["rejected"] = _ordinal(rng, "rejected", _clip(lonely - 0.15), 0.7)
    a["pain_avoidance"] = (
        _ordinal(rng, "pain_avoidance", _clip(0.5 * pain + 0.5 * lonely - 0.15), 0.7) if in_pain
        else _choose(rng, "pain_avoidance", (1,))
    )
    # "Always" first: more support for the less lonely.
    a["support"] = _ordinal(rng, "support", _clip(lonely * 0.9 + 0.1), 1.1)

    r = rng.random()
    if r < SKIP["medicines"]:
        meds: list[str] = []
    elif r < SKIP["medicines"] + PREFER["medicines"]:
        meds = [PN]
    else:
        meds = [m for m, p in (("otc", 0.45), ("rx_nonopioid", 0.15 + 0.2 * pain),
                               ("rx_opioid", 0.03 + 0.22 * pain)) if in_pain and rng.random() < p]
        if not in_pain and rng.random() < 0.2:
            meds = ["otc"]
        meds = meds or ["none"]
    a["medicines"] = meds
    a["opioid_duration"] = (
        _choose(rng, "opioid_duration", (1, 2 + 3 * pain)) if "rx_opioid" in meds else None
    )

    for option, _ in ins.COPING_OPTIONS:
        if rng.random() < SKIP["coping"]:
            a[ins.coping_field(option)] = None
        else:
            a[ins.coping_field(option)] = rng.choices(
                ("using_now", "tried_before", "learn_more", "not_for_me"), weights=(2 + 2 * pain, 2, 3, 1.5)
            )[0]

    a["sleep"] = _ordinal(rng, "sleep", _clip(0.6 * pain + 0.4 * lonely), 0.8)
    a["stress"] = _ordinal(rng, "stress", _clip(0.5 * pain + 0.5 * lonely), 0.8)
    a["safety"] = _choose(rng, "safety", (1 - 0.04 * lonely, 0.01 + 0.04 * lonely))
    return a


def monthly_volumes(rng: random.Random, months: int, *, low: int = 20, high: int = 200) -> list[int]:
    """Return a site's check-ins per month, each from ``low`` to ``high``.

    A site has its own level (log-uniform over the range), a slow trend and noise
    from month to month, so sizes near the threshold and well above it both occur.
    """
    level = math.exp(rng.uniform(math.log(low), math.log(high)))
    trend = rng.uniform(-0.03, 0.04)
    out = []
    lo, hi = math.log(low), math.log(high)
    for m in range(months):
        x = math.log(level) + trend * m + rng.gauss(0, 0.2)
        # Reflect at the ends rather than pile sizes up on them.
        while not lo <= x <= hi:
            x = 2 * lo - x if x < lo else 2 * hi - x
        out.append(int(min(high, max(low, round(math.exp(x))))))
    return out


def site_months(rng: random.Random, first_year: int, first_month: int, months: int, **bounds) -> dict:
    """Return ``{(year, month): number of check-ins}`` for consecutive months."""
    sizes = monthly_volumes(rng, months, **bounds)
    out = {}
    for i, size in enumerate(sizes):
        index = first_year * 12 + first_month - 1 + i
        out[(index // 12, index % 12 + 1)] = size
    return out
