"""Plain words for what a person answered (review page and results summary).

The summary describes what the person said, never what they are: "You said pain
got in the way of things you enjoy a lot (7 out of 10)", "Your answers say you
often feel left out", with the numbers beside the words. Pure: of Django only
its translation functions and number formats (the sentences come in the language
of the page; each is a whole sentence with named placeholders, so a translator
can put the words in any order).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext, gettext_lazy as _, pgettext_lazy

from . import instruments as ins


def score_text(value) -> str:
    """Return a score as the page writes it: no trailing ".0", the language's decimal mark (5.5, 5,5)."""
    return f"{value:g}".replace(".", formats.get_format("DECIMAL_SEPARATOR"))


@dataclass(frozen=True)
class AnswerRow:
    key: str  # the answer name; the review page's "Change" link uses it as an anchor
    question: str
    answer: str
    choices: tuple[str, ...] = ()  # a multi-choice answer, one label each (shown as a list)


def _chosen(question: ins.Question, value) -> tuple[str, ...]:
    return tuple(label for code, label in question.all_choices if code in (value or []))


def _words(question: ins.Question, value) -> str:
    if question.kind == ins.MULTI:
        chosen = _chosen(question, value)
        return "; ".join(str(label) for label in chosen) if chosen else gettext("Not answered")
    return question.label(value)


def step_rows(step: ins.Step, answers: dict) -> list[AnswerRow]:
    """Return one row per question of a step, each answer in words."""
    rows = []
    for code in step.questions:
        question = ins.BY_CODE[code]
        if question.kind == ins.GRID:
            for option, label in question.rows:
                key = ins.coping_field(option)
                value = answers.get(key)
                words = dict(ins.COPING_STATES).get(value) or gettext("Not answered")
                rows.append(AnswerRow(key, label, words))
        else:
            value = answers.get(code)
            choices = _chosen(question, value) if question.kind == ins.MULTI else ()
            rows.append(AnswerRow(code, question.text, _words(question, value), choices))
    return rows


# How much pain got in the way, in words for a 0-10 PEG answer. These describe the
# answer, not the person; the PEG's authors give no labels for its score, so the
# score itself is shown as a number only.
INTERFERENCE_WORDS = (
    (0, pgettext_lazy("how much pain got in the way", "not at all")),
    (3, pgettext_lazy("how much pain got in the way", "a little")),
    (6, pgettext_lazy("how much pain got in the way", "quite a bit")),
    (9, pgettext_lazy("how much pain got in the way", "a lot")),
    (10, pgettext_lazy("how much pain got in the way", "completely")),
)
UCLA_PHRASES = {  # the three questions in plain words
    "ucla_companionship": _("feel you lack company"),
    "ucla_left_out": _("feel left out"),
    "ucla_isolated": _("feel cut off from others"),
}
UCLA_SHORT = {"ucla_companionship": _("lack company"), "ucla_left_out": _("feel left out"),
              "ucla_isolated": _("feel cut off")}
# How often, around a UCLA phrase: one whole sentence per answer, so the order is the translator's.
UCLA_SENTENCES = {
    "often": _("Your answers say you often {phrase}."),
    "hardly_ever": _("Your answers say you hardly ever {phrase}."),
    "some_of_the_time": _("Your answers say you {phrase} some of the time."),
}
# What pain got in the way of, in the PEG sentences.
PEG_WHAT = {
    "peg_enjoyment": _("things you enjoy"),
    "peg_activity": _("your daily activity"),
}
PEG_WHAT_SHORT = {"peg_enjoyment": _("things you enjoy"), "peg_activity": _("daily tasks")}


