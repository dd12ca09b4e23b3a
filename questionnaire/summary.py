"""Plain words for what a person answered (review page and results summary)."""

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


def score_sentences(scores) -> list[str]:
    """Describe the scores in plain words, without labelling the person."""
    sentences = []
    if scores.peg is not None:
        sentences.append(
            f"Your pain score for the past week is {scores.peg:g} out of 10. "
            "It is the average of your three answers about pain."
        )
    if scores.ucla3 is not None:
        sentences.append(
            f"Your loneliness score is {scores.ucla3} on a scale from 3 to 9. "
            "A higher number means you feel alone more often."
        )
    return sentences


@dataclass(frozen=True)
class ScoreTile:
    value: str  # the number, large
    scale: str  # "out of 10", "on a scale from 3 to 9"
    name: str  # what it measures
    meaning: str  # how to read it, in words


def score_tiles(scores) -> list[ScoreTile]:
    """Return the scores for the summary card at the top of the results, each in words."""
    tiles = []
    if scores.peg is not None:
        tiles.append(ScoreTile(
            f"{scores.peg:g}", "out of 10", "Pain score, past week",
            "The average of your 3 pain answers. 0 is no pain.",
        ))
    if scores.ucla3 is not None:
        tiles.append(ScoreTile(
            f"{scores.ucla3}", "on a scale from 3 to 9", "Loneliness score",
            "Higher means you feel alone more often.",
        ))
    return tiles
