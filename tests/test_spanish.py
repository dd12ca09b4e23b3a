"""The check-in in Spanish: a whole catalogue, Spanish words for every question and
card, the same answer codes and scores in both languages, and no language stored.

Pages are reached through ``reverse()`` inside ``translation.override("es")``, so
these tests follow the language wherever the URLs put it (a prefix or not).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils import translation

from questionnaire import content, instruments as ins, rules, scoring, summary
from questionnaire.forms import FORMS
from questionnaire.models import CheckIn, Rollup

from .conftest import FULL_ANSWERS
from .staff_data import world  # noqa: F401 - a fixture
from .own_words import digest, read_hashes, runs
from .test_rules import PERSONAS

CATALOGUE = Path(__file__).resolve().parents[1] / "questionnaire" / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Words spelt the same in both languages (still in the catalogue, and translated).
SAME_IN_BOTH = {"No"}
PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)s")


def catalogue_entries() -> list[dict]:
    """Return the catalogue's entries (header left out): msgctxt, msgid, msgstr and flags."""
    entries = []
    for block in CATALOGUE.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"flags": [], "msgctxt": None, "msgid": None, "msgstr": None}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                key, _, rest = line.partition(" ")
                entry[key] = ast.literal_eval(rest)
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
        if entry["msgid"]:
            entries.append(entry)
    return entries


def in_both(value) -> tuple[str, str]:
    with translation.override("en"):
        english = str(value)
    with translation.override("es"):
        spanish = str(value)
    return english, spanish


# --- The catalogue ---


