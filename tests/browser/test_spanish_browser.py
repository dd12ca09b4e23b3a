"""The person's side in Spanish, in a real browser (issue 22): the whole check-in
with the keyboard only, every page in both languages through axe-core (with its
language rules) and at 375 px without sideways scrolling, JavaScript on and off,
the language link and the first visit's guess."""

import pytest

from questionnaire.models import CheckIn

from .conftest import PHONE
from .keyboard import choose, press_button, tick

pytestmark = pytest.mark.django_db(transaction=True)

# What the Spanish pages call their buttons (locale/es).
START = "Empezar el chequeo"
SAVE = "Guardar y seguir"
LAST_SAVE = "Guardar y revisar mis respuestas"
SEND = "Enviar mis respuestas y ver mis resultados"
CLEAR = "Borrar mis respuestas"
GO_ON = "Seguir con el chequeo"
LANGUAGE_RULES = {"html-has-lang", "html-lang-valid", "valid-lang"}


def answer_every_step(page, check, *, safety_index=0):
    """Answer every step with the keyboard, in Spanish, checking each page."""
    check()
    assert "Paso 1 de 7" in page.content()
    choose(page, "privacy", 0)
    press_button(page, SAVE)
    check()
    choose(page, "pain_frequency", 3)
    choose(page, "pain_duration", 1)
    tick(page, "pain_areas", 0)
    press_button(page, SAVE)
    check()
    choose(page, "peg_pain", 7)
    press_button(page, SAVE)
    check()
    choose(page, "lonely", 0)
    press_button(page, SAVE)
    check()
    tick(page, "medicines", 3)
    choose(page, "opioid_duration", 1)
    press_button(page, SAVE)
    check()
    choose(page, "coping_sleep_hygiene", 0)
    press_button(page, SAVE)
    check()
    choose(page, "safety", safety_index)
    press_button(page, LAST_SAVE)


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


def test_the_whole_checkin_in_spanish_with_the_keyboard_only(page, check):
    page.goto("/es/")
    check()
    assert page.evaluate("document.documentElement.lang") == "es"
    press_button(page, START)
    answer_every_step(page, check, safety_index=1)  # "yes": the crisis page first
    check()
    assert page.url.endswith("/es/checkin/crisis/")
    text = page.inner_text("main")
    assert "marque 2" in text and "AYUDA" in text and "911" in text
    press_button(page, GO_ON)
    check()
    assert page.url.endswith("/es/checkin/review/")
    press_button(page, SEND)
    check()
    assert page.url.endswith("/es/checkin/results/") and "Sus resultados" in page.inner_text("h1")
    assert page.locator('.help-panel a[href="sms:988?&body=AYUDA"]').count() == 1
    assert CheckIn.objects.count() == 1
    press_button(page, CLEAR)
    check()
    assert "Sus respuestas están borradas" in page.inner_text("main")


def visit_every_page(page, check, prefix):
    """Visit every page of the person's side at ``prefix`` ("" or "/es"), checking each."""
    def at(path):
        response = page.goto(prefix + path)
        if response.status == 404:  # the browser reports the page's own status as an error
            page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]
        check()
        no_sideways_scroll(page)

    for path in ("/", "/about/", "/privacy/", "/no-such-page/"):
        at(path)
    page.goto(prefix + "/")
    page.locator("form.start-form button").click()
    for slug in ("privacy", "pain", "past-week", "connection", "medicines", "coping", "wellbeing"):
        at(f"/checkin/{slug}/")
    page.goto(prefix + "/checkin/privacy/")
    page.locator("#id_privacy_0").check()
    with page.expect_navigation():
        page.locator("button[value=next]").click()
    at("/checkin/medicines/")
    page.locator("#id_medicines_0").check()
    page.locator("#id_medicines_3").check()
    with page.expect_navigation():
        page.locator("button[value=next]").click()
    check()  # the error state
    no_sideways_scroll(page)
    page.goto(prefix + "/checkin/wellbeing/")
    page.locator("#id_safety_1").check()
    with page.expect_navigation():
        page.locator("button[value=next]").click()
    check()  # the crisis page
    no_sideways_scroll(page)
    at("/checkin/review/")
    with page.expect_navigation():
        page.locator("form[action$='/checkin/submit/'] button").click()
    check()  # results, help first
    no_sideways_scroll(page)
    at("/checkin/results/print/")
    page.goto(prefix + "/checkin/results/")
    with page.expect_navigation():
        page.locator(".done-form button").click()
    check()  # cleared
    no_sideways_scroll(page)
    at("/checkin/review/")  # nothing to show


