"""The staff side in Chromium: log in, pick a period, read a chart and its table,
download the CSV; axe finds nothing on every staff page at three widths, and no
page scrolls sideways (tables scroll inside their own box)."""

import csv
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.staff_data import World

from .conftest import DESKTOP

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {"phone": 375, "tablet": 768, "desktop": 1280}
FRAME = ('href="tel:911"', 'href="tel:988"', 'href="sms:988"', "not a diagnosis", "1-800-662-4357")
_axe = Axe()


@pytest.fixture
def world(transactional_db):
    return World()


def new_page(browser, live_server, width):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True,
                                  viewport={"width": width, "height": 900 if width > 500 else 667},
                                  **({"is_mobile": True, "has_touch": True} if width < 500 else {}))
    # Chromium asks for /favicon.ico on its own; we serve none.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    return page


def log_in(page, username, password=World.PASSWORD):
    page.goto("/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")


def check(page):
    """The frame is there, axe finds nothing, no console errors, no sideways scroll."""
    page.wait_for_load_state("load")
    html = page.content()
    for piece in FRAME:
        assert piece in html, (piece, page.url)
    result = _axe.run(page)
    assert result.violations_count == 0, f"axe on {page.url}:\n{result.generate_report()}"
    assert not page.console_errors, (page.url, page.console_errors)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_a_staff_member_picks_a_period_reads_a_chart_and_its_table_and_downloads_the_csv(browser, live_server, world):
    page = new_page(browser, live_server, DESKTOP["viewport"]["width"])
    page.goto("/staff/")
    assert "/staff/login/" in page.url
    check(page)
    log_in(page, "member")
    assert page.url.endswith("/staff/sites/riverside/"), page.url  # one site: straight to it
    assert "Q3 2026" in page.inner_text("h1")
    check(page)
    # The change is said in words; the arrow is only decoration for screen readers.
    checkins = page.locator('[data-figure="checkins"]')
    assert "Up 70 since Q2 2026" in checkins.inner_text()
    assert checkins.locator('[aria-hidden="true"]').inner_text() == "↑"
    assert "95% interval" in page.locator('[data-figure="share_chronic_pain"]').inner_text()

    page.select_option("#period", "2026-08")
    page.locator(".period-picker button").click()
    page.wait_for_url("**/staff/sites/riverside/?period=2026-08")
    assert "August 2026" in page.inner_text("h1")

    block = page.locator('[data-table="dist:chronic_pain"]')
    # Topics are folded: following the section index opens one.
    assert not block.is_visible()
    page.locator(".topic-nav a", has_text="Pain").first.click()
    chart = block.locator("svg[role=img]")
    assert chart.is_visible()
    assert chart.locator("title").text_content() == block.locator("h3").inner_text()
    values = [t for t in chart.locator("text.value, text.marker").all_text_contents()]
    cells = block.locator("tbody td:nth-child(2)").all_inner_texts()  # counts; a share column follows
    # The chart shows each row's number, or the marker where the table hides it.
    assert len(values) == len(cells)
    for value, cell in zip(values, cells):
        assert value == ("hidden" if cell.startswith("hidden") else cell.strip())

    with page.expect_download() as info:
        page.locator("a", has_text="Download the tables (CSV)").click()
    download = info.value
    assert download.suggested_filename == "checkins-riverside-2026-08.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert rows[0] == ["Site", "Riverside Recovery"] and rows[1][1].startswith("2026-08")
    page.context.close()


