"""Results, about and cleared pages in Chromium: axe, print to PDF, lanes with reasons."""

import subprocess

import pytest

from questionnaire import instruments as ins

pytestmark = pytest.mark.django_db(transaction=True)

# The answers that give the longest results page: every rule that can fire does,
# and every option is one the person wants to learn more about.
LONGEST = {
    "privacy": {"privacy": "0"},
    "pain": {"pain_frequency": "3", "pain_duration": "1", "pain_impact": "3",
             "pain_areas": list(range(len(ins.PAIN_AREAS)))},
    "past-week": {"peg_pain": "10", "peg_enjoyment": "10", "peg_activity": "10"},
    "connection": {"ucla_companionship": "2", "ucla_left_out": "2", "ucla_isolated": "2", "lonely": "0",
                   "rejected": "2", "pain_avoidance": "2", "support": "4"},
    "medicines": {"medicines": [1, 2, 3], "opioid_duration": "1"},
    "coping": {ins.coping_field(o): "2" for o, _ in ins.COPING_OPTIONS},
    "wellbeing": {"sleep": "2", "stress": "2", "safety": "1"},
}


def fill_step(page, answers):
    for name, index in answers.items():
        for i in index if isinstance(index, list) else [index]:
            page.locator(f"#id_{name}_{i}").check()
    page.locator("button[value=next]").click()
    page.wait_for_load_state("load")


# The cookies of a browser that walked to the LONGEST results, per community and
# privacy choice: the results live only in the person's sealed cookie, so a later
# test opens them with these instead of clicking through every step again (the
# walk itself is tested once here and in test_checkin_browser.py).
_WALKED: dict[tuple[str, str], list] = {}


def longest_results(page, site, privacy="0"):
    """Bring the page to the results of the LONGEST answers, through the community's link."""
    key = (site.slug, privacy)
    if key in _WALKED:
        page.context.add_cookies(_WALKED[key])
        page.goto("/checkin/results/")
        if page.locator("#lane-try_now").count():
            _WALKED[key] = page.context.cookies()  # each look seals them again, with a new expiry
            return
        page.context.clear_cookies()  # expired: walk again
    _walk_to_longest_results(page, site, privacy)
    _WALKED[key] = page.context.cookies()


def _walk_to_longest_results(page, site, privacy):
    page.goto(f"/c/{site.slug}/")
    page.locator("button", has_text="Start the check-in").click()
    for slug, answers in LONGEST.items():
        fill_step(page, {"privacy": privacy} if slug == "privacy" else answers)
        if slug == "wellbeing":
            assert page.url.endswith("/checkin/crisis/")
            page.locator("a", has_text="Go on with the check-in").click()
    page.locator("button", has_text="Send my answers").click()
    page.wait_for_url("**/checkin/results/")


def test_results_show_four_lanes_with_reasons_and_pass_axe(page, check, site):
    longest_results(page, site)
    check()
    for heading in ("Understand", "Try now", "Ask your clinician about", "Connect"):
        assert page.locator("h2", has_text=heading).count() >= 1, heading
    reasons = page.locator(".reason")
    assert reasons.count() >= 20
    assert all(text.strip().startswith("Why this is shown:") for text in reasons.all_text_contents())
    main_text = page.locator("main").text_content()  # folded cards count: they are one tap away
    assert "Riverside Recovery" in main_text and "Talk to us: Call Sam at 555-0101." in main_text
    assert page.locator(".questions-list li").count() >= 3
    page.locator("a", has_text="About the questions").click()
    check()
    assert "Krebs" in page.content() and "Hughes" in page.content()


@pytest.mark.parametrize("viewport", ["desktop"])  # print layout does not depend on the screen
def test_longest_results_print_on_at_most_five_letter_pages(page, viewport, site, tmp_path):
    longest_results(page, site)
    pdf = tmp_path / "results.pdf"
    page.pdf(path=str(pdf), format="Letter", print_background=False)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    print(f"\nlongest results print on {pages} Letter page(s)")
    # 11 pt and the person's answers (issue 18) take more paper than the old 9 pt, and
    # the longest results now carry the medicine safety lane too (naloxone, overdose
    # signs, mixing and storage): every card is printed open.
    assert pages <= 5
    flat_layout = " ".join(text.split())  # a sentence may break across lines
    for needed in ("911", "988", "1-800-662-4357", "not a diagnosis", "Questions to bring", "Why this is shown"):
        assert needed in flat_layout, needed
    assert "Leave this site" not in text
    # Every item prints, folded ones too, each with its one or two sentences.
    reading = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(reading.split())  # in reading order, column by column
    assert "Your check-in of" in flat
    titles = page.locator(".lane-item .item-title, .lane-item .question-text").all_text_contents()
    shorts = page.locator(".lane-item .item-short").all_text_contents()
    assert len(titles) >= 20
    for words in titles + shorts:
        words = " ".join(words.split()).replace("You do this now", "").strip()
        assert words in flat, words


def test_cleared_page_passes_axe(page, check, site):
    longest_results(page, site)
    page.locator("button", has_text="Clear my answers").click()
    page.wait_for_load_state("load")
    check()
    assert "Nothing links it back to you" in page.inner_text("main")


SMALLEST_PRINTED_JS = """() => {
  let smallest = 99, where = '';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('.visually-hidden')) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < smallest) { smallest = px; where = el.outerHTML.slice(0, 80); }
  }
  return {pt: smallest * 0.75, where: where};
}"""


@pytest.mark.parametrize("viewport", ["desktop"])  # print layout does not depend on the screen
def test_print_is_11pt_with_the_answers_and_the_safety_answer_only_when_ticked(page, viewport, site, tmp_path):
    longest_results(page, site)  # shared, with a "yes" to the safety question
    page.goto("/checkin/results/print/")
    page.emulate_media(media="print")
    smallest = page.evaluate(SMALLEST_PRINTED_JS)
    print(f"\nsmallest printed text: {smallest['pt']:.1f} pt ({smallest['where']})")
    assert smallest["pt"] >= 11, smallest
    answers = page.locator(".print-answers .review-row")
    assert answers.count() >= 10 and page.locator(".print-answers").is_visible()
    assert not page.locator(".answer-safety").is_visible(), "the safety answer stays off paper unless ticked"
    assert not page.locator(".safety-said").is_visible()

    def printed():
        pdf = tmp_path / "results.pdf"
        page.pdf(path=str(pdf), format="Letter")
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return " ".join(text.split())

    text = printed()
    assert "Your answers" in text and "Every day" in text
    assert "safety question" not in text and "ending your life" not in text
    page.emulate_media(media="screen")
    page.locator("#print-safety").check()
    page.emulate_media(media="print")
    assert page.locator(".answer-safety").is_visible()
    assert "ending your life" in printed()


@pytest.mark.parametrize("viewport", ["desktop"])
def test_private_results_print_their_answers_from_the_results_page(page, viewport, site):
    longest_results(page, site, privacy="1")
    page.emulate_media(media="print")
    assert page.locator(".said-details .review-row").first.is_visible(), "the answers print open"
    assert page.evaluate(SMALLEST_PRINTED_JS)["pt"] >= 11
    assert not page.locator(".answer-safety").is_visible()
