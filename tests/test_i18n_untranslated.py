"""No English left on a Spanish page (issue 22).

Every page and state of the person's side is rendered twice, at its English and
its Spanish address, with the same answers. A run of text that reads the same on
both pages (outside names, numbers and source titles) was not translated, and
neither was a run on the Spanish page that reads as English (English function
words). Each such run is told apart by where its words come from:

* the templates and the frame (the project catalogue, locale/): none may be left;
* the check-in's Python text (questions, choices, results: the app catalogue,
  questionnaire/locale/): compared with the list in
  tests/data/i18n-english-from-python.txt, which must name exactly the runs still
  English. It holds what waits for the Spanish of the check-in's own text; as that
  catalogue fills, the list shrinks, and it must end empty. A run missing from
  the list fails (new English), and so does a listed run now translated (the list
  is kept exact; rewrite it with I18N_WRITE_LIST=1).
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template import loader
from django.test import Client
from django.utils import translation

from questionnaire import instruments as ins, phones

from .conftest import FULL_ANSWERS

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[1]
WAITING = REPO / "tests" / "data" / "i18n-english-from-python.txt"

# Runs that read the same in both languages on purpose: names, and words Spanish shares.
SAME_IN_BOTH = {"Chat", "Error:", "Crisis Text Line", "SAMHSA", "ASL", "No"}
# Elements whose text is quoted, not ours to translate: bibliographic sources.
QUOTED_CLASSES = {"citation"}
# English words that are not Spanish words: two in a run make it English.
ENGLISH = set("""
the and you your of to is are with this that what how not for we our on it be or if do does can will have has
from by at all about more my an in into was were they their them when which who any there here than then these
those would could should may might must out up so yes some every each other only just also been being because
after before over under again very much many most such own same too its his her him she please
page answer answers question questions pain help call text step back save continue next send clear leave site
results result shown why show print start done never often always sometimes rarely days week month months
""".split())
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ’']+")


class Runs(HTMLParser):
    """Collect the runs of text a person sees or hears: text between tags, and the
    alt, title, aria-label and placeholder attributes, and the page's description."""

    ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.runs: list[str] = []

    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        other_language = attrs.get("lang") not in (None, self.language) and tag != "html"
        skip = self.skipping() or tag in ("script", "style") or bool(classes & QUOTED_CLASSES) or other_language
        if not skip:
            for name in self.ATTRIBUTES:
                if attrs.get(name):
                    self.add(attrs[name])
            if tag == "meta" and attrs.get("name") == "description":
                self.add(attrs.get("content") or "")
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skipping():
            self.add(data)

    def add(self, text: str):
        text = " ".join(text.split())
        if text:
            self.runs.append(text)


def runs_of(html: str, language: str) -> list[str]:
    parser = Runs(language)
    parser.feed(html)
    return parser.runs


def wordy(run: str) -> bool:
    """Return whether a run has words to translate (not a number, a name or an address)."""
    if run in SAME_IN_BOTH or re.fullmatch(r"[\W\d_]*", run) or re.fullmatch(r"\S+\.(org|com|gov)\S*", run):
        return False
    return any(len(word) >= 3 for word in WORD.findall(run))


# Titles quoted in a Spanish sentence keep their own (English) words.
QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")


def reads_as_english(run: str) -> bool:
    words = [word.lower() for word in WORD.findall(QUOTED.sub(" ", run))]
    return sum(word in ENGLISH for word in words) >= 2 or (len(words) == 1 and words[0] in ENGLISH)


def template_text() -> list[str]:
    """Every run of text the person's side templates write as it is, not marked for
    translation (tags, variables and comments each end a run)."""
    pieces = []
    for path in sorted((REPO / "templates").rglob("*.html")):
        if path.parts[-2] in ("staff", "admin", "registration"):
            continue
        text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<[^>]*>", "\n", path.read_text(), flags=re.S)
        pieces += [" ".join(line.split()) for line in text.splitlines()]
    return [piece for piece in pieces if WORD.search(piece)]


