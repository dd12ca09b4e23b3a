"""Synthetic answers for demo data and benchmarks (never real people's)."""

from __future__ import annotations

import random

from . import instruments as ins


def _pick(rng: random.Random, question: str, weights: tuple[float, ...]):
    values = ins.BY_CODE[question].values
    return rng.choices(values, weights=weights + (0,) * (len(values) - len(weights)))[0]


def answers(rng: random.Random) -> dict:
    """Return one plausible set of answers; skew and gaps like real check-ins."""
    a: dict = {}
    a["pain_frequency"] = _pick(rng, "pain_frequency", (1, 3, 3, 3))
    in_pain = a["pain_frequency"] != "never"
    a["pain_duration"] = _pick(rng, "pain_duration", (1, 6, 1)) if in_pain else None
    a["pain_impact"] = _pick(rng, "pain_impact", (3, 4, 3, 2)) if in_pain else "never"
    if in_pain:
        a["pain_areas"] = rng.sample([v for v, _ in ins.PAIN_AREAS], k=rng.choice((1, 1, 2, 3)))
    level = rng.randint(2, 8) if in_pain else 0
    for code in ("peg_pain", "peg_enjoyment", "peg_activity"):
        a[code] = None if rng.random() < 0.05 else max(0, min(10, level + rng.randint(-2, 2)))
    lonely = rng.random()
    for code in ("ucla_companionship", "ucla_left_out", "ucla_isolated"):
        a[code] = rng.choices(
            ("hardly_ever", "some_of_the_time", "often", ins.PREFER_NOT),
            weights=(1 - lonely, 1, lonely * 1.5, 0.05),
        )[0]
    a["lonely"] = _pick(rng, "lonely", (lonely * 2, 2, 2, 2 - lonely, 1, 0.2))
    a["rejected"] = _pick(rng, "rejected", (3, 3, 1 + lonely, 0.3))
    a["pain_avoidance"] = _pick(rng, "pain_avoidance", (3, 3, 2, 0.3)) if in_pain else "not_at_all"
    a["support"] = _pick(rng, "support", (3, 4, 3, 1.5, 0.5, 0.3))
    meds = rng.choices(
        (["none"], ["otc"], ["rx_nonopioid"], ["rx_opioid"], ["otc", "rx_opioid"], [ins.PREFER_NOT]),
        weights=(3, 4, 2, 2, 1, 0.3),
    )[0]
    a["medicines"] = meds
    a["opioid_duration"] = _pick(rng, "opioid_duration", (1, 3, 0.2)) if "rx_opioid" in meds else None
    for option, _ in ins.COPING_OPTIONS:
        a[ins.coping_field(option)] = rng.choices(
            (None, "using_now", "tried_before", "learn_more", "not_for_me"), weights=(3, 2, 2, 2, 1)
        )[0]
    a["sleep"] = _pick(rng, "sleep", (2, 3, 2))
    a["stress"] = _pick(rng, "stress", (2, 3, 2))
    a["safety"] = rng.choices(("no", ins.PREFER_NOT, "yes", None), weights=(90, 4, 1, 5))[0]
    return a