def open_all(page):
    """Unfold every folded section, so that axe looks at what it holds too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


@pytest.mark.parametrize("width", sorted(WIDTHS), ids=str)
def test_staff_pages_pass_axe_and_never_scroll_sideways(browser, live_server, world, width):
    page = new_page(browser, live_server, WIDTHS[width])
    log_in(page, "member")
    check(page)  # the dashboard, folded
    open_all(page)
    check(page)  # and unfolded: every chart, table and definition
    page.goto("/staff/sites/riverside/?period=2026-08")
    open_all(page)
    check(page)  # a month
    page.goto("/staff/sites/riverside/print/?period=2026-Q3")
    check(page)
    page.goto("/staff/how-we-protect-small-numbers/")
    check(page)
    page.goto("/staff/settings/")
    check(page)
    page.goto("/staff/sites/riverside/poster/")
    check(page)
    assert page.locator("img.poster-qr").evaluate("img => img.naturalWidth") > 200
    page.context.close()

    admin = new_page(browser, live_server, WIDTHS[width])
    admin.goto("/admin/login/")
    check(admin)  # Django's own login page, with our heading and frame
    assert admin.locator("h1").count() == 1
    log_in(admin, "root")
    admin.goto("/staff/")
    check(admin)  # home: every site and "no community"
    assert admin.locator(".place h2").count() == 3
    admin.goto(f"/admin/questionnaire/site/{world.site.pk}/change/")
    check(admin)
    admin.locator(".copy-button").click()
    # The clipboard answers asynchronously: wait for the status line to say what happened.
    expect(admin.locator(".copy-status")).to_have_text(re.compile(r"^(Copied\.|Select the link and copy it\.)$"))
    # The user page's filter boxes (groups, permissions): our override gives their
    # labelled icons a role (axe aria-prohibited-attr without it).
    admin.goto(f"/admin/auth/user/{world.member.pk}/change/")
    check(admin)
    assert admin.locator("span.help-tooltip[aria-label]").count() >= 2
    for path in ("/admin/", "/admin/auth/user/", "/admin/auth/user/add/", "/admin/questionnaire/site/"):
        admin.goto(path)
        check(admin)
    admin.goto("/staff/sites/riverside/")
    admin.goto("/admin/stats/auditevent/")
    check(admin)
    assert admin.locator("#result_list tbody tr").count() >= 1
    admin.context.close()


def first_screen_cards(page):
    """Return the headline cards wholly inside the first screen."""
    return page.evaluate("""() => [...document.querySelectorAll('.figure')].filter(card => {
        const r = card.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight; }).map(card => card.dataset.figure)""")


def test_a_phone_shows_four_headline_cards_first_and_a_page_half_as_long(browser, live_server, world):
    page = new_page(browser, live_server, WIDTHS["phone"])
    log_in(page, "member")
    cards = first_screen_cards(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"phone 375x667: {len(cards)} of {page.locator('.figure').count()} headline cards on the first screen; "
          f"page {height} px")
    assert len(cards) >= 4, cards
    # Half of the 18,940 px the demo's phone page measured before the sections folded.
    assert height <= 9_470, height
    # Cards sit two across.
    lefts = page.evaluate("[...document.querySelectorAll('.figure')].slice(0, 2).map(c => c.getBoundingClientRect().top)")
    assert lefts[0] == lefts[1]
    # A wide table scrolls inside its box, says so, and takes keyboard focus.
    open_all(page)
    page.wait_for_function("document.querySelectorAll('.scroll-cue').length > 0")
    wide = page.evaluate("""() => [...document.querySelectorAll('.table-box')]
        .filter(b => b.scrollWidth > b.clientWidth + 1)
        .map(b => [b.getAttribute('tabindex'), b.getAttribute('role'),
                   b.nextElementSibling && b.nextElementSibling.className])""")
    assert wide, "no table is wider than a phone"
    for tabindex, role, after in wide:
        assert (tabindex, role, after) == ("0", "region", "scroll-cue")
    cues = page.locator(".scroll-cue").count()
    print(f"phone: {len(wide)} tables scroll inside their box, {cues} with the cue")
    assert cues == len(wide)
    page.context.close()


def test_a_laptops_first_screen_answers_for_every_shown_headline_figure(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, "member")
    assert "Q3 2026" in page.inner_text("h1")
    cards = first_screen_cards(page)
    shown = page.evaluate("""() => [...document.querySelectorAll('.figure')]
        .filter(card => !card.querySelector('.figure-hidden')).map(card => card.dataset.figure)""")
    print(f"laptop 1280x800: {len(cards)} of {page.locator('.figure').count()} cards on the first screen, "
          f"{len(shown)} figures shown")
    assert shown and set(shown) <= set(cards)
    for key in shown:
        card = page.locator(f'[data-figure="{key}"]')
        parts = card.locator("[data-part]").evaluate_all("els => els.map(e => e.dataset.part)")
        assert parts.count("earlier") == 2, (key, parts)  # last period (with the change), a year earlier
        if key.startswith("share_"):  # a mean's count is out only when its "no answer" cell is
            assert "out-of" in parts and "interval" in parts, (key, parts)
        if key in ("share_chronic_pain", "share_high_impact", "share_support_usually"):
            judgement = card.locator('[data-part="benchmark"]').inner_text()
            assert judgement.startswith(("Higher than", "Similar to", "Lower than")), (key, judgement)
    context.close()
