"""Real Chromium (Debian's package) driven by Playwright, with axe-core checks."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from ..safety_frame import assert_frame

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    # No skip: if Chromium is missing the browser tests fail, loudly.
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, viewport, live_server):
    context = browser.new_context(base_url=live_server.url, **VIEWPORTS[viewport])
    # The quick exit goes to a neutral site elsewhere; this closed network has none,
    # so answer for it here.
    context.route("https://neutral.example/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>Neutral</title><p>Weather</p>"))
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    # Errors, and the browser's complaint about a header it cannot read (a warning).
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" or "Permissions-Policy" in msg.text else None)
    page.console_errors = errors
    yield page
    context.close()


_axe = Axe()


class Checker:
    """Check every page visited: the safety frame is there and axe finds nothing."""

    def __init__(self, page):
        self.page = page
        self.pages = []

    def __call__(self, expect_quick_exit=True):
        page = self.page
        page.wait_for_load_state("load")
        html = page.content()
        assert_frame(html, page.url)
        if expect_quick_exit:
            assert page.locator("a.quick-exit").is_visible(), f"no quick exit on {page.url}"
        result = _axe.run(page)
        assert result.violations_count == 0, f"axe on {page.url}:\n{result.generate_report()}"
        assert not page.console_errors, f"console errors on {page.url}: {page.console_errors}"
        self.pages.append(page.url)


@pytest.fixture
def check(page):
    return Checker(page)
