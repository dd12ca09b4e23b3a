"""Every page a person at home sees reads at grade 8 or below (Flesch-Kincaid).

Quoted material is left out of the measure: the instruments' exact wording (we
may not change it) and bibliographic citations. Everything else we wrote counts,
the safety frame included.
"""

from html.parser import HTMLParser

import pytest
import textstat
from django.utils import translation

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


# --- Spanish ---

# "Fairly easy" (bastante fácil) or easier on either Spanish scale. Fernández-Huerta
# (1959) adapts Flesch's reading ease to Spanish: 70-80 is "fairly easy", read by
# about a 6th-7th grader, near our English grade 8. Szigriszt-Pazos' INFLESZ scale
# (the one Spanish health writing is usually measured with) calls 55-65 "normal"
# and 65-80 "bastante fácil". Both count syllables per word and words per sentence,
# as Flesch-Kincaid does, so they reward the same short words and short sentences.
# A text passes at Szigriszt-Pazos >= 65 or Fernández-Huerta >= 70 (the two
# formulas put the same text a few points apart; either band is "fairly easy").
MIN_SZIGRISZT_PAZOS = 65.0
MIN_FERNANDEZ_HUERTA = 70.0


def _sentences(texts) -> str:
    """Join short texts as the English measure joins blocks: each one a sentence."""
    lines = [" ".join(str(text).split()) for text in texts]
    return " ".join(line if line[-1] in ".?!:»" else line + "." for line in lines if line)


def spanish_step_text(step) -> str:
    """The Spanish words of a step other than the instruments' own wording (left out, as in English)."""
    from questionnaire.forms import FORMS

    texts = [step.title, step.intro]
    for field in FORMS[step.slug]().fields.values():
        if str(field.label) not in {str(text) for text in QUESTION_TEXTS}:
            texts.append(field.label)
        texts += [field.help_text, getattr(field, "lead", "")]
        if getattr(field, "kind", "") != "scale":
            texts += [label for _, label in field.choices]
    return _sentences(texts)


def spanish_results_text(answers, site) -> str:
    """The Spanish words of the results for one set of answers: summary, next steps and every card."""
    from questionnaire import rules, scoring, summary

    scores = scoring.score(answers)
    results = rules.evaluate(answers, scores, site=site)
    texts = list(summary.answer_sentences(answers))
    for tile in summary.score_tiles(scores, answers):
        texts += [tile.name, tile.meaning, *tile.said]
    texts += [f"{step.label}: {step.title}" for step in rules.next_steps(results)]
    for lane in results.lanes:
        texts += [lane.heading, lane.intro]
        for item in lane.items + lane.questions:
            texts += [item.title, item.short, item.body, item.main_reason, item.other_reasons]
    return _sentences(texts)


def spanish_texts():
    """Yield (name, Spanish text) for each step, the About page's own words, and each persona's results."""
    from questionnaire import content

    from .test_rules import PERSONAS

    with translation.override("es"):
        for step in ins.STEPS:
            yield f"step {step.slug}", spanish_step_text(step)
        yield "about", _sentences([content.ABOUT_INTRO, *content.SOURCE_USE.values(),
                                   *(source.note for source in content.SPANISH_SOURCES)])
        for name, (answers, site) in sorted(PERSONAS.items()):
            yield f"results ({name})", spanish_results_text(answers, site)


def test_the_spanish_steps_and_results_read_fairly_easy_or_easier(capsys):
    textstat.set_lang("es")
    try:
        scores = {name: (textstat.szigriszt_pazos(text), textstat.fernandez_huerta(text))
                  for name, text in spanish_texts()}
    finally:
        textstat.set_lang("en_US")
    with capsys.disabled():
        print("\nSpanish reading ease per page (Szigriszt-Pazos / Fernández-Huerta; higher is easier):")
        for name, (sp, fh) in scores.items():
            print(f"  {sp:5.1f} / {fh:5.1f}  {name}")
    too_hard = {name: pair for name, pair in scores.items()
                if pair[0] < MIN_SZIGRISZT_PAZOS and pair[1] < MIN_FERNANDEZ_HUERTA}
    assert not too_hard, too_hard
    assert len(scores) >= len(ins.STEPS) + 10


def spanish_card_texts():
    """Yield (name, text) for every card, whether or not a persona sees it, and the About page's words."""
    from questionnaire import content

    for item in content.ITEMS:
        yield item.id, [item.title, item.body or item.title, item.short]
    for key, words in content.SOURCE_USE.items():
        yield f"about {key}", [words]
    for source in content.SPANISH_SOURCES:
        yield f"spanish source {source.key}", [source.note]
    yield "about article", [content.ABOUT_INTRO, content.ABOUT_ARTICLE]


@pytest.mark.parametrize("name, texts", list(spanish_card_texts()),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_every_spanish_card_reads_fairly_easy_or_easier(name, texts):
    textstat.set_lang("es")
    try:
        with translation.override("es"):
            text = _sentences(texts)
        sp, fh = textstat.szigriszt_pazos(text), textstat.fernandez_huerta(text)
    finally:
        textstat.set_lang("en_US")
    assert sp >= MIN_SZIGRISZT_PAZOS or fh >= MIN_FERNANDEZ_HUERTA, (name, sp, fh, text)
