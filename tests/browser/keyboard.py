"""Drive pages with the keyboard only: Tab to a control, then Space, arrows or Enter."""

MAX_TABS = 250


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(MAX_TABS):
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector!r} on {page.url}")


def choose(page, name: str, index: int) -> None:
    """Pick the index-th radio of a group: Tab into the group, then arrow keys."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    current = page.evaluate("() => document.activeElement.id")
    start = int(current.rsplit("_", 1)[1])
    if index == start:
        page.keyboard.press("Space")
    for _ in range(abs(index - start)):
        page.keyboard.press("ArrowDown" if index > start else "ArrowUp")
    assert page.locator(f'input[name="{name}"]').nth(index).is_checked()


def tick(page, name: str, index: int) -> None:
    """Tick the index-th checkbox of a group."""
    tab_to(page, f'#id_{name}_{index}')
    page.keyboard.press("Space")
    assert page.locator(f"#id_{name}_{index}").is_checked()


def press_button(page, text: str) -> None:
    """Tab to the button (or link) with this text and press Enter; wait for the next page."""
    selector = f'button:text-is("{text}"), a:text-is("{text}")'
    target = page.locator(selector).first
    target.evaluate("(el) => el.setAttribute('data-kbd-target', '1')")
    tab_to(page, "[data-kbd-target]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
