"""The results read plainly and never diagnose: checked on the rendered lanes of every persona."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
import textstat
from django.template.loader import render_to_string

from questionnaire import content, rules, scoring

from .test_rules import PERSONAS

MAX_GRADE = 8.0

# Phrasings that label or diagnose the person. Our texts say "your answers mention...".
DIAGNOSTIC = (
    "you have",
    "you've",
    "you are addicted",
    "you're addicted",
    "addict",
    "you suffer",
    "suffer from",
    "suffering",
    "diagnos",
    "you are depressed",
    "you are lonely",
    "you are isolated",
    "you are sick",
    "your disorder",
    "use disorder",
    "your condition",
)


class LaneItems(HTMLParser):
    """Collect the visible text of each element whose class list holds ``lane-item``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[dict] = []
        self._open: list[list] = []  # [tag, depth, id, chunks]
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._depth += 1
        if "lane-item" in (attrs.get("class") or "").split():
            self._open.append([tag, self._depth, attrs.get("id", ""), []])

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag and self._open[-1][1] == self._depth:
            _, _, item_id, chunks = self._open.pop()
            self.items.append({"id": item_id.removeprefix("item-"), "text": " ".join(" ".join(chunks).split())})
        self._depth -= 1

    def handle_data(self, data):
        for entry in self._open:
            entry[3].append(data)


def rendered(name) -> str:
    answers, site = PERSONAS[name]
    results = rules.evaluate(answers, scoring.score(answers), site=site)
    return render_to_string("questionnaire/_lanes.html", {"results": results})


def visible_text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


def lane_items(page: str) -> list[dict]:
    parser = LaneItems()
    parser.feed(page)
    return parser.items


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_lanes_never_use_diagnostic_phrasing(name):
    text = visible_text(rendered(name)).lower()
    found = [phrase for phrase in DIAGNOSTIC if phrase in text]
    assert not found, f"{name}: {found}"


def test_no_item_text_uses_diagnostic_phrasing_even_if_not_shown_to_a_persona():
    texts = [f"{item.title} {item.body}" for item in content.ITEMS] + list(content.KEEP_GOING.values())
    texts += [sentence for rule in rules.RULES for sentence in rule.reason]
    for text in texts:
        found = [phrase for phrase in DIAGNOSTIC if phrase in text.lower()]
        assert not found, (text, found)


# The same in Spanish: our Spanish says "sus respuestas…", never "usted tiene…", "sufre…".
DIAGNOSTIC_ES = (
    "usted tiene",
    "si tiene",
    "usted es",
    "sufre",
    "padece",
    "diagnóstic",
    "adict",
    "adicción",
    "está deprimid",
    "está solo",
    "está sola",
    "está aislad",
    "está enferm",
    "su trastorno",
    "trastorno",
    "su enfermedad",
    "su condición",
)


def test_no_spanish_item_text_uses_diagnostic_phrasing():
    from django.utils import translation

    texts = [f"{item.title} {item.body} {item.short}" for item in content.ITEMS] + list(content.KEEP_GOING.values())
    texts += [sentence for rule in rules.RULES + rules.STARTING_POINTS for sentence in rule.reason]
    with translation.override("es"):
        for text in map(str, texts):
            found = [phrase for phrase in DIAGNOSTIC_ES if phrase in text.lower()]
            assert not found, (text, found)


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_rendered_lanes_match_the_results(name):
    answers, site = PERSONAS[name]
    results = rules.evaluate(answers, scoring.score(answers), site=site)
    page = rendered(name)
    assert [item["id"] for item in lane_items(page)] == rules.shown_item_ids(results)
    for heading in ("Understand", "Try now", "Ask your clinician about", "Connect"):
        assert f">{heading}</h2>" in page
    assert ("You said this is not for you" in page) == bool(results.not_for_you)
    assert " style=" not in page and "<script" not in page


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_every_shown_item_reads_at_grade_8_or_below(name):
    items = lane_items(rendered(name))
    grades = {item["id"]: textstat.flesch_kincaid_grade(item["text"]) for item in items}
    for item_id, grade in grades.items():
        print(f"{name:32} {item_id:32} grade {grade:5.1f}")
    too_hard = {item_id: grade for item_id, grade in grades.items() if grade > MAX_GRADE}
    assert not too_hard, f"{name}: above grade {MAX_GRADE}: {too_hard}"


def test_headings_credits_and_about_copy_read_at_grade_8_or_below():
    texts = [f"{lane.heading}. {lane.intro} {lane.empty}" for lane in content.LANES]
    texts += list(content.KEEP_GOING.values()) + [content.ARTICLE_CREDIT, content.COMMUNITY_CONTACT]
    texts += [content.ABOUT_INTRO, content.ABOUT_ARTICLE, *content.SOURCE_USE.values()]
    texts += [source.note for source in content.SPANISH_SOURCES] + list(content.SPANISH_STATUS_LABELS.values())
    for text in map(str, texts):
        grade = textstat.flesch_kincaid_grade(text)
        print(f"grade {grade:5.1f}  {text[:70]}")
        assert grade <= MAX_GRADE, (text, grade)
