"""Layout targets of the person's side, read from the page in Chromium (not by eye).

Heights are in "screens" of the viewport: on the 375x667 phone, 7 screens is
4,669 CSS px. The fullest answers (``LONGEST``: every rule that can fire does,
a "yes" to the safety question, a community with a contact line) give the
longest results page.
"""

import pytest

from .test_results_browser import longest_results

pytestmark = pytest.mark.django_db(transaction=True)

MAX_SCREENS = 7
# Issue 18 put three things above the lanes on a phone: "Done — remove this from this
# browser", 988 chat and the deaf and hard of hearing route in the help panel (the
# fullest answers include a "yes"). They cost about 0.15 of a screen.
TRY_NOW_WITHIN_SCREENS = 2.2
MIN_TARGET = 44  # CSS px, each side

BAR = "header.safety-bar"


def box(page, selector):
    return page.locator(selector).first.evaluate(
        "(el) => { const r = el.getBoundingClientRect();"
        " return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, height: r.height,"
        " width: r.width, left: r.left, viewTop: r.top, viewBottom: r.bottom}; }"
    )


def screen_height(page):
    return page.viewport_size["height"]


def test_results_with_the_fullest_answers_fit_in_seven_screens_with_try_now_near_the_top(page, viewport, site):
    longest_results(page, site)
    assert page.evaluate("document.querySelectorAll('details[open]').length") == 0
    screen = screen_height(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    first_try = box(page, "#lane-try_now .lane-item")["top"]
    print(f"\n{viewport}: results {height} px = {height / screen:.2f} screens; "
          f"first Try now card at {first_try:.0f} px = {first_try / screen:.2f} screens")
    assert height <= MAX_SCREENS * screen
    assert first_try <= TRY_NOW_WITHIN_SCREENS * screen


@pytest.mark.parametrize("viewport", ["phone"])
def test_keeping_answers_private_still_shows_try_now_within_two_screens(page, viewport, site):
    longest_results(page, site, privacy="1")  # "keep only for me": a note about printing comes first
    assert page.locator(".private-note").is_visible()
    first_try = box(page, "#lane-try_now .lane-item")["top"]
    print(f"\n{viewport}, kept private: first Try now card at {first_try / screen_height(page):.2f} screens")
    assert first_try <= TRY_NOW_WITHIN_SCREENS * screen_height(page)


def test_after_a_yes_the_988_buttons_are_in_the_first_screen(page, viewport, site):
    longest_results(page, site)
    assert page.evaluate("window.scrollY") == 0
    screen = screen_height(page)
    panel = page.locator(".help-panel")
    for href in ("tel:988", "sms:988"):
        button = box(page, f'.help-panel a[href="{href}"]')
        print(f"\n{viewport}: {href} button bottom at {button['bottom']:.0f} px of {screen}")
        assert button["bottom"] <= screen
        assert button["height"] >= MIN_TARGET and button["width"] >= MIN_TARGET
    # Help comes before the summary and everything else in the main column.
    assert box(page, ".help-panel")["top"] < box(page, ".summary-card")["top"]
    assert panel.locator("a.btn-help").count() == 5  # 988 call, text, chat; Crisis Text Line; 911


def test_the_safety_bar_stays_in_view_at_the_bottom_of_the_results(page, viewport, site):
    longest_results(page, site)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 0")
    bar = box(page, BAR)
    assert bar["viewTop"] == 0 and bar["height"] > 0
    assert bar["height"] <= 80, "the bar should stay slim"
    exit_box = box(page, "a.quick-exit")
    assert exit_box["height"] >= MIN_TARGET and exit_box["width"] >= MIN_TARGET
    # Nothing covers the exit: the element at its centre is the exit itself.
    hit = page.evaluate(
        "() => { const r = document.querySelector('a.quick-exit').getBoundingClientRect();"
        " const el = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
        " return !!el.closest('a.quick-exit'); }"
    )
    assert hit
    assert page.locator(BAR + ' a[href="tel:911"]').is_visible()


def test_focus_is_never_hidden_under_the_sticky_bar(page, viewport, site):
    """WCAG 2.2 SC 2.4.11: Tab through the results; every focused element shows below the bar."""
    longest_results(page, site)
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling: measure where focus lands
    seen = 0
    for _ in range(80):
        page.keyboard.press("Tab")
        state = page.evaluate(
            "(bar) => { const el = document.activeElement; if (!el || el === document.body) return null;"
            " const r = el.getBoundingClientRect(); const b = document.querySelector(bar).getBoundingClientRect();"
            " const f = el.getClientRects()[0] || r;"  # the first line box of a link that wraps
            " const hit = document.elementFromPoint(f.left + Math.min(f.width / 2, 10), f.top + f.height / 2);"
            " return {inBar: !!el.closest(bar), top: r.top, bottom: r.bottom, barBottom: b.bottom,"
            " onTop: !!hit && (hit === el || el.contains(hit)) && !hit.closest(bar),"
            " visible: r.width > 0 && r.height > 0, what: el.outerHTML.slice(0, 80)}; }",
            BAR,
        )
        if state is None or state["inBar"] or not state["visible"]:
            continue
        seen += 1
        # Wholly below the bar, or (the skip link) drawn on top of it.
        assert state["onTop"] and (state["top"] >= state["barBottom"] - 1 or "skip-link" in state["what"]), \
            f"hidden under the bar: {state}"
    assert seen >= 30


@pytest.mark.parametrize("viewport", ["phone"])  # one per layout is enough for the headings' check below
def test_headings_scale_down_from_h1(page, viewport, site):
    longest_results(page, site)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        sizes = page.evaluate(
            "() => ['h1', 'h2', 'h3'].map((t) => parseFloat(getComputedStyle(document.querySelector('main ' + t)).fontSize))"
        )
        assert sizes[0] > sizes[1] > sizes[2], (width, sizes)


def test_crisis_page_buttons_are_large_in_order_and_full_width_on_a_phone(page, viewport, check):
    page.goto("/")
    page.locator("button", has_text="Start the check-in").click()
    page.goto("/checkin/crisis/")
    check()
    buttons = page.locator("a.btn-help")
    assert [buttons.nth(i).get_attribute("href") for i in range(buttons.count())] == [
        "tel:988", "sms:988", "https://988lifeline.org/chat", "sms:741741?&body=HOME", "tel:911"]
    main = box(page, "main")
    go_on = page.locator("a", has_text="Go on with the check-in")
    go_on_box = go_on.evaluate("(el) => el.getBoundingClientRect().toJSON()")
    tops = []
    for i in range(buttons.count()):
        b = buttons.nth(i).evaluate("(el) => el.getBoundingClientRect().toJSON()")
        tops.append(b["top"])
        assert b["height"] >= MIN_TARGET and b["width"] >= MIN_TARGET
        if viewport == "phone":
            padding = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).paddingLeft)")
            assert b["width"] >= main["width"] - 2 * padding - 1, "full width on a phone"
        assert b["bottom"] <= go_on_box["top"], "Go on comes after every help button"
    assert tops == sorted(tops)
    # "Go on" is the smaller, quieter choice.
    size = lambda sel: page.evaluate(f"parseFloat(getComputedStyle(document.querySelector({sel!r})).fontSize)")
    assert size(".crisis-continue a") < size("a.btn-help")
    weight = page.evaluate("getComputedStyle(document.querySelector('.crisis-lead')).fontWeight")
    assert int(weight) >= 400, "body text at normal weight"
    assert box(page, "a.quick-exit")["height"] >= MIN_TARGET


