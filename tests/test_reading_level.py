"""Every page a person at home sees reads at grade 8 or below (Flesch-Kincaid).

Quoted material is left out of the measure: the instruments' exact wording (we
may not change it) and bibliographic citations. Everything else we wrote counts,
the safety frame included.
"""

from html.parser import HTMLParser

import pytest
import textstat

from questionnaire import instruments as ins

from .conftest import FULL_ANSWERS, answer_all, start_checkin

pytestmark = pytest.mark.django_db

MAX_GRADE = 8.0
# Block elements end a sentence; inline ones (links, emphasis) do not.
BLOCKS = {"p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "legend", "label",
          "button", "summary", "details", "th", "td", "div", "section", "article", "form", "fieldset"}
SKIP_CLASSES = {"citation", "instrument-wording", "content-version"}
QUESTION_TEXTS = {q.text for q in ins.QUESTIONS} | {label for q in ins.QUESTIONS for _, label in q.rows}


class VisibleText(HTMLParser):
    """Collect the text of <main> and <footer>, one sentence per block element."""

    def __init__(self):
        super().__init__()
        self.depth_inside = 0
        self.skip_depth = 0
        self.stack = []
        self.chunks = []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append(tag)
        if tag in ("main", "footer"):
            self.depth_inside += 1
        if self.skip_depth or classes & SKIP_CLASSES:
            self.skip_depth += 1
        if tag in BLOCKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if not self.stack:
            return
        self.stack.pop()
        if self.skip_depth:
            self.skip_depth -= 1
        if tag in ("main", "footer"):
            self.depth_inside -= 1
        if tag in BLOCKS:
            self.chunks.append("\n")

    def handle_data(self, data):
        if self.depth_inside and not self.skip_depth and self.stack and self.stack[-1] not in ("script", "style"):
            self.chunks.append(data)

    def sentences(self) -> str:
        lines = [" ".join(line.split()) for line in "".join(self.chunks).split("\n")]
        lines = [line for line in lines if line and line not in QUESTION_TEXTS]
        return " ".join(line if line[-1] in ".?!:" else line + "." for line in lines)


def grade(html: str) -> float:
    parser = VisibleText()
    parser.feed(html)
    return textstat.flesch_kincaid_grade(parser.sentences())


def pages(client, site):
    """Yield (name, html) for every page a person at home can see."""
    yield "landing", client.get("/").content.decode()
    yield "community landing", client.get(f"/c/{site.slug}/").content.decode()
    yield "about", client.get("/about/").content.decode()
    yield "privacy notice", client.get("/privacy/").content.decode()
    yield "exit from another site", client.get("/leave/", HTTP_SEC_FETCH_SITE="cross-site").content.decode()
    start_checkin(client, site)
    for step in ins.STEPS:
        yield f"step {step.slug}", client.get(f"/checkin/{step.slug}/").content.decode()
    yield "error summary", client.post("/checkin/privacy/", {}).content.decode()
    answer_all(client)
    yield "review", client.get("/checkin/review/").content.decode()
    yield "crisis", client.get("/checkin/crisis/").content.decode()
    client.post("/checkin/submit/")
    yield "results (full answers)", client.get("/checkin/results/").content.decode()
    yield "cleared", client.post("/checkin/clear/").content.decode()
    yield "expired", client.get("/checkin/review/").content.decode()
    for name, overrides, privacy in (
        ("results (no pain, keep only for me)", {"pain": {"pain_frequency": "never", "pain_duration": "",
                                                          "pain_impact": "never", "pain_areas": []}}, "private"),
        ("results (prefer not to say)", {"connection": {k: "prefer_not" for k in FULL_ANSWERS["connection"]}}, "share"),
    ):
        start_checkin(client)
        answer_all(client, privacy, overrides)
        client.post("/checkin/submit/")
        yield name, client.get("/checkin/results/").content.decode()
    yield "not found", client.get("/no-such-page/").content.decode()


def test_every_page_reads_at_grade_8_or_below(client, site, capsys):
    grades = {name: grade(html) for name, html in pages(client, site)}
    with capsys.disabled():
        print("\nFlesch-Kincaid grade per page:")
        for name, value in grades.items():
            print(f"  {value:4.1f}  {name}")
    too_hard = {name: value for name, value in grades.items() if value > MAX_GRADE}
    assert not too_hard, too_hard
    assert len(grades) >= 18
