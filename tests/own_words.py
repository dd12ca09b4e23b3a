"""Runs of eight words, and their hashes: what the own-words check compares.

The reference article is not part of the project. ``scripts/article-hashes``
turns it into one hash per 8-word run (tests/data/article-runs.txt); the test
hashes the runs of our own texts the same way and looks for a match. A hash
cannot be read back into the article's words, so the project carries no
sentence of it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

RUN = 8
OUT = Path(__file__).resolve().parent / "data" / "article-runs.txt"
HEADER = "# sha256 (first 16 hex digits) of every 8-word run of the reference article; made by scripts/article-hashes"

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def words(text: str) -> list[str]:
    """Return the words of a text: lowercase, curly quotes straightened, punctuation stripped."""
    text = text.translate(QUOTES).lower().replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def digest(run: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def hashes_of(text: str) -> set[str]:
    return {digest(run) for run in runs(text)}


def read_hashes(path: Path = OUT) -> set[str]:
    lines = path.read_text(encoding="ascii").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def render(text: str) -> str:
    """Return the hash file's text for an article: header, then the sorted hashes."""
    return "\n".join([HEADER, *sorted(hashes_of(text))]) + "\n"


def write_hashes(article: Path) -> int:
    text = render(article.read_text(encoding="utf-8"))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text, encoding="ascii")
    return len(text.splitlines()) - 1
