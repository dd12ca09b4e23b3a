"""Pure functions: answers -> derived scores and flags.

``answers`` is the flat mapping the check-in builds (see ``flow``): a question code
maps to its value (``None`` when not answered), a multi-select code to a list of
chosen values, and each coping option ``coping_<option>`` to its state.

A score that cannot be worked out honestly is ``None``: a missing or "prefer not
to say" answer never turns into a number.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction

from .instruments import OPIOID_MEDICINES, PREFER_NOT, UCLA_POINTS

PEG_ITEMS = ("peg_pain", "peg_enjoyment", "peg_activity")
UCLA_ITEMS = ("ucla_companionship", "ucla_left_out", "ucla_isolated")
FREQUENT = ("most_days", "every_day")


@dataclass(frozen=True)
class Scores:
    peg: float | None  # mean of the three PEG items, 0-10, one decimal
    ucla3: int | None  # sum of the three UCLA items, 3-9
    chronic_pain: bool | None  # NHIS: pain on most days or every day, past 3 months
    high_impact_chronic_pain: bool | None  # chronic pain limiting life/work most days+
    long_term_opioid: bool | None  # prescribed opioid for 3 months or more

    def as_dict(self) -> dict:
        return asdict(self)


def peg_score(answers: dict) -> float | None:
    """Return the PEG mean (0-10, rounded to one decimal), or None if any item is missing."""
    values = [answers.get(code) for code in PEG_ITEMS]
    if any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 10 for v in values):
        return None
    mean = Fraction(sum(values), 3)
    # Round half up on exact fractions, so 6.05 never becomes 6.0 through binary floats.
    return float(int(mean * 10 + Fraction(1, 2))) / 10


def ucla3_score(answers: dict) -> int | None:
    """Return the UCLA-3 sum (3-9), or None if any item is missing or declined."""
    points = [UCLA_POINTS.get(answers.get(code)) for code in UCLA_ITEMS]
    if any(p is None for p in points):
        return None
    return sum(points)


def chronic_pain(answers: dict) -> bool | None:
    """Return True for pain on most days or every day in the past 3 months (NHIS)."""
    frequency = answers.get("pain_frequency")
    if frequency is None or frequency == PREFER_NOT:
        return None
    return frequency in FREQUENT


def high_impact_chronic_pain(answers: dict) -> bool | None:
    """Return True for chronic pain that limited life or work on most days or every day."""
    chronic = chronic_pain(answers)
    if chronic is False:
        return False
    impact = answers.get("pain_impact")
    if chronic is None:
        # Without the frequency answer we cannot say it is chronic; but pain that
        # never limited life or work is surely not high-impact.
        return False if impact == "never" else None
    if impact is None or impact == PREFER_NOT:
        return None
    return impact in FREQUENT


def long_term_opioid(answers: dict) -> bool | None:
    """Return True for a prescribed opioid taken for 3 months or more."""
    medicines = answers.get("medicines") or []
    if not medicines or PREFER_NOT in medicines:
        return None
    if "rx_opioid" not in medicines:
        return False
    duration = answers.get("opioid_duration")
    if duration is None or duration == PREFER_NOT:
        return None
    return duration == "3_months_plus"


def opioid_medicine(answers: dict) -> bool | None:
    """Return True when the medicines chosen include a prescribed opioid or a
    medication for opioid use disorder: the answers that bring naloxone and
    overdose safety to the results."""
    medicines = answers.get("medicines") or []
    if not medicines or PREFER_NOT in medicines:
        return None
    return any(medicine in medicines for medicine in OPIOID_MEDICINES)


def score(answers: dict) -> Scores:
    """Return every derived score and flag for one set of answers."""
    return Scores(
        peg=peg_score(answers),
        ucla3=ucla3_score(answers),
        chronic_pain=chronic_pain(answers),
        high_impact_chronic_pain=high_impact_chronic_pain(answers),
        long_term_opioid=long_term_opioid(answers),
    )


def peg_band(peg: float | None) -> str | None:
    """Return the staff-table band of a PEG mean: "0-3.9", "4-6.9" or "7-10"."""
    if peg is None:
        return None
    if peg < 4:
        return "0-3.9"
    if peg < 7:
        return "4-6.9"
    return "7-10"


def ucla3_band(ucla3: int | None) -> str | None:
    """Return the staff-table band of a UCLA-3 sum: "3-5" or "6-9"."""
    if ucla3 is None:
        return None
    return "3-5" if ucla3 <= 5 else "6-9"
