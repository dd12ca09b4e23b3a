"""Plain words for what a person answered (review page and results summary).

The summary describes what the person said, never what they are: "You said pain
got in the way of things you enjoy a lot (7 out of 10)", "Your answers say you
often feel left out", with the numbers beside the words. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import instruments as ins


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
        return "; ".join(chosen) if chosen else "Not answered"
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
                words = dict(ins.COPING_STATES).get(value, "Not answered")
                rows.append(AnswerRow(key, label, words))
        else:
            value = answers.get(code)
            choices = _chosen(question, value) if question.kind == ins.MULTI else ()
            rows.append(AnswerRow(code, question.text, _words(question, value), choices))
    return rows


# How much pain got in the way, in words for a 0-10 PEG answer. These describe the
# answer, not the person; the PEG's authors give no labels for its score, so the
# score itself is shown as a number only.
INTERFERENCE_WORDS = ((0, "not at all"), (3, "a little"), (6, "quite a bit"), (9, "a lot"), (10, "completely"))
UCLA_PHRASES = {  # the three questions in plain words
    "ucla_companionship": "feel you lack company",
    "ucla_left_out": "feel left out",
    "ucla_isolated": "feel cut off from others",
}
UCLA_SHORT = {"ucla_companionship": "lack company", "ucla_left_out": "feel left out", "ucla_isolated": "feel cut off"}


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
        sentences.append("You said you had no pain on average in the past week (0 out of 10).")
    elif pain is not None:
        sentences.append(f"You said your pain was {pain} out of 10 on average in the past week.")
    for code, what in (("peg_enjoyment", "things you enjoy"), ("peg_activity", "your daily activity")):
        value = _scale_answer(answers.get(code))
        if value == 0:
            sentences.append(f"You said pain did not get in the way of {what} (0 out of 10).")
        elif value is not None:
            sentences.append(
                f"You said pain got in the way of {what} {interference_words(value)} ({value} out of 10)."
            )
    return sentences


def _ucla_clauses(answers: dict) -> list[str]:
    clauses = []
    for code, phrase in UCLA_PHRASES.items():
        value = answers.get(code)
        if value == "often":
            clauses.append(f"often {phrase}")
        elif value == "hardly_ever":
            clauses.append(f"hardly ever {phrase}")
        elif value == "some_of_the_time":
            clauses.append(f"{phrase} some of the time")
    return clauses


def peg_summary(answers: dict) -> str:
    """Return, in one short sentence, the most pain got in the way (the tile's number is the average)."""
    told = [(value, what) for code, what in (("peg_enjoyment", "things you enjoy"), ("peg_activity", "daily tasks"))
            if (value := _scale_answer(answers.get(code))) is not None]
    if not told:
        return ""
    value, what = max(told, key=lambda pair: pair[0])  # things you enjoy, at a tie
    if value == 0:
        return "You said pain did not get in the way of things you enjoy or daily tasks (0 of 10)."
    return f"You said pain got in the way of {what} {interference_words(value)} ({value} of 10)."


def ucla_summary(answers: dict) -> str:
    """Return one of the most frequent UCLA answers in a short sentence ("Your answers say you
    often feel left out"), for the tile beside the score; ``ucla_said`` has all three."""
    for value, before, after in (("often", "often ", ""), ("some_of_the_time", "", " some of the time"),
                                 ("hardly_ever", "hardly ever ", "")):
        codes = [code for code in ("ucla_left_out", "ucla_isolated", "ucla_companionship") if answers.get(code) == value]
        if codes:
            return f"Your answers say you {before}{UCLA_SHORT[codes[0]]}{after}."
    return ""


def ucla_said(answers: dict) -> list[str]:
    """Return what the three UCLA answers say, in words: "Your answers say you often feel left out"."""
    return [f"Your answers say you {clause}." for clause in _ucla_clauses(answers)]


# Other answers in words, for the summary: (code, sentence with {answer}), only
# for answers given ("Prefer not to say" and blanks are left out).
_SAID = (
    ("pain_frequency", "You said you had pain {answer} in the past 3 months."),
    ("pain_impact", "You said pain limited your life or work {answer} in the past 3 months."),
    ("lonely", "You said you feel lonely {answer}."),
    ("support", "You said you get the support you need {answer}."),
    ("sleep", "You said you sleep {answer} most nights."),
)
_SPECIAL = {
    ("pain_frequency", "never"): "You said you had no pain in the past 3 months.",
    ("pain_impact", "never"): "You said pain never limited your life or work in the past 3 months.",
    ("stress", "a_little"): "You said you felt a little stressed lately, or not at all.",
    ("stress", "somewhat"): "You said you felt somewhat stressed lately.",
    ("stress", "very"): "You said you felt very stressed lately.",
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
            sentences.append(special)
        elif template:
            label = question.label(value)
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
            f"{scores.peg:g}", "out of 10", "Pain score, past week",
            peg_summary(answers) or "The average of your 3 pain answers. 0 is no pain.", said,
        ))
    if scores.ucla3 is not None:
        said = tuple(ucla_said(answers))
        tiles.append(ScoreTile(
            f"{scores.ucla3}", "from 3 to 9", "Feeling alone",
            ucla_summary(answers) or "The sum of your 3 answers about feeling alone. Higher means more often.",
            said,
        ))
    return tiles