def test_leaving_leaves_no_cookie_of_ours_and_back_names_nothing(page, viewport, live_server, settings):
    settings.QUICK_EXIT_URL = "https://neutral.example/"
    page.goto("/")
    page.locator("button", has_text="Start the check-in").click()
    page.locator("#id_privacy_0").check()
    page.locator("button[value=next]").click()
    page.wait_for_url("**/checkin/pain/")
    ours = lambda: [c for c in page.context.cookies() if "neutral.example" not in c["domain"]]
    assert ours(), "a check-in in progress has its session cookie"
    # The CSRF token's cookie (and the session's) end with the browser: no date on either.
    assert {c["name"] for c in ours()} == {"sessionid", "csrftoken"} and all(c["expires"] == -1 for c in ours())
    page.locator("a.quick-exit").click()
    page.wait_for_url("https://neutral.example/")
    assert ours() == []
    page.go_back()
    page.wait_for_load_state("load")
    title = page.title()
    print(f"\n{viewport}: after Back the title is {title!r}")
    for word in ("Pain", "Connection", "Check-in", "check-in"):
        assert word not in title
    assert ours() == []


def test_print_view_works_without_javascript_and_passes_axe(browser, live_server, site, viewport, check, page):
    longest_results(page, site)
    cookies = page.context.cookies()
    from .conftest import VIEWPORTS
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, **VIEWPORTS[viewport])
    context.add_cookies(cookies)
    nojs = context.new_page()
    nojs.goto("/checkin/results/")
    assert not nojs.locator(".print-button").first.is_visible()  # a JavaScript button, hidden
    link = nojs.locator("a", has_text="Print these results")
    assert link.is_visible()
    link.click()
    nojs.wait_for_url("**/checkin/results/print/")
    assert nojs.locator("main details").count() == 0  # every card open (the frame folds its extra lines)
    assert "Your check-in of" in nojs.inner_text("main")
    context.close()
    page.goto("/checkin/results/print/")
    check()
    # Every card keeps its one or two sentences and its reason.
    for card in page.locator(".lane-item.card").all():
        assert card.locator(".item-short").inner_text().strip()
        assert card.locator(".reason").inner_text().startswith("Why this is shown:")