def test_the_catalogue_is_whole_and_nothing_in_it_is_fuzzy():
    entries = catalogue_entries()
    assert len(entries) > 300, "every text of the check-in app is in the catalogue"
    untranslated = [e["msgid"] for e in entries if not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


MARKERS = {"_": 0, "gettext": 0, "gettext_lazy": 0, "pgettext": 1, "pgettext_lazy": 1}


def marked_strings() -> set[tuple[str | None, str]]:
    """Return (context, msgid) of every literal the app's Python marks for translation."""
    app = CATALOGUE.parents[3]
    found = set()
    for path in sorted(app.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
                position = MARKERS[node.func.id]
                args = [arg.value if isinstance(arg, ast.Constant) else None for arg in node.args]
                if len(args) > position and isinstance(args[position], str):
                    found.add((args[0] if position else None, args[position]))
    return found


def test_every_marked_string_of_the_app_is_in_the_catalogue():
    """The catalogue is not stale: run makemessages (see questionnaire/locale) after changing a text."""
    in_catalogue = {(entry["msgctxt"], entry["msgid"]) for entry in catalogue_entries()}
    marked = marked_strings()
    assert len(marked) > 300
    assert not marked - in_catalogue, sorted(marked - in_catalogue)


def test_every_translation_keeps_its_placeholders():
    for entry in catalogue_entries():
        assert sorted(PLACEHOLDER.findall(entry["msgstr"])) == sorted(PLACEHOLDER.findall(entry["msgid"])), entry


def test_the_spanish_uses_usted_not_tu():
    """One form of address throughout: "usted" (its verbs and "su"), never "tú"."""
    tu = re.compile(r"\b(tú|tu|tus|te|ti|contigo|puedes|quieres|tienes|eres|estás)\b", re.IGNORECASE)
    for entry in catalogue_entries():
        assert not tu.search(entry["msgstr"]), entry["msgstr"]


def test_the_spanish_copies_no_run_of_eight_words_from_the_article():
    """The own-words check, run over the Spanish: the article is English, so this finds an
    English sentence of the article left or pasted into the catalogue (a translation of
    it cannot be caught by hashes; the Spanish was written from our English)."""
    article = read_hashes()
    allowed = {digest(run) for title in (content.ARTICLE_TITLE, content.PAPER_TITLE) for run in runs(title)}
    for entry in catalogue_entries():
        copied = [" ".join(run) for run in runs(entry["msgstr"]) if digest(run) in article - allowed]
        assert not copied, (entry["msgid"], copied)


# --- Every question, choice and card has its own Spanish words ---


def instrument_texts():
    for question in ins.QUESTIONS:
        yield question.code, question.text
        if question.short:
            yield f"{question.code} short", question.short
        for name in ("help", "lead", "low_label", "high_label"):
            if getattr(question, name):
                yield f"{question.code} {name}", getattr(question, name)
        for value, label in question.all_choices + question.rows:
            yield f"{question.code}={value}", label
    for step in ins.STEPS:
        yield f"step {step.slug}", step.title
        if step.intro:
            yield f"step {step.slug} intro", step.intro
    for value, label in ins.PRIVACY_CHOICES:
        yield f"privacy={value}", label


def results_texts():
    for lane in content.LANES:
        yield f"lane {lane.key}", lane.heading
        yield f"lane {lane.key} intro", lane.intro
    for item in content.ITEMS:
        for name in ("title", "body", "short", "source"):
            if getattr(item, name):
                yield f"{item.id} {name}", getattr(item, name)
        for words, _ in item.links:
            yield f"{item.id} link", words
    for rule in rules.RULES + rules.STARTING_POINTS:
        for sentence in rule.reason:
            if not PLACEHOLDER.fullmatch(str(sentence)):  # "{ongoing}": filled with a sentence listed here
                yield f"{rule.id} reason", sentence
    for key, words in {**content.KEEP_GOING, **content.KEEP_GOING_BY_ITEM, **content.NEXT_STEP_LABELS}.items():
        yield f"{key}", words
    yield "same reason", rules.SAME_REASON


@pytest.mark.parametrize("name, text", list(instrument_texts()) + list(results_texts()),
                         ids=lambda value: value if isinstance(value, str) else None)
def test_every_question_choice_and_card_has_spanish_words_of_its_own(name, text):
    english, spanish = in_both(text)
    assert spanish and (spanish != english or english in SAME_IN_BOTH), (name, english)


def test_the_about_page_lists_every_instrument_with_its_spanish_source():
    context = rules.about_context()
    listed = {source.key: source for source in context["spanish_sources"]}
    assert set(listed) == set(ins.SOURCES), "every instrument says where its Spanish comes from"
    statuses = {content.VERSION_NOT_CHECKED, content.NO_VERSION_FOUND, content.OURS_IN_SPANISH}
    assert set(content.SPANISH_STATUS_LABELS) == statuses
    for source in listed.values():
        assert source.status in statuses
        assert in_both(source.status_label)[0] != in_both(source.status_label)[1]
        # A Spanish version is cited exactly when one is known to exist.
        assert bool(source.spanish_source) == (source.status == content.VERSION_NOT_CHECKED), source
        english, spanish = in_both(source.note)
        assert spanish != english and in_both(source.name)[1]


# --- Same codes and scores in both languages ---


def test_the_forms_offer_the_same_codes_in_both_languages():
    for slug, form_class in FORMS.items():
        with translation.override("en"):
            english = {name: [value for value, _ in field.choices] for name, field in form_class().fields.items()}
        with translation.override("es"):
            spanish = {name: [value for value, _ in field.choices] for name, field in form_class().fields.items()}
        assert english == spanish, slug


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_spanish_results_show_the_same_items_and_scores(name):
    answers, site = PERSONAS[name]
    scores = scoring.score(answers)
    with translation.override("en"):
        english = rules.evaluate(answers, scores, site=site)
        english_tiles = summary.score_tiles(scores, answers)
    with translation.override("es"):
        spanish = rules.evaluate(answers, scores, site=site)
        spanish_tiles = summary.score_tiles(scores, answers)
    assert spanish.shown == english.shown
    assert [item.fit for lane in spanish.lanes for item in lane.items] == [
        item.fit for lane in english.lanes for item in lane.items]
    assert [tile.value.replace(",", ".") for tile in spanish_tiles] == [tile.value for tile in english_tiles]
    assert [item.title for lane in spanish.lanes for item in lane.items] != [
        item.title for lane in english.lanes for item in lane.items] or not english.shown


def test_synthetic_answers_bring_the_same_results_and_stored_fields_in_both_languages():
    """Two hundred plausible check-ins: the items shown, their order and the fields a
    shared check-in stores do not depend on the language of the page."""
    import random

    from questionnaire import synthetic
    from questionnaire.services import checkin_fields

    rng = random.Random(22)
    for _ in range(200):
        answers = synthetic.answers(rng)
        scores = scoring.score(answers)
        with translation.override("en"):
            english = (rules.evaluate(answers, scores).shown, checkin_fields(answers, scores))
        with translation.override("es"):
            spanish = (rules.evaluate(answers, scores).shown, checkin_fields(answers, scores))
        assert spanish == english, answers


def walk(client, *, language: str) -> None:
    """Walk the whole check-in with FULL_ANSWERS in one language, and send it."""
    with translation.override(language):
        assert client.post(reverse("questionnaire:landing")).status_code == 302
        for slug, data in FULL_ANSWERS.items():
            page = client.get(reverse("questionnaire:step", args=[slug])).content.decode()
            step = ins.STEP_BY_SLUG[slug]
            assert escape(str(step.title)) in page, (language, slug)
            for code in step.questions:  # the question groups are written once per language, then cached
                assert escape(str(ins.BY_CODE[code].text)) in page, (language, code)
            response = client.post(reverse("questionnaire:step", args=[slug]), data)
            assert response.status_code == 302, (language, slug)
        review = client.get(reverse("questionnaire:review")).content.decode()
        assert escape(str(ins.BY_CODE["support"].label(FULL_ANSWERS["connection"]["support"]))) in review
        assert client.post(reverse("questionnaire:submit")).status_code == 302
        for name in ("questionnaire:results", "questionnaire:results_print"):
            results = client.get(reverse(name)).content.decode()
            assert escape(str(content.LANES[0].heading)) in results, name
            assert escape(str(content.ITEM_BY_ID["connect_988"].title)) in results, name
        assert client.get(reverse("questionnaire:about")).status_code == 200


def stored(row: CheckIn) -> dict:
    fields = {field.attname: getattr(row, field.attname) for field in CheckIn._meta.concrete_fields}
    fields.pop("id")
    return fields


@pytest.mark.django_db
def test_a_spanish_check_in_stores_the_same_row_and_rollups_and_no_language(client):
    walk(client, language="es")
    client.cookies.clear()
    walk(client, language="en")
    assert CheckIn.objects.count() == 2
    spanish, english = CheckIn.objects.all()  # ids are random, so either order: the rows must be equal
    assert stored(spanish) == stored(english)
    assert list(spanish.items.values_list("item_id", flat=True).order_by("item_id")) == list(
        english.items.values_list("item_id", flat=True).order_by("item_id"))
    # Every rollup counts both check-ins together: nothing splits them by language.
    assert Rollup.objects.exists()
    assert not Rollup.objects.exclude(count=2).filter(dimension="total").exists()
    assert not Rollup.objects.filter(dimension__icontains="lang").exists()


def test_no_stored_field_can_hold_a_language():
    names = {field.name.lower() for model in (CheckIn, Rollup) for field in model._meta.get_fields()}
    assert not {name for name in names if "lang" in name or "locale" in name}, names


# --- The staff pages stay English, their labels from the same instruments ---


@pytest.mark.django_db
def test_the_staff_dashboard_stays_english_for_a_browser_that_asks_for_spanish(world):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(world.member)
    page = client.get(reverse("stats:dashboard", args=[world.site.slug]) + "?period=2026-Q3").content.decode()
    english, spanish = in_both(ins.BY_CODE["pain_frequency"].short)
    assert escape(english) in page
    assert escape(spanish) not in page
    english, spanish = in_both(dict(ins.FREQUENCY)["most_days"])
    assert f">{escape(english)}<" in page and f">{escape(spanish)}<" not in page
