"""Our texts are our own words: no run of 8 or more words copied from the article.

The instruments' exact question wording, the article's title and the paper's title
are allowed: quoting them is the point.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questionnaire import content, instruments as ins

RUN = 8
REPO = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
ARTICLE = REFERENCE / "article-opioids-social-isolation.txt"

CHECKED = sorted((REPO / "templates").rglob("*.html")) + [
    REPO / "questionnaire" / "content.py",
    REPO / "questionnaire" / "rules.py",
]
ALLOWED_QUOTES = [q.text for q in ins.QUESTIONS] + [content.ARTICLE_TITLE, content.PAPER_TITLE]

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def words(text: str) -> list[str]:
    """Return the words of a text: lowercase, curly quotes straightened, punctuation stripped."""
    text = text.translate(QUOTES).lower().replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def strip_markup(text: str) -> str:
    """Drop template and HTML tags; each leaves a gap, so no run is made across one."""
    return re.sub(r"\{[{%#].*?[}%#]\}|<[^>]*>", " | ", text, flags=re.S)


@pytest.fixture(scope="module")
def article_runs():
    if not ARTICLE.is_file():
        pytest.fail(f"The reference article is missing: expected it at {ARTICLE}")
    allowed = set().union(*(runs(quote) for quote in ALLOWED_QUOTES))
    return runs(ARTICLE.read_text(encoding="utf-8")) - allowed


def test_the_checker_finds_a_copied_run(article_runs):
    copied = "As we read: Physical pain and negative emotions reinforce each other in patient populations."
    assert runs(copied) & article_runs
    assert not runs("Pain and feelings can feed each other, and that can go on for years.") & article_runs


@pytest.mark.parametrize("path", CHECKED, ids=lambda path: str(path.relative_to(REPO)))
def test_no_run_of_eight_words_from_the_article(path, article_runs):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = strip_markup(text)
    copied = sorted(" ".join(run) for run in runs(text) & article_runs)
    assert not copied, f"{path.name} copies the article word for word: {copied[:5]}"


def test_the_rendered_texts_are_our_own_words_too(article_runs):
    texts = [item.title + " " + item.body for item in content.ITEMS] + [
        lane.heading + " " + lane.intro for lane in content.LANES
    ] + list(content.SOURCE_USE.values()) + [content.ABOUT_INTRO, content.ABOUT_ARTICLE]
    for text in texts:
        assert not runs(text) & article_runs, text
