"""The whole check-in in a real browser, keyboard only, with axe on every page."""

import re

import pytest

from questionnaire.models import CheckIn

from .keyboard import choose, press_button, tick

pytestmark = pytest.mark.django_db(transaction=True)


def answer_steps(page, check, *, privacy_index: int, safety_index: int = 0):
    """Answer every step with the keyboard; return after the last step is sent."""
    check()
    assert "Step 1 of 7" in page.content()
    choose(page, "privacy", privacy_index)
    press_button(page, "Save and continue")

    check()
    choose(page, "pain_frequency", 3)
    choose(page, "pain_duration", 1)
    choose(page, "pain_impact", 2)
    tick(page, "pain_areas", 0)
    press_button(page, "Save and continue")

    check()
    choose(page, "peg_pain", 7)
    choose(page, "peg_enjoyment", 6)
    choose(page, "peg_activity", 8)
    press_button(page, "Save and continue")

    check()
    for name in ("ucla_companionship", "ucla_left_out", "ucla_isolated"):
        choose(page, name, 2)
    choose(page, "support", 3)
    press_button(page, "Save and continue")

    check()
    tick(page, "medicines", 3)
    choose(page, "opioid_duration", 1)
    press_button(page, "Save and continue")

    check()
    choose(page, "coping_sleep_hygiene", 0)
    choose(page, "coping_acupuncture", 3)
    press_button(page, "Save and continue")

    check()
    choose(page, "sleep", 2)
    choose(page, "safety", safety_index)
    press_button(page, "Save and check my answers")


@pytest.mark.parametrize("privacy", ["share", "private"])
def test_whole_checkin_with_the_keyboard_only(page, check, privacy):
    page.goto("/")
    check()
    press_button(page, "Start the check-in")
    answer_steps(page, check, privacy_index=0 if privacy == "share" else 1)

    check()
    assert page.url.endswith("/checkin/review/")
    text = page.inner_text("main")
    assert "Every day" in text and "7 out of 10" in text and "3 months or more" in text
    press_button(page, "Send my answers and see my results")

    check()
    assert page.url.endswith("/checkin/results/")
    text = page.inner_text("main")
    assert re.search(r"\b7\s+out of 10", text) and re.search(r"\b9\s+from 3 to 9", text), text[:1500]
    assert CheckIn.objects.count() == (1 if privacy == "share" else 0)

    press_button(page, "Clear my answers")
    check()
    assert "Your answers are cleared" in page.inner_text("main")


def test_pressing_send_twice_sends_once_and_shows_the_results(page, check):
    page.goto("/")
    press_button(page, "Start the check-in")
    answer_steps(page, check, privacy_index=0)
    page.get_by_role("button", name="Send my answers and see my results").dblclick()
    page.wait_for_url("**/checkin/results/")
    check()
    assert "Your results" in page.inner_text("h1")
    assert CheckIn.objects.count() == 1


def test_crisis_path_then_continue(page, check):
    page.goto("/")
    press_button(page, "Start the check-in")
    answer_steps(page, check, privacy_index=0, safety_index=1)
    check()
    assert page.url.endswith("/checkin/crisis/")
    text = page.inner_text("main")
    assert "988" in text and "741741" in text and "911" in text
    press_button(page, "Go on with the check-in")
    check()
    assert page.url.endswith("/checkin/review/")
    assert "Every day" in page.inner_text("main")


def test_back_keeps_answers(page, check):
    page.goto("/")
    press_button(page, "Start the check-in")
    choose(page, "privacy", 0)
    press_button(page, "Save and continue")
    choose(page, "pain_frequency", 2)
    press_button(page, "Back")
    check()
    assert page.locator("#id_privacy_0").is_checked()
    press_button(page, "Save and continue")
    assert page.locator("#id_pain_frequency_2").is_checked()


@pytest.mark.parametrize("viewport", ["phone"])  # the phone is the hard case
def test_emergency_line_is_seen_before_the_first_question_on_a_phone(page, viewport):
    page.goto("/")
    press_button(page, "Start the check-in")
    page.locator("#id_privacy_0").check()
    page.locator("button[value=next]").click()
    emergency = page.locator(".bar-help").bounding_box()
    first_field = page.locator("main input:not([type=hidden])").first.bounding_box()
    assert emergency["y"] + emergency["height"] <= 667
    assert emergency["y"] < first_field["y"]
    assert page.locator(".quick-exit").bounding_box()["y"] < 667


def test_frame_prints(page):
    page.goto("/")
    page.emulate_media(media="print")
    assert page.locator(".safety-frame").is_visible()
    assert page.locator(".bar-help").is_visible()
    assert not page.locator(".quick-exit").is_visible()