@pytest.mark.parametrize("viewport", ["desktop"])  # print layout does not depend on the screen
def test_badges_print_legibly_with_the_date(page, viewport, site, tmp_path):
    from questionnaire import instruments as ins

    from .test_results_browser import LONGEST, fill_step

    page.goto(f"/c/{site.slug}/")
    page.locator("button", has_text="Start the check-in").click()
    for slug, answers in LONGEST.items():
        if slug == "coping":
            answers = {ins.coping_field(o): "0" for o, _ in ins.COPING_OPTIONS}  # every option "using now"
        if slug == "wellbeing":
            answers = {"sleep": "2", "stress": "2", "safety": "0"}
        fill_step(page, answers)
    page.locator("button", has_text="Send my answers").click()
    page.wait_for_url("**/checkin/results/")
    assert page.locator(".badge-using").count() >= 4
    page.emulate_media(media="print")
    style = page.locator(".badge-using").first.evaluate(
        "(el) => { const s = getComputedStyle(el); return {color: s.color, background: s.backgroundColor,"
        " border: s.borderTopColor, borderWidth: s.borderTopWidth, display: s.display}; }")
    assert style["color"] == "rgb(0, 0, 0)" and style["border"] == "rgb(0, 0, 0)", style
    assert style["background"] in ("rgba(0, 0, 0, 0)", "transparent"), style
    assert style["display"] != "none" and style["borderWidth"] != "0px"
    pdf = tmp_path / "results.pdf"
    page.pdf(path=str(pdf), format="Letter")
    import subprocess
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("You do this now") >= 4
    assert "Your check-in of" in text


# --- Reflow, large text and the bar's targets on every page of the person's side (issue 18) ---

from .test_checkin_browser import contrast  # noqa: E402
from .test_results_browser import LONGEST, fill_step  # noqa: E402

# (width, text size): a 375 px phone, the narrowest 320 px, and 200% text.
REFLOW_MODES = {"375-100": (375, "100%"), "320-100": (320, "100%"), "375-150": (375, "150%"), "375-200": (375, "200%")}
BAR_TARGETS = ('a[href="tel:911"]', 'a[href="tel:988"]', 'a[href="sms:988"]', 'a[href="https://988lifeline.org/chat"]',
               "a.quick-exit")


def set_text_size(page, size):
    page.evaluate(f"document.documentElement.style.fontSize = {size!r}")
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def person_pages(page, site):
    """Visit every page of the person's side in turn, yielding a name for each."""
    page.goto("/")
    yield "landing"
    page.goto("/about/")
    yield "about"
    page.goto("/privacy/")
    yield "privacy notice"
    page.goto(f"/c/{site.slug}/")
    page.locator("button", has_text="Start the check-in").click()
    page.wait_for_load_state("load")
    for slug in LONGEST:
        page.goto(f"/checkin/{slug}/")
        yield f"step {slug}"
    for slug, answers in LONGEST.items():
        page.goto(f"/checkin/{slug}/")
        fill_step(page, answers)
    assert page.url.endswith("/checkin/crisis/")
    yield "crisis"
    page.goto("/checkin/review/")
    yield "review"
    page.locator("button", has_text="Send my answers").click()
    page.wait_for_url("**/checkin/results/")
    yield "results"
    page.goto("/checkin/results/print/")
    yield "print view"
    page.goto("/checkin/results/")
    page.locator("button", has_text="Done — remove this from this browser").click()
    page.wait_for_load_state("load")
    yield "cleared"
    page.goto("/checkin/results/")
    yield "nothing to show"


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("mode", sorted(REFLOW_MODES))
def test_every_page_reflows_and_keeps_the_bar_targets_large(page, viewport, site, check, mode):
    """WCAG 1.4.10 and 1.4.4: nothing scrolls sideways at 320 px or 200% text; the bar
    keeps 911, 988 (call, text, chat) and the exit as 44x44 px targets; axe finds nothing."""
    width, size = REFLOW_MODES[mode]
    page.set_viewport_size({"width": width, "height": 667})
    seen = []
    for name in person_pages(page, site):
        set_text_size(page, size)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} at {mode}: the page scrolls sideways ({scroll} px)"
        targets = {sel: box(page, sel) for sel in BAR_TARGETS}
        for sel, b in targets.items():
            assert b["width"] >= MIN_TARGET and b["height"] >= MIN_TARGET, (name, mode, sel, b)
            assert b["left"] >= 0 and b["left"] + b["width"] <= width, (name, mode, sel, b)
        bar = box(page, BAR)["height"]
        seen.append((name, bar))
        check()  # the frame, axe-core with no violations at this text size, no console errors
    bars = sorted({height for _, height in seen})
    print(f"\n{mode}: bar height {bars} px on {len(seen)} pages; 911 "
          f"{targets[BAR_TARGETS[0]]['width']:.0f}x{targets[BAR_TARGETS[0]]['height']:.0f}, exit "
          f"{targets['a.quick-exit']['width']:.0f}x{targets['a.quick-exit']['height']:.0f}")
    assert max(bars) <= 0.16 * 667, "the bar takes at most two rows"


