"""Words of the staff side: the "How we protect small numbers" page.

Plain words, short sentences (grade 8 or below). ``protection_sections`` fills
in the site's threshold.
"""

from __future__ import annotations

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
        ),
    ),
    (
        "Numbers never change",
        (
            "Each month, quarter and year is published once, after it ends. It never changes after "
            "that. This way no one can compare two versions to find one person\u2019s answers.",
        ),
    ),
)


def protection_sections(threshold: int = MIN_THRESHOLD) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return the page's sections, (heading, paragraphs), for a site's threshold."""
    words = {"small": threshold - 1, "threshold": threshold, "label": HIDDEN_LABEL, "linked": LINKED_LABEL}
    return tuple((heading, tuple(p.format(**words) for p in paragraphs)) for heading, paragraphs in _SECTIONS)
