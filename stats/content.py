"""Words of the staff side: the "How we protect small numbers" page.

Plain words, short sentences (grade 8 or below). ``protection_sections`` fills
in the site's threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaire import instruments as ins

from .disclosure import HIDDEN_LABEL, LINKED_LABEL, MIN_THRESHOLD

PROTECTION_TITLE = "How we protect small numbers"

# (heading, paragraphs); {small} is the largest hidden count, {threshold} the smallest shown.
_SECTIONS = (
    (
        "Why some numbers are hidden",
        (
            "These numbers come from real people in your community. When a number is small, "
            "someone who knows the group might guess who it is about.",
            "So we never show a count from 1 to {small}. A zero may be shown. "
            "Every hidden number reads \u201c{label}\u201d, so no one can tell which ones are small.",
        ),
    ),
    (
        "Why more numbers are hidden than the small ones",
        (
            "If a table shows a total and every number but one, you could work out the missing one. "
            "So we also hide one or more other numbers near each small one. "
            "We call these \u201ccomplementary\u201d numbers.",
            "We pick the ones that cost you the least. Totals and key figures are the last to go. "
            "Small numbers inside a table go first.",
        ),
    ),
    (
        "We check every link between the numbers",
        (
            "A quarter is the sum of its three months, and a year is the sum of its quarters. "
            "Some numbers also follow from how the questions work. For example, pain on most days "
            "or every day counts as chronic pain.",
            "Our checks know every one of these links, and the averages we show. "
            "Before we publish, a computer program tries to work out each hidden number the way "
            "a curious reader could. We publish only when it cannot pin a hidden number down "
            "or prove that it is from 1 to {small}.",
            "It is not enough that a hidden number could be 0. If the links show that it is at "
            "most {small}, a reader still learns that it is small. So each small hidden number "
            "must be able to reach {threshold} as far as any reader can tell.",
            "The same goes for numbers we never publish, such as a month\u2019s count for each "
            "answer. A reader could still work on them through the quarter, so we check them too.",
        ),
    ),
    (
        "When a whole period is held back",
        (
            "Now and then no choice of hidden numbers is safe. Say a quarter has a month with no "
            "check-ins, a month with 10 and a month with 11. The month of 10 is almost half the "
            "quarter. Whatever we hide, the quarter\u2019s numbers could show that some of its "
            "numbers are small.",
            "Then we hold back the whole quarter. It reads \u201c{linked}\u201d. We publish no new "
            "number for it, so nothing a reader knew before tells them more. The months we already "
            "showed stay as they are. The year is checked the same way, with the held quarter "
            "as a secret it must keep.",
        ),
    ),
    (
        "Bands and averages instead of single values",
        (
            "For the three 0 to 10 pain questions we show three bands (0 to 3, 4 to 6 and 7 to 10) "
            "and the average score. Eleven single values would mostly be small and hidden. "
            "Three bands can usually be shown.",
            "For support, we show \u201calways or usually\u201d together. This is also how the "
            "national figure is counted.",
        ),
    ),
    (
        "One \u201cno answer\u201d for each question",
        (
            "\u201cNot answered\u201d and \u201cprefer not to say\u201d are counted together as "
            "\u201cno answer\u201d. Each is often small on its own, and a small cell in every "
            "table would force many more numbers to be hidden.",
        ),
    ),
    (
        "What we do not publish",
        (
            "We do not publish how often each results card was shown. Each card follows from the "
            "answers, so those counts would repeat the answer numbers in another form. "
            "They could undo the protection.",
            "A single month shows its total, its averages and its key figures only. Beside each key "
            "figure it shows one count for everyone else, such as \u201cNo, or cannot tell\u201d. "
            "A month is small, so most of its other numbers would be hidden anyway. Showing them "
            "would also force more hiding in the quarter. Look at the quarter or the year for the "
            "full tables.",
            "Now and then the last month of a quarter hides a key figure it could show. It does "
            "this when one earlier month had to hide it. If the last month showed it, the quarter "
            "would have to hide it too. We would rather keep the quarter\u2019s figure.",
        ),
    ),
    (
        "Why a key figure may be hidden",
        (
            "A share is shown only when the count behind it is shown. If that count is from 1 to "
            "{small}, the share is hidden too. So it is when the count of everyone else is from 1 to "
            "{small}. An average is shown only for a group of {threshold} "
            "or more people, and only when the checks above allow it.",
            "An average tells more than its value. Since we show it only for {threshold} or more "
            "people, it also tells that the people without a score are at most the total less "
            "{threshold}. Our checks know this. When it would show that a hidden number is small, "
            "we leave the average out.",
            "We could instead show an average only when the people without a score are 0 or "
            "{threshold} or more. We tried both ways on made-up communities. That rule kept less than "
            "half as many averages, so we chose the checks.",
            "A period with fewer than {threshold} check-ins shows only that fact.",
            "When a quarter must hide a key share, its card may show the share for the last four "
            "quarters together, marked as pooled. We check those numbers like any other period.",
        ),
    ),
    (
        "Numbers never change",
        (
            "Each month, quarter and year is published after it ends. Its numbers never change after "
            "that. When we add a new answer to the tables, it shows in periods not yet published. "
            "Older periods keep their tables as they were.",
            "Now and then we may publish an old period again, for example to add a new answer. "
            "The first version stays. Every number it showed is the same in the new one. Our checks "
            "take both versions together, so a reader who compares them learns nothing more. "
            "The page says when it was published again, and why.",
        ),
    ),
)


def protection_sections(threshold: int = MIN_THRESHOLD) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return the page's sections, (heading, paragraphs), for a site's threshold."""
    words = {"small": threshold - 1, "threshold": threshold, "label": HIDDEN_LABEL, "linked": LINKED_LABEL}
    return tuple((heading, tuple(p.format(**words) for p in paragraphs)) for heading, paragraphs in _SECTIONS)