FOCUS_STATE_JS = """(bar) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const r = el.getBoundingClientRect(); const b = document.querySelector(bar).getBoundingClientRect();
  const f = el.getClientRects()[0] || r;
  const hit = document.elementFromPoint(f.left + Math.min(f.width / 2, 10), f.top + f.height / 2);
  let behind = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || c[3] > 0) { behind = c; break; }
  }
  const s = getComputedStyle(el);
  return {inBar: !!el.closest(bar), top: r.top, barBottom: b.bottom, visible: r.width > 0 && r.height > 0,
          onTop: !!hit && (hit === el || el.contains(hit) || (el.labels && [...el.labels].some((l) => l.contains(hit))))
                 && !hit.closest(bar),
          skip: el.classList.contains('skip-link'), what: el.outerHTML.slice(0, 90),
          outline: rgb(s.outlineColor), outlineWidth: parseFloat(s.outlineWidth), outlineStyle: s.outlineStyle, behind: behind};
}"""


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize("size", ["100%", "200%"])
def test_tabbing_both_ways_through_every_step_never_hides_focus_and_shows_a_strong_ring(page, viewport, size):
    """WCAG 2.2 SC 2.4.11 and 1.4.11: Tab and Shift+Tab through every step; the focused
    element is never under the bar, whatever its real height, and its ring has 3:1."""
    page.emulate_media(reduced_motion="reduce")
    page.goto("/")
    page.locator("button", has_text="Start the check-in").click()
    page.wait_for_load_state("load")
    checked = 0
    for slug in LONGEST:
        page.goto(f"/checkin/{slug}/")
        set_text_size(page, size)
        for key in ("Tab", "Shift+Tab"):
            page.evaluate("window.scrollTo(0, 0)" if key == "Tab" else "window.scrollTo(0, document.documentElement.scrollHeight)")
            page.evaluate("document.activeElement && document.activeElement.blur()")
            stops = 0
            for _ in range(120):
                page.keyboard.press(key)
                state = page.evaluate(FOCUS_STATE_JS, BAR)
                if state is None:
                    break  # out of the page (into the browser's own controls)
                if state["inBar"] or not state["visible"]:
                    continue
                stops += 1
                assert state["onTop"] and (state["top"] >= state["barBottom"] - 1 or state["skip"]), \
                    f"{slug} at {size} with {key}: hidden under the bar: {state}"
                assert state["outlineStyle"] != "none" and state["outlineWidth"] >= 2, (slug, state)
                assert contrast(state["outline"], state["behind"]) >= 3, (slug, state)
            assert stops >= 3, (slug, key, stops)
            checked += stops
    print(f"\n{size}: {checked} focus stops checked, forwards and backwards")


@pytest.mark.parametrize("viewport", ["phone"])
def test_start_is_in_the_first_phone_screen_with_the_shared_device_note_on_the_page(page, viewport, site):
    for path in ("/", f"/c/{site.slug}/"):
        page.goto(path)
        start = box(page, "button:text-is('Start the check-in')")
        print(f"\n{path}: Start ends at {start['bottom']:.0f} px of 667")
        assert start["bottom"] <= 667
        note = page.locator("details.shared-device summary")
        assert note.inner_text() == "Using a shared or work device?"
        note.click()
        assert "private window" in page.inner_text("details.shared-device")
