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


def longest_results(page, site, privacy="0"):
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
def test_longest_results_print_on_at_most_two_letter_pages(page, viewport, site, tmp_path):
    longest_results(page, site)
    pdf = tmp_path / "results.pdf"
    page.pdf(path=str(pdf), format="Letter", print_background=False)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    print(f"\nlongest results print on {pages} Letter page(s)")
    assert pages <= 2
    for needed in ("911", "988", "1-800-662-4357", "not a diagnosis", "Questions to bring", "Why this is shown"):
        assert needed in text, needed
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
