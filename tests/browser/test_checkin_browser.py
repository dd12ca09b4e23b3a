"""The whole check-in in a real browser, keyboard only, with axe on every page."""

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
    assert "7 out of 10" in text and "9 on a scale from 3 to 9" in text
    assert CheckIn.objects.count() == (1 if privacy == "share" else 0)

    press_button(page, "Clear my answers")
    check()
    assert "Your answers are cleared" in page.inner_text("main")


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
    emergency = page.locator(".emergency-line").bounding_box()
    first_field = page.locator("main input:not([type=hidden])").first.bounding_box()
    assert emergency["y"] + emergency["height"] <= 667
    assert emergency["y"] < first_field["y"]
    assert page.locator(".quick-exit").bounding_box()["y"] < 667


def test_frame_prints(page):
    page.goto("/")
    page.emulate_media(media="print")
    assert page.locator(".safety-frame").is_visible()
    assert page.locator(".emergency-line").is_visible()
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
    assert "/checkin/past-week/" not in page.url or "Your answers were cleared" in page.content()
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