def test_quick_exit_ends_the_checkin_and_back_does_not_return(page, check):
    page.goto("/")
    press_button(page, "Start the check-in")
    choose(page, "privacy", 0)
    press_button(page, "Save and continue")
    choose(page, "pain_frequency", 3)
    press_button(page, "Save and continue")
    page.locator("a.quick-exit").click()
    page.wait_for_url("https://neutral.example/")
    page.go_back()
    page.wait_for_load_state("load")
    assert "/checkin/past-week/" not in page.url or "Nothing to show" in page.content()
    assert "Step 3 of 7" not in page.content()


def test_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.route("https://neutral.example/**", lambda route: route.fulfill(status=200, body="Weather"))
    page = context.new_page()
    page.goto("/")
    page.locator("button", has_text="Start the check-in").click()
    page.locator("#id_privacy_1").check()
    page.locator("button[value=next]").click()
    assert "Step 2 of 7" in page.content()
    page.locator("a.quick-exit").click()
    page.wait_for_url("https://neutral.example/")
    context.close()


# --- The step pages up close: error states, contrast, the 0-10 scales (issue 9) ---

SLUGS = ["privacy", "pain", "past-week", "connection", "medicines", "coping", "wellbeing"]

# Colours as the browser computes them, and what lies behind an element: the first
# element under its centre, other than itself, with a background that is not
# transparent (so a radio drawn on a tile is judged against the tile).
COLOURS_JS = """(el) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const box = el.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  let behind = [255, 255, 255, 1];
  for (const other of document.elementsFromPoint(x, y)) {
    if (other === el || el.contains(other)) continue;
    const c = rgb(getComputedStyle(other).backgroundColor);
    if (c.length === 3 || c[3] > 0) { behind = c; break; }
  }
  const style = getComputedStyle(el);
  return {border: rgb(style.borderTopColor), color: rgb(style.color), behind: behind,
          borderWidth: parseFloat(style.borderTopWidth)};
}"""


def luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio of two opaque colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_known_values():
    assert round(contrast([0, 0, 0], [255, 255, 255]), 1) == 21.0
    assert round(contrast([0xde, 0xe2, 0xe6], [255, 255, 255]), 2) == 1.3  # the old radio border
    assert abs(contrast([0x0d, 0x6e, 0xfd], [0xf8, 0xd7, 0xda]) - 3.36) < 0.02  # the old summary link


def start_at(page, slug: str) -> None:
    page.goto("/")
    press_button(page, "Start the check-in")
    if slug != "privacy":
        page.goto(f"/checkin/{slug}/")
    assert f"/checkin/{slug}/" in page.url


def make_an_error(page, slug: str) -> None:
    """Send the step with an answer it must refuse, as a person (or a stale page) could."""
    if slug == "privacy":
        pass  # sending nothing: the privacy choice is required
    elif slug == "medicines":
        page.locator("#id_medicines_0").check()  # "None" ...
        page.locator("#id_medicines_3").check()  # ... and an opioid
    else:
        # An answer the page did not offer (an old page, a tampered form).
        first = page.locator("main input[type=radio]").first
        first.evaluate("(el) => { el.value = 'not-an-answer'; el.checked = true; }")
    with page.expect_navigation():
        page.locator("button[value=next]").click()


@pytest.mark.parametrize("slug", SLUGS)
def test_every_step_in_its_error_state(page, check, slug):
    start_at(page, slug)
    make_an_error(page, slug)
    check()  # the frame, axe-core with no violations, no console errors
    summary = page.locator("#error-summary")
    assert summary.is_visible() and "There is a problem" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    links = summary.locator("a")
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        colours = link.evaluate(COLOURS_JS)
        assert contrast(colours["color"], colours["behind"]) >= 4.5, (slug, colours)
        # Each link leads to its question's first choice, which says it is wrong
        # and is described by the message next to it.
        target = page.locator(link.get_attribute("href"))
        assert target.get_attribute("aria-invalid") == "true"
        fieldset = target.locator("xpath=ancestor::fieldset[1]")
        error_id = [i for i in fieldset.get_attribute("aria-describedby").split() if i.endswith("_error")][0]
        assert page.locator(f"#{error_id}").is_visible()
    # The person's earlier answer is not lost and the page can be sent again.
    link = links.first
    link.click()
    assert page.evaluate("() => location.hash") == link.get_attribute("href")


@pytest.mark.parametrize("slug", ["pain", "past-week", "medicines", "coping"])
def test_radio_and_checkbox_borders_stand_out(page, slug):
    """WCAG 2.2 SC 1.4.11: every radio and checkbox boundary has 3:1 against what is behind it."""
    start_at(page, slug)
    inputs = page.locator("main input[type=radio], main input[type=checkbox]")
    assert inputs.count() >= 6
    inputs.first.check()  # one checked, so both states are measured
    for i in range(inputs.count()):
        colours = inputs.nth(i).evaluate(COLOURS_JS)
        assert colours["borderWidth"] >= 1, colours
        ratio = contrast(colours["border"], colours["behind"])
        assert ratio >= 3, (slug, i, colours, round(ratio, 2))


