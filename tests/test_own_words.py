"""Our texts are our own words: no run of 8 or more words copied from the article.

The article is not in the project: tests/data/article-runs.txt holds a hash of
each of its 8-word runs (see tests/own_words.py), so this check works in any
clone. The instruments' exact question wording, the article's title and the
paper's title are allowed: quoting them is the point.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from questionnaire import content, instruments as ins

from .own_words import HEADER, OUT, digest, hashes_of, read_hashes, render, runs

REPO = Path(__file__).resolve().parents[1]
CHECKED = sorted((REPO / "templates").rglob("*.html")) + sorted(
    path for app in ("questionnaire", "stats") for path in (REPO / app).glob("*.py")
    if path.name in ("content.py", "rules.py")
)
ALLOWED_QUOTES = [q.text for q in ins.QUESTIONS] + [content.ARTICLE_TITLE, content.PAPER_TITLE]


def strip_markup(text: str) -> str:
    """Drop template and HTML tags; each leaves a gap, so no run is made across one."""
    return re.sub(r"\{[{%#].*?[}%#]\}|<[^>]*>", " | ", text, flags=re.S)


@pytest.fixture(scope="module")
def article_hashes():
    allowed = set().union(*(hashes_of(quote) for quote in ALLOWED_QUOTES))
    return read_hashes() - allowed


def copied_runs(text: str, article_hashes: set[str]) -> list[str]:
    return sorted(" ".join(run) for run in runs(text) if digest(run) in article_hashes)


def test_the_hash_file_is_whole():
    lines = OUT.read_text(encoding="ascii").splitlines()
    assert lines[0] == HEADER
    hashes = lines[1:]
    assert len(hashes) > 1000, "the article has a few thousand 8-word runs"
    assert hashes == sorted(set(hashes)), "hashes are sorted and unique"
    assert all(re.fullmatch(r"[0-9a-f]{16}", h) for h in hashes)


def test_the_hashes_are_the_articles():
    """The article opens with its title and quotes the paper's title, so their runs are in the file.

    With ARTICLE_REFERENCE naming the article (for whoever has it), the file must be
    exactly what it gives: run scripts/article-hashes after the article changes.
    """
    hashes = read_hashes()
    for title in (content.ARTICLE_TITLE, content.PAPER_TITLE):
        assert hashes_of(title) and hashes_of(title) <= hashes, title
    reference = os.environ.get("ARTICLE_REFERENCE")
    if reference:
        assert render(Path(reference).read_text(encoding="utf-8")) == OUT.read_text(encoding="ascii"), (
            "tests/data/article-runs.txt is out of date: run scripts/article-hashes " + reference
        )


def test_the_checker_finds_a_copied_run(article_hashes):
    # A made-up "article" proves the mechanism: its runs are found, other text is not.
    fake = hashes_of("Pain and loneliness can feed each other over many long and hard years at home.")
    ours = "As we said: pain and loneliness can feed each other over many long and hard years."
    copied = copied_runs(ours, fake)
    assert len(copied) == 6  # 13 shared words make six runs of eight
    assert "pain and loneliness can feed each other over" in copied
    plain = "Pain and feelings can feed each other, and that can go on for years."
    assert not copied_runs(plain, fake)
    assert not copied_runs(plain, article_hashes)


@pytest.mark.parametrize("path", CHECKED, ids=lambda path: str(path.relative_to(REPO)))
def test_no_run_of_eight_words_from_the_article(path, article_hashes):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = strip_markup(text)
    copied = copied_runs(text, article_hashes)
    assert not copied, f"{path.name} copies the article word for word: {copied[:5]}"


def test_the_rendered_texts_are_our_own_words_too(article_hashes):
    texts = [item.title + " " + item.body for item in content.ITEMS] + [
        lane.heading + " " + lane.intro for lane in content.LANES
    ] + list(content.SOURCE_USE.values()) + [content.ABOUT_INTRO, content.ABOUT_ARTICLE]
    for text in texts:
        assert not copied_runs(text, article_hashes), text
