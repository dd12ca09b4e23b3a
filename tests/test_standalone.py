"""The project stands alone: nothing in it reads or links outside its own tree."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(r"(?<![\w.])\.\./(?:\.\./)*[A-Za-z]")  # a relative path that climbs out of its folder


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    paths = [REPO / name for name in names.splitlines()]
    return [p for p in paths if p.is_file() and p.suffix in {".py", ".md", ".html", ".txt", ".ini", ".css", ".js", ""}]


def outside(path: Path, root: Path = REPO) -> list[str]:
    """Return the places in a file that name something outside the repository at ``root``."""
    text = path.read_text(encoding="utf-8", errors="ignore")
    depth = len(path.relative_to(root).parts) - 1  # folders between the repository and the file
    found = []
    for match in OUTSIDE.finditer(text):
        target = text[match.start():].split()[0].strip("\"'`()[],;")
        # Scripts run from the repository root; links and imports from the file's folder.
        if any(root not in (base / target).resolve().parents for base in (path.parent, root)):
            found.append(f"{path.relative_to(root)}:{text.count(chr(10), 0, match.start()) + 1}: {target}")
    for match in re.finditer(r"__file__\)\.resolve\(\)\.parents\[(\d+)\]", text):
        if int(match.group(1)) > depth:
            found.append(f"{path.relative_to(root)}: parents[{match.group(1)}] leaves the repository")
    return found


def test_no_file_names_a_place_outside_the_repository(tmp_path):
    (tmp_path / "docs").mkdir()
    probe = tmp_path / "docs" / "probe.py"
    up, two = "../", 2  # spelled apart, so this file does not name such places itself
    probe.write_text(f"See {up}{up}shared/DESIGN.md and {up}shared/x.\nPath(__file__).resolve().parents[{two}]\n")
    assert len(outside(probe, root=tmp_path)) == 3  # the check itself finds what it looks for
    found = [place for path in tracked_text_files() for place in outside(path)]
    assert not found, f"paths that leave the repository: {found}"


def test_every_relative_link_in_the_docs_names_a_file_of_the_project():
    docs = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    for doc in docs:
        for target in re.findall(r"\]\(([^)#:]+)\)", doc.read_text(encoding="utf-8")):
            path = (doc.parent / target).resolve()
            assert path.exists() and REPO in path.parents, f"{doc.name} links to {target}, which is not in the project"
