"""A shared device keeps no story (issue 18 findings 1 and 2, issue 19 finding 8).

Leave, Clear and Done in real Chromium: Back five times afterwards shows no page
of the check-in and no title that names what was done; a second person in the
same browser finds no results; another site cannot end a check-in through /leave/.
"""

import pytest

from .test_results_browser import LONGEST, fill_step

pytestmark = pytest.mark.django_db(transaction=True)

# Words no title of ours may carry in the history of a shared device.
TELLING_TITLE_WORDS = ("crisis", "help", "result", "medicine", "pain", "connection", "summary")
# Text of a check-in page (its answers, the crisis page, the results, a step).
CHECKIN_CONTENT = ("Help is here right now", "Your results", "What you told us", "Step ", "Check your answers",
                   "Your answers", "741741", "Your next steps", "opioid")


def checkin_to_results(page, *, privacy="0", safety="1"):
    """Answer every step (a "yes" to the safety question by default) and open the results."""
    page.goto("/")
    page.locator("button", has_text="Start the check-in").click()
    for slug, answers in LONGEST.items():
        if slug == "privacy":
            answers = {"privacy": privacy}
        if slug == "wellbeing":
            answers = {**answers, "safety": safety}
        fill_step(page, answers)
    if safety == "1":
        assert page.url.endswith("/checkin/crisis/")
        page.locator("a", has_text="Go on with the check-in").click()
        page.wait_for_load_state("load")
    page.locator("button", has_text="Send my answers").click()
    page.wait_for_url("**/checkin/results/")


def leave(page):
    """Press "Leave this site". A redirect to another host is not routed to the stub,
    so the neutral page may be Chromium's own error page; either way we left."""
    try:
        with page.expect_navigation(url="https://neutral.example/"):
            page.locator("a.quick-exit").click()
    except Exception:
        pass
    page.wait_for_url("https://neutral.example/")


def back_five_times(page):
    """Press Back five times; return (url, title, text) of each page shown."""
    seen = []
    for _ in range(5):
        try:
            page.go_back(wait_until="load")
        except Exception:  # a redirect to another host is not routed: the page is still shown
            page.wait_for_load_state("load")
        # The page's own content (the frame's help lines are on every page, rightly).
        text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        seen.append((page.url, page.title(), text))
    return seen


def assert_nothing_told(seen, live_server_url):
    for url, title, text in seen:
        print(f"  {url!r:60} title {title!r}")
        assert not any(word in title.lower() for word in TELLING_TITLE_WORDS), (url, title)
        if url.startswith(live_server_url) and "/checkin/" in url:
            assert "Nothing to show" in text, (url, text[:300])
            assert not [words for words in CHECKIN_CONTENT if words in text], (url, text[:300])


def test_after_leave_back_five_times_shows_nothing_of_the_checkin(page, viewport, live_server, settings):
    settings.QUICK_EXIT_URL = "https://neutral.example/"
    checkin_to_results(page)
    assert page.title() == "Your summary · Check-in"
    leave(page)
    assert [c for c in page.context.cookies() if "neutral.example" not in c["domain"]] == []
    seen = back_five_times(page)
    print(f"\n{viewport}: after Leave, Back x5:")
    assert_nothing_told(seen, live_server.url)
    # With JavaScript the exit replaced the results in the history: Back never shows them.
    assert not any(url.endswith("/checkin/results/") for url, _, _ in seen)


def test_after_leave_without_javascript_back_shows_nothing_either(browser, live_server, settings):
    settings.QUICK_EXIT_URL = "https://neutral.example/"
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.route("https://neutral.example/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>Neutral</title><p>Weather</p>"))
    page = context.new_page()
    checkin_to_results(page)
    leave(page)
    seen = back_five_times(page)
    print("\nno JavaScript: after Leave, Back x5:")
    assert_nothing_told(seen, live_server.url)
    context.close()


@pytest.mark.parametrize("button", ["Done — remove this from this browser", "Clear my answers"])
def test_after_done_or_clear_back_five_times_shows_nothing_of_the_checkin(page, live_server, button):
    checkin_to_results(page)
    page.locator("button", has_text=button).click()
    page.wait_for_load_state("load")
    assert "Your answers are cleared" in page.inner_text("main")
    assert page.title() == "Cleared · Check-in"
    assert [c for c in page.context.cookies()] == []
    seen = back_five_times(page)
    print(f"\nafter {button!r}, Back x5:")
    assert_nothing_told(seen, live_server.url)


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("how", ["leave", "done"])
def test_a_second_person_in_the_same_browser_finds_no_results(page, viewport, live_server, settings, how):
    settings.QUICK_EXIT_URL = "https://neutral.example/"
    checkin_to_results(page, privacy="0")  # shared: the answers are also saved for the community
    if how == "leave":
        leave(page)
    else:
        page.locator("button", has_text="Done — remove this from this browser").click()
        page.wait_for_load_state("load")
    for path in ("/checkin/results/", "/checkin/results/print/", "/checkin/crisis/", "/checkin/review/"):
        page.goto(live_server.url + path)
        text = page.inner_text("main")
        assert "Nothing to show" in text and page.title() == "Nothing to show", path
        assert not [words for words in CHECKIN_CONTENT if words in text], (path, text[:300])


@pytest.mark.parametrize("viewport", ["phone"])
def test_another_site_cannot_end_a_checkin_through_the_exit(page, viewport, live_server, settings, check):
    settings.QUICK_EXIT_URL = "https://neutral.example/"
    page.context.route("https://other.example/**", lambda route: route.fulfill(
        status=200, content_type="text/html",
        body=f'<!doctype html><title>Other</title><a id="go" href="{live_server.url}/leave/">a link</a>'))
    page.goto("/")
    page.locator("button", has_text="Start the check-in").click()
    fill_step(page, {"privacy": "0"})
    assert page.url.endswith("/checkin/pain/")
    page.goto("https://other.example/")
    with page.expect_navigation():
        page.locator("#go").click()
    assert page.url == live_server.url + "/leave/"
    assert page.title() == "Nothing to show"
    check()  # the neutral page has the frame, the exit, and passes axe
    page.goto(live_server.url + "/checkin/pain/")
    assert "Step 2 of 7" in page.inner_text("main"), "the check-in goes on"
    # The neutral page's button leaves in one tap (a form sent from our own page).
    page.goto("https://other.example/")
    with page.expect_navigation():
        page.locator("#go").click()
    try:
        with page.expect_navigation(url="https://neutral.example/"):
            page.locator("button.quick-exit").click()
    except Exception:
        pass
    page.goto(live_server.url + "/checkin/pain/")
    assert "Nothing to show" in page.inner_text("main")