# --- Definitions: what each figure and table counts, in plain words -----------

@dataclass(frozen=True)
class Definition:
    """What one indicator counts: the question as asked, who is counted (numerator)
    out of whom (denominator), where the question comes from, what to keep in mind,
    and, where it helps, one line on what staff could do with it."""

    question: str
    numerator: str
    denominator: str
    source: str
    caveats: str = ""
    use: str = ""


ALL_CHECKINS = "All shared check-ins in the period, those who skipped the question included."
SELF_SELECTED = "Check-ins are self-selected: people choose to take part, so they may not speak for everyone."

# National figures that fit our questions less closely than the headline benchmarks:
# shown as reading help, never judged against (the question or the cut point differs).
OTHER_BENCHMARKS = {
    "ucla_isolated": (
        "Nearest national figure: 31.9% of US adults felt socially isolated or lonely at least sometimes "
        "(BRFSS 2022, 39 states and DC, CDC MMWR 73(9), 2024; CDC PLACES maps this measure by county). "
        "It differs from our question: BRFSS asks on a five-point scale (always to never), we ask the "
        "UCLA-3 item on a three-point scale (hardly ever, some of the time, often), so no higher or "
        "lower is judged."
    ),
    "support": (
        "Another national figure: 24.8% of US adults reported a lack of social and emotional support "
        "(BRFSS 2022, 39 states and DC, CDC MMWR 73(9), 2024; CDC PLACES maps it by county). "
        "BRFSS asks the same question as we do, but only states that chose the module took part, and "
        "we have not checked which answers it counts as lacking, so the headline is judged against "
        "NHIS 2020 instead."
    ),
}


def _q(code: str) -> str:
    return f"\u201c{ins.BY_CODE[code].text}\u201d"


def _source(code: str) -> str:
    return ins.SOURCES[ins.BY_CODE[code].source].name