def from_templates(run: str, pieces: list[str]) -> bool:
    """Return whether a run was written by a template as it is (not translated)."""
    return any(run == piece or (len(piece) >= 12 and piece in run) or (len(run) >= 12 and run in piece)
               for piece in pieces)


# --- Every page and state, the same way in each language -----------------------------------


def pages(client: Client, site, prefix: str):
    """Yield (name, html) for every page and state of the person's side, at ``prefix``."""
    def get(path, **extra):
        return client.get(prefix + path, **extra).content.decode()

    def post(path, data=None):
        return client.post(prefix + path, data or {}).content.decode()

    yield "landing", get("/")
    yield "community landing", get(f"/c/{site.slug}/")
    yield "about", get("/about/")
    yield "privacy notice", get("/privacy/")
    yield "exit from another site", get("/leave/", HTTP_SEC_FETCH_SITE="cross-site")
    yield "not found", get("/no-such-page/")
    client.post(f"{prefix}/c/{site.slug}/")
    yield "landing, check-in begun", get(f"/c/{site.slug}/")
    for step in ins.STEPS:
        yield f"step {step.slug}", get(f"/checkin/{step.slug}/")
        if step.slug == "privacy":
            yield "privacy step, nothing chosen", post("/checkin/privacy/")
            post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    yield "medicines, two answers that exclude each other", post("/checkin/medicines/", {"medicines": ["none", "otc"]})
    yield "past week, an answer not offered", post("/checkin/past-week/", {"peg_pain": "11"})
    for slug, data in FULL_ANSWERS.items():  # (the same in both languages)
        client.post(f"{prefix}/checkin/{slug}/", {**data, "safety": "yes"} if slug == "wellbeing" else data)
    yield "step from review", get("/checkin/connection/?from=review&q=support")
    yield "crisis", get("/checkin/crisis/")
    yield "review", get("/checkin/review/")
    client.post(f"{prefix}/checkin/submit/")
    yield "results (safety yes, shared, community)", get("/checkin/results/")
    yield "print view", get("/checkin/results/print/")
    yield "cleared (shared)", post("/checkin/clear/")
    yield "expired", get("/checkin/review/")
    yield "send after the end", post("/checkin/submit/")
    for name, overrides, privacy in (
        ("results (no pain, keep only for me)", {"pain": {"pain_frequency": "never", "pain_duration": "",
                                                          "pain_impact": "never", "pain_areas": []}}, "private"),
        ("results (prefer not to say)", {"connection": {k: "prefer_not" for k in FULL_ANSWERS["connection"]},
                                         "wellbeing": {"safety": "prefer_not"}}, "share"),
        ("results (few answers)", {slug: {k: "" for k in data} for slug, data in FULL_ANSWERS.items()
                                   if slug not in ("privacy",)}, "private"),
    ):
        client.post(f"{prefix}/")
        for slug, data in FULL_ANSWERS.items():
            data = {**data, "privacy": privacy} if slug == "privacy" else {**data, **overrides.get(slug, {})}
            data = {k: v for k, v in data.items() if v not in ("", [])}
            client.post(f"{prefix}/checkin/{slug}/", data)
        client.post(f"{prefix}/checkin/submit/")
        yield name, get("/checkin/results/")
    # Pages made without a request (an outage, an error): rendered in the language the
    # address gave (LocaleMiddleware activates it before anything can fail).
    with translation.override("es" if prefix else "en"):
        yield "500", loader.render_to_string("500.html")
        yield "503", loader.render_to_string("503.html", {"retry_after": 30})
        yield "503 after send", loader.render_to_string("503.html", {"retry_submit": True, "csrf_token": "x"})
        yield "400", loader.render_to_string("400.html")
        yield "403", loader.render_to_string("403.html")
        yield "403 (form too old)", loader.render_to_string("403_csrf.html")
        from questionnaire.forms import FORMS

        yield "step not saved", loader.render_to_string("questionnaire/step_not_saved.html", {
            "form": FORMS["pain"]({"pain_frequency": "never"}), "step": ins.STEP_BY_SLUG["pain"], "number": 2,
            "total": 7, "previous": "privacy", "csrf_token": "x"})
    site.is_active = False
    site.save()
    yield "community link closed", get(f"/c/{site.slug}/")
    site.is_active = True
    site.save()