def _scale_answer(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10 else None


def interference_words(value: int) -> str:
    """Return how much pain got in the way, in words, for a 0-10 answer."""
    return next(words for top, words in INTERFERENCE_WORDS if value <= top)


def peg_said(answers: dict) -> list[str]:
    """Return what the person said in the three PEG answers, one sentence each, numbers beside."""
    sentences = []
    pain = _scale_answer(answers.get("peg_pain"))
    if pain == 0:
        sentences.append(gettext("You said you had no pain on average in the past week (0 out of 10)."))
    elif pain is not None:
        sentences.append(gettext("You said your pain was {value} out of 10 on average in the past week.").format(
            value=pain))
    for code, what in PEG_WHAT.items():
        value = _scale_answer(answers.get(code))
        if value == 0:
            sentences.append(gettext("You said pain did not get in the way of {what} (0 out of 10).").format(
                what=what))
        elif value is not None:
            sentences.append(gettext("You said pain got in the way of {what} {how} ({value} out of 10).").format(
                what=what, how=interference_words(value), value=value))
    return sentences


def peg_summary(answers: dict) -> str:
    """Return, in one short sentence, the most pain got in the way (the tile's number is the average)."""
    told = [(value, what) for code, what in PEG_WHAT_SHORT.items()
            if (value := _scale_answer(answers.get(code))) is not None]
    if not told:
        return ""
    value, what = max(told, key=lambda pair: pair[0])  # things you enjoy, at a tie
    if value == 0:
        return gettext("You said pain did not get in the way of things you enjoy or daily tasks (0 of 10).")
    return gettext("You said pain got in the way of {what} {how} ({value} of 10).").format(
        what=what, how=interference_words(value), value=value)


def ucla_summary(answers: dict) -> str:
    """Return one of the most frequent UCLA answers in a short sentence ("Your answers say you
    often feel left out"), for the tile beside the score; ``ucla_said`` has all three."""
    for value in ("often", "some_of_the_time", "hardly_ever"):
        codes = [code for code in ("ucla_left_out", "ucla_isolated", "ucla_companionship") if answers.get(code) == value]
        if codes:
            return UCLA_SENTENCES[value].format(phrase=UCLA_SHORT[codes[0]])
    return ""


def ucla_said(answers: dict) -> list[str]:
    """Return what the three UCLA answers say, in words: "Your answers say you often feel left out"."""
    return [UCLA_SENTENCES[answers[code]].format(phrase=phrase)
            for code, phrase in UCLA_PHRASES.items() if answers.get(code) in UCLA_SENTENCES]


# Other answers in words, for the summary: (code, sentence with {answer}), only
# for answers given ("Prefer not to say" and blanks are left out).
_SAID = (
    ("pain_frequency", _("You said you had pain {answer} in the past 3 months.")),
    ("pain_impact", _("You said pain limited your life or work {answer} in the past 3 months.")),
    ("lonely", _("You said you feel lonely {answer}.")),
    ("support", _("You said you get the support you need {answer}.")),
    ("sleep", _("You said you sleep {answer} most nights.")),
)
_SPECIAL = {
    ("pain_frequency", "never"): _("You said you had no pain in the past 3 months."),
    ("pain_impact", "never"): _("You said pain never limited your life or work in the past 3 months."),
    ("stress", "a_little"): _("You said you felt a little stressed lately, or not at all."),
    ("stress", "somewhat"): _("You said you felt somewhat stressed lately."),
    ("stress", "very"): _("You said you felt very stressed lately."),
}


def answer_sentences(answers: dict) -> list[str]:
    """Return the person's main single answers as sentences about what they said."""
    sentences = []
    for code, template in (*_SAID, ("stress", "")):
        value = answers.get(code)
        question = ins.BY_CODE[code]
        if value is None or value == ins.PREFER_NOT or value not in question.values:
            continue
        special = _SPECIAL.get((code, value))
        if special:
            sentences.append(str(special))
        elif template:
            label = str(question.label(value))
            sentences.append(template.format(answer=label[:1].lower() + label[1:]))
    return sentences


@dataclass(frozen=True)
class ScoreTile:
    value: str  # the number, large
    scale: str  # "out of 10", "from 3 to 9"
    name: str  # what it measures
    meaning: str  # what the person said, in one short sentence, with the numbers beside
    said: tuple[str, ...] = ()  # in full, one sentence per answer behind the score


def score_tiles(scores, answers: dict | None = None) -> list[ScoreTile]:
    """Return the scores for the summary card at the top of the results, each with what
    the person said in words. Without ``answers``, say how to read the number."""
    tiles = []
    answers = answers or {}
    if scores.peg is not None:
        said = tuple(peg_said(answers))
        tiles.append(ScoreTile(
            score_text(scores.peg), gettext("out of 10"), gettext("Pain score, past week"),
            peg_summary(answers) or gettext("The average of your 3 pain answers. 0 is no pain."), said,
        ))
    if scores.ucla3 is not None:
        said = tuple(ucla_said(answers))
        tiles.append(ScoreTile(
            f"{scores.ucla3}", gettext("from 3 to 9"), gettext("Feeling alone"),
            ucla_summary(answers) or gettext("The sum of your 3 answers about feeling alone. Higher means more often."),
            said,
        ))
    return tiles