@pytest.mark.parametrize("viewport", ["phone"])  # 375 px, the narrow case
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_in_both_languages_passes_axe_with_its_language_and_fits_375_px(page, check, viewport, language):
    from axe_playwright_python.sync_playwright import Axe

    visit_every_page(page, check, "/es" if language == "es" else "")
    assert len(check.pages) >= 17
    # axe-core ran its language rules and they passed (not "inapplicable"): the page's
    # lang, and the lang of the link written in the other language.
    page.goto("/es/" if language == "es" else "/")
    passed = {rule["id"] for rule in Axe().run(page).response["passes"]}
    assert LANGUAGE_RULES <= passed, LANGUAGE_RULES - passed
    link = page.locator("a.language-link")
    other = "en" if language == "es" else "es"
    assert link.get_attribute("lang") == other and link.get_attribute("hreflang") == other
    assert link.bounding_box()["height"] >= 44


def test_the_language_link_keeps_the_page_and_the_answers(page, check):
    page.goto("/es/")
    press_button(page, START)
    choose(page, "privacy", 0)
    press_button(page, SAVE)
    choose(page, "pain_frequency", 3)
    press_button(page, SAVE)
    with page.expect_navigation():
        page.locator("a.language-link").click()
    check()
    assert page.url.endswith("/checkin/past-week/") and "/es/" not in page.url
    assert page.evaluate("document.documentElement.lang") == "en" and "Step 3 of 7" in page.content()
    page.goto("/checkin/pain/")
    assert page.locator("#id_pain_frequency_3").is_checked()
    with page.expect_navigation():
        page.locator("a.language-link").click()
    assert page.url.endswith("/es/checkin/pain/") and page.locator("#id_pain_frequency_3").is_checked()
    assert not [c for c in page.context.cookies() if c["name"] == "django_language"]


def test_a_spanish_browser_starts_in_spanish_and_the_english_link_is_obeyed(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="es-MX", **PHONE)
    page = context.new_page()
    page.goto("/")
    assert page.url.endswith("/es/") and page.evaluate("document.documentElement.lang") == "es"
    with page.expect_navigation():
        page.locator("a.language-link").click()
    assert page.url == live_server.url + "/" and page.evaluate("document.documentElement.lang") == "en"
    assert "Start the check-in" in page.inner_text("main")
    assert not [c for c in context.cookies() if c["name"] == "django_language"]
    context.close()


def test_the_checkin_in_spanish_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, **PHONE)
    context.route("https://neutral.example/**", lambda route: route.fulfill(status=200, body="Weather"))
    page = context.new_page()
    page.goto("/es/")
    page.locator("button", has_text=START).click()
    assert "Paso 1 de 7" in page.content()
    page.locator("#id_privacy_1").check()
    page.locator("button[value=next]").click()
    assert "Paso 2 de 7" in page.content() and "/es/checkin/pain/" in page.url
    page.locator("#id_pain_frequency_2").check()
    page.locator("#question-pain_frequency button.clear-answer").click()  # cleared by the server
    page.wait_for_load_state("load")
    assert page.locator("#question-pain_frequency input:checked").count() == 0 and "/es/" in page.url
    page.locator("a.quick-exit").click()
    page.wait_for_url("https://neutral.example/")
    assert not [c for c in context.cookies() if "127.0.0.1" in c["domain"] or "localhost" in c["domain"]]
    context.close()


SPANISH_BAR_TARGETS = ('a[href="tel:911"]', 'a[href="tel:988"]', 'a[href="sms:988?&body=AYUDA"]',
                       'a[href="https://988lineadevida.org/"]', "a.quick-exit", "a.language-link")


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("mode", ["320-100", "375-200"])
def test_spanish_pages_reflow_at_320_px_and_200_percent_text(page, viewport, check, mode):
    """Spanish words are longer: still nothing sideways, the bar in two rows at most,
    every bar target and the language link 44 px."""
    from .test_layout_browser import BAR, MIN_TARGET, REFLOW_MODES, box, set_text_size

    width, size = REFLOW_MODES[mode]
    page.set_viewport_size({"width": width, "height": 667})
    page.goto("/es/")
    paths = ["/es/", "/es/checkin/privacy/", "/es/checkin/past-week/", "/es/checkin/crisis/", "/es/privacy/"]
    page.locator("form.start-form button").click()
    page.wait_for_load_state("load")
    for path in paths:
        page.goto(path)
        set_text_size(page, size)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, mode)
        for selector in SPANISH_BAR_TARGETS:
            target = box(page, selector)
            assert target["width"] >= MIN_TARGET and target["height"] >= MIN_TARGET, (path, mode, selector, target)
            assert target["left"] >= 0 and target["left"] + target["width"] <= width, (path, mode, selector)
        assert box(page, BAR)["height"] <= 0.16 * 667, (path, mode, "the bar takes at most two rows")
        check()