@pytest.fixture
def both_languages(site):
    english = dict(pages(Client(), site, ""))
    spanish = dict(pages(Client(), site, "/es"))
    assert english.keys() == spanish.keys()
    # What the community typed in: its name, and its contact line's words around the number.
    names = [site.name, *(part.strip() for part in phones.PHONE.split(site.contact) if part.strip(" ."))]
    return english, spanish, names


def without_names(run: str, names: list[str]) -> str:
    """Return a run without the names and contact lines a community typed in (not ours to translate)."""
    for name in names:
        run = run.replace(name, " ")
    return " ".join(run.split())


def untranslated(english: dict[str, str], spanish: dict[str, str], names: list[str]) -> dict[str, set[str]]:
    """Return, per page, the runs of its Spanish version left in English."""
    found = {}
    for name, html in spanish.items():
        assert 'lang="es"' in html[:200], f"{name} is not a Spanish page"
        english_runs = set(runs_of(english[name], "en"))
        left = {run for run in runs_of(html, "es")
                if wordy(without_names(run, names))
                and (run in english_runs or reads_as_english(without_names(run, names)))}
        if left:
            found[name] = left
    return found


def test_every_page_has_an_english_and_a_spanish_version_that_differ(both_languages):
    english, spanish, _ = both_languages
    assert len(spanish) >= 35
    for name in spanish:
        assert 'lang="en"' in english[name][:200] and english[name] != spanish[name], name


def test_no_text_from_the_templates_is_left_in_english(both_languages):
    pieces = template_text()
    left = {name: sorted(run for run in runs if from_templates(run, pieces))
            for name, runs in untranslated(*both_languages).items()}
    left = {name: runs for name, runs in left.items() if runs}
    assert not left, "English left on Spanish pages (template text):\n" + "\n".join(
        f"  {name}: {runs}" for name, runs in left.items())


def test_python_text_left_in_english_is_exactly_the_list_waiting_for_its_catalogue(both_languages, capsys):
    pieces = template_text()
    left = sorted({run for runs in untranslated(*both_languages).values() for run in runs
                   if not from_templates(run, pieces)})
    if os.environ.get("I18N_WRITE_LIST"):
        WAITING.write_text("".join(f"{run}\n" for run in left))
    listed = [line for line in WAITING.read_text().splitlines() if line]
    with capsys.disabled():
        print(f"\nSpanish pages: {len(left)} runs of the check-in's Python text still in English "
              f"(listed in {WAITING.relative_to(REPO)}: {len(listed)})")
    new = sorted(set(left) - set(listed))
    translated = sorted(set(listed) - set(left))
    assert not new, f"English from Python text not on the list ({len(new)}): {new[:20]}"
    assert not translated, f"now translated: remove from the list ({len(translated)}): {translated[:20]}"


# --- The detector itself ----------------------------------------------------------------------


def test_the_detector_finds_english_and_lets_names_titles_and_spanish_be():
    english = ('<html lang="en"><body><p>Save and continue</p><p>Riverside Recovery</p><p>988</p>'
               '<button>Back</button><p>Call Sam at 555-0101.</p></body></html>')
    spanish = ('<html lang="es"><head><title>Paso 1 de 7 · Chequeo</title></head><body>'
               '<p>Save and continue</p><p>Riverside Recovery</p><p>988</p><p class="citation">Krebs EE, 2009</p>'
               '<a lang="en" hreflang="en">English</a><img alt="Show more answers"><p>Guardar y seguir</p>'
               '<button>Back</button><p>Hable con nosotros: Call Sam at 555-0101.</p>'
               '<p>Una nota titulada «Opioids Can Increase Social Isolation and Sense of Rejection».</p>'
               '<p>La nota dice que the pain is real.</p></body></html>')
    left = untranslated({"page": english}, {"page": spanish}, ["Riverside Recovery", "Call Sam at"])
    assert left == {"page": {"Save and continue", "Show more answers", "Back", "La nota dice que the pain is real."}}