def test_scales_say_what_0_and_10_mean_first_and_give_big_targets(page, viewport):
    start_at(page, "past-week")
    scales = page.locator("fieldset.question-scale")
    assert scales.count() == 3
    for s in range(3):
        scale = scales.nth(s)
        meaning = scale.locator(".question-help")
        assert "0 means" in meaning.inner_text() and "10 means" in meaning.inner_text()
        labels = scale.locator(".choice label")
        assert labels.count() == 11
        boxes = [labels.nth(i).bounding_box() for i in range(11)]
        # The meaning of 0 and 10 comes before the numbers.
        help_box = meaning.bounding_box()
        assert help_box["y"] + help_box["height"] <= min(b["y"] for b in boxes)
        for number, box in enumerate(boxes):
            assert box["width"] >= 44 and box["height"] >= 44, (viewport, number, box)
            # The label is the target: tapping anywhere on it chooses the number.
        rows = {}
        for number, box in enumerate(boxes):
            rows.setdefault(round(box["y"]), []).append(number)
        assert all(len(numbers) >= 2 for numbers in rows.values()), (viewport, rows)  # no lone "10"
        if viewport == "desktop":
            assert len(rows) == 1, rows
        labels.nth(10).click(position={"x": 5, "y": boxes[10]["height"] - 5})  # a corner of the tile
        assert scale.locator("input").nth(10).is_checked()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_coping_step_asks_its_question_before_the_options(page):
    start_at(page, "coping")
    lead = page.locator("main .question-lead")
    assert "ten ways to ease long-term pain without opioids" in lead.inner_text()
    assert lead.is_visible()
    first_option = page.locator("main fieldset").first.bounding_box()
    assert lead.bounding_box()["y"] < first_option["y"]


# --- Change lands on the question; "Clear this answer" (issue 18 findings 7 and 12) ---

from .test_results_browser import LONGEST, fill_step  # noqa: E402


def test_change_lands_on_the_question_with_focus_and_returns_to_the_same_answer(page, viewport):
    page.emulate_media(reduced_motion="reduce")
    page.goto("/")
    page.locator("button", has_text="Start the check-in").click()
    for slug, answers in LONGEST.items():
        fill_step(page, {**answers, "safety": "0"} if slug == "wellbeing" else answers)
    assert page.url.endswith("/checkin/review/")
    bar_bottom = lambda: page.evaluate("document.querySelector('header.safety-bar').getBoundingClientRect().bottom")
    with page.expect_navigation():
        page.locator("#answer-support .review-change a").click()
    assert page.url.endswith("/checkin/connection/?from=review&q=support#question-support")
    assert page.evaluate("document.activeElement.id") == "question-support"
    top = page.evaluate("document.getElementById('question-support').getBoundingClientRect().top")
    assert bar_bottom() <= top < page.viewport_size["height"], (top, bar_bottom())
    page.locator("#id_support_0").check()
    with page.expect_navigation():
        page.locator(".step-actions button[value=next]").click()
    assert page.url.endswith("/checkin/review/#answer-support")
    focused = page.evaluate("document.activeElement.closest('.review-row') && document.activeElement.closest('.review-row').id")
    assert focused == "answer-support"
    row = page.evaluate("document.getElementById('answer-support').getBoundingClientRect().toJSON()")
    assert bar_bottom() <= row["top"] and row["bottom"] <= page.viewport_size["height"], row
    assert "Always" in page.inner_text("#answer-support")


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("javascript", [True, False])
def test_a_chosen_answer_can_be_cleared(browser, live_server, viewport, javascript):
    from .conftest import VIEWPORTS
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript, **VIEWPORTS[viewport])
    page = context.new_page()
    page.goto("/")
    page.locator("button", has_text="Start the check-in").click()
    fill_step(page, {"privacy": "0"})
    clear = page.locator("#question-pain_frequency button.clear-answer")
    assert not clear.is_visible(), "nothing chosen, nothing to clear"
    page.locator("#id_pain_frequency_2").check()
    page.locator("#id_pain_duration_1").check()
    assert clear.is_visible()
    box = clear.bounding_box()
    assert box["height"] >= 44
    clear.click()
    page.wait_for_load_state("load")
    assert page.locator("#question-pain_frequency input:checked").count() == 0
    assert page.locator("#id_pain_duration_1").is_checked(), "the other answers stay"
    assert not clear.is_visible()
    if javascript:
        assert page.evaluate("document.activeElement.id") == "id_pain_frequency_0"
    else:
        assert page.url.endswith("/checkin/pain/#question-pain_frequency")
    # Enter in the form still saves and goes on (the first button is "save", not a "Clear").
    page.locator("#id_pain_duration_1").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/checkin/past-week/" in page.url  # (the browser keeps the old #fragment over a redirect)
    context.close()