HEADLINE_DEFINITIONS = {
    "checkins": Definition(
        "Everyone who finished the check-in by this community's link and chose to share their answers.",
        "Shared check-ins submitted in the period.", "None: this is a count.",
        "This check-in.", SELF_SELECTED + " People who chose \u201ckeep only for me\u201d are not counted.",
        "Compare with how many people you reached, to see whether the link or poster is working."),
    "share_chronic_pain": Definition(
        _q("pain_frequency"), "Check-ins that answered \u201cmost days\u201d or \u201cevery day\u201d.",
        ALL_CHECKINS, _source("pain_frequency") + " (the US adult figure: NHIS 2019, 20.4%).",
        "NHIS counts out of adults who answered; we count out of all check-ins. " + SELF_SELECTED),
    "share_high_impact": Definition(
        _q("pain_frequency") + " and " + _q("pain_impact"),
        "Check-ins with chronic pain that limited life or work on most days or every day.",
        ALL_CHECKINS, _source("pain_impact") + " (the US adult figure: NHIS 2019, 7.4%).",
        "NHIS counts out of adults who answered; we count out of all check-ins. " + SELF_SELECTED),
    "share_long_term_opioid": Definition(
        _q("medicines") + " and " + _q("opioid_duration"),
        "Check-ins taking a prescribed opioid for 3 months or more.", ALL_CHECKINS, "Written for this check-in.",
        "No national figure asks this the same way, so none is shown. " + SELF_SELECTED,
        "Plan naloxone training and safe-storage talks for members on long-term opioids."),
    "mean_peg": Definition(
        "The three PEG questions: pain on average, and how much pain got in the way of enjoying life "
        "and of general activity, in the past week, 0 to 10 each.",
        "The mean of the three answers (0 to 10), averaged over the check-ins.",
        "Check-ins that answered all three.", _source("peg_pain") + " (Krebs 2009).",
        "A change of about 1 point is meaningful for one person; a group mean moves less. "
        "No interval: the spread of scores is not published."),
    "mean_ucla3": Definition(
        "The three UCLA-3 questions: how often you lack companionship, feel left out, feel isolated "
        "from others.",
        "The sum of the three answers (3 to 9), averaged over the check-ins.",
        "Check-ins that answered all three.", _source("ucla_isolated") + " (Hughes 2004).",
        "Higher means lonelier. No interval: the spread of scores is not published.",
        "Track it after you start a peer-support group or a social activity."),
    "share_support_usually": Definition(
        _q("support"), "Check-ins that answered \u201calways\u201d or \u201cusually\u201d.", ALL_CHECKINS,
        _source("support") + " (the US adult figure: NHIS July to December 2020, 77.5%).",
        "NHIS counts out of adults who answered; we count out of all check-ins. " + SELF_SELECTED
        + " " + OTHER_BENCHMARKS["support"]),
}

# One line of "what you could do with this" for tables where it helps.
USES = {
    "coping": "Use \u201cwould like to learn more\u201d to plan workshops and classes: start with the most asked for.",
    "dist:support": "Where many rarely or never get the support they need, a buddy or call-back scheme may help.",
    "dist:safety": "A share answering yes says how much crisis support to have ready (988, trained staff).",
    "cross:chronic_pain*ucla3_band": "Shows whether loneliness is higher among members with chronic pain.",
}


def table_definition(table_id: str) -> Definition | None:
    """Return what a dashboard table counts (None for one this module does not know)."""
    kind, _, dimension = table_id.partition(":")
    use = USES.get(table_id, "")
    if table_id == "coping":
        return Definition(_q("coping"), "Check-ins that chose each answer, for each way to ease pain.",
                          ALL_CHECKINS, _source("coping"), SELF_SELECTED, USES["coping"])
    if kind in ("dist", "multi") and dimension in ins.BY_CODE:
        question = ins.BY_CODE[dimension]
        numerator = ("Check-ins that chose each option (a check-in may choose several)." if kind == "multi"
                     else "Check-ins that gave each answer; \u201cno answer\u201d counts skipped and "
                     "\u201cprefer not to say\u201d together.")
        caveats = " ".join(filter(None, [SELF_SELECTED, OTHER_BENCHMARKS.get(dimension, "")]))
        if question.kind == ins.SCALE:
            numerator = "Check-ins in each band of the 0 to 10 answer (0 to 3, 4 to 6, 7 to 10)."
        return Definition(_q(dimension), numerator, ALL_CHECKINS,
                          ins.SOURCES[question.source].citation, caveats, use)
    flags = {"chronic_pain": "share_chronic_pain", "high_impact_chronic_pain": "share_high_impact",
             "long_term_opioid": "share_long_term_opioid", "peg_band": "mean_peg", "ucla3_band": "mean_ucla3"}
    if kind in ("series", "trend") and dimension in HEADLINE_DEFINITIONS:
        return HEADLINE_DEFINITIONS[dimension]
    if table_id == "trend":
        return HEADLINE_DEFINITIONS["checkins"]
    if kind == "dist" and dimension in flags:
        return HEADLINE_DEFINITIONS[flags[dimension]]
    if kind == "cross":
        return Definition("Two of the figures above, counted together.",
                          "Check-ins in each pair of groups (row and column).", ALL_CHECKINS,
                          "This check-in's answers.", SELF_SELECTED + " A link between two answers is not a cause.",
                          use)
    return None
