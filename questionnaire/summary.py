"""Plain words for what a person answered (review page and results summary)."""

from __future__ import annotations

from dataclasses import dataclass

from . import instruments as ins


@dataclass(frozen=True)
class AnswerRow:
    key: str  # the answer name; the review page's "Change" link uses it as an anchor
    question: str
    answer: str


def _words(question: ins.Question, value) -> str:
    if question.kind == ins.MULTI:
        chosen = [label for code, label in question.all_choices if code in (value or [])]
        return ", ".join(chosen) if chosen else "Not answered"
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
            rows.append(AnswerRow(code, question.text, _words(question, answers.get(code))))
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
