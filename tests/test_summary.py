"""The summary says what the person said, in words, with the numbers beside them."""

import pytest
import textstat

from questionnaire import scoring, summary

FULL = {
    "peg_pain": 8, "peg_enjoyment": 7, "peg_activity": 0,
    "ucla_companionship": "often", "ucla_left_out": "often", "ucla_isolated": "some_of_the_time",
}


def test_pain_answers_are_described_in_words_with_the_number_beside():
    assert summary.peg_said(FULL) == [
        "You said your pain was 8 out of 10 on average in the past week.",
        "You said pain got in the way of things you enjoy a lot (7 out of 10).",
        "You said pain did not get in the way of your daily activity (0 out of 10).",
    ]


@pytest.mark.parametrize("value, words", [(1, "a little"), (3, "a little"), (4, "quite a bit"), (6, "quite a bit"),
                                          (7, "a lot"), (9, "a lot"), (10, "completely")])
def test_interference_words_follow_the_answer(value, words):
    assert summary.interference_words(value) == words


def test_loneliness_answers_say_what_was_answered_not_what_the_person_is():
    assert summary.ucla_said(FULL) == [
        "Your answers say you often feel you lack company.",
        "Your answers say you often feel left out.",
        "Your answers say you feel cut off from others some of the time.",
    ]
    # The tile says the most frequent answers in one sentence.
    assert summary.ucla_summary(FULL) == "Your answers say you often feel left out."
    assert summary.ucla_summary({**FULL, "ucla_left_out": "hardly_ever"}) == "Your answers say you often lack company."
    assert summary.ucla_summary({"ucla_left_out": "hardly_ever"}) == "Your answers say you hardly ever feel left out."
    assert summary.ucla_summary({"ucla_left_out": "prefer_not"}) == ""


def test_tiles_carry_the_score_and_the_words_and_no_scale_from_3_to_9_sentence():
    tiles = summary.score_tiles(scoring.score(FULL), FULL)
    pain, alone = tiles
    assert (pain.value, pain.scale) == ("5", "out of 10")
    assert pain.said == tuple(summary.peg_said(FULL))
    assert pain.meaning == "You said pain got in the way of things you enjoy a lot (7 of 10)."  # the most of the two
    assert summary.peg_summary({"peg_enjoyment": 2, "peg_activity": 5}) == (
        "You said pain got in the way of daily tasks quite a bit (5 of 10).")
    assert summary.peg_summary({"peg_enjoyment": 0, "peg_activity": 0}).startswith("You said pain did not get")
    assert (alone.value, alone.scale, alone.name) == ("8", "from 3 to 9", "Feeling alone")
    assert alone.said == tuple(summary.ucla_said(FULL)) and alone.meaning == summary.ucla_summary(FULL)
    assert all("on a scale from" not in tile.meaning for tile in tiles)
    for tile in tiles:
        assert textstat.flesch_kincaid_grade(tile.meaning) <= 8, tile.meaning


def test_without_answers_the_tiles_say_how_to_read_the_number():
    tiles = summary.score_tiles(scoring.score(FULL))
    assert tiles[0].said == () and "average" in tiles[0].meaning


def test_declined_or_missing_answers_are_left_out():
    answers = {**FULL, "ucla_isolated": "prefer_not", "peg_activity": None}
    assert len(summary.ucla_said(answers)) == 2 and len(summary.peg_said(answers)) == 2
    assert summary.score_tiles(scoring.score(answers), answers) == []  # no score without all three answers
    answers["peg_activity"] = 3
    tiles = summary.score_tiles(scoring.score(answers), answers)
    assert [tile.value for tile in tiles] == ["6"] and len(tiles[0].said) == 3


def test_other_answers_in_words():
    answers = {"pain_frequency": "every_day", "pain_impact": "never", "lonely": "often_always",
               "support": "prefer_not", "sleep": "poorly", "stress": "very", "safety": "yes"}
    assert summary.answer_sentences(answers) == [
        "You said you had pain every day in the past 3 months.",
        "You said pain never limited your life or work in the past 3 months.",
        "You said you feel lonely often or always.",
        "You said you sleep poorly most nights.",
        "You said you felt very stressed lately.",
    ]
    assert summary.answer_sentences({"pain_frequency": "junk"}) == []
