"""The Spanish catalogues are complete and current (issue 22).

Two catalogues: the project's (locale/: templates and the frame) and the
check-in's (questionnaire/locale/: questions, choices, results). Each is made by
``makemessages`` (locale/README.md has the two commands) and compiled by
scripts/run and scripts/test. A test fails on any entry left untranslated or
fuzzy, on an obsolete one, on a .po file GNU msgfmt refuses, and on any message in
the sources that the catalogue lacks (makemessages was not run after a change).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CATALOGUES = {
    "project": REPO / "locale" / "es" / "LC_MESSAGES" / "django.po",
    "check-in": REPO / "questionnaire" / "locale" / "es" / "LC_MESSAGES" / "django.po",
}
# Where each catalogue's makemessages runs, and what it leaves out: the project's
# covers templates/ and project/ but not the check-in's Python (its own catalogue).
MAKEMESSAGES = {
    "project": (".", ["--ignore=.venv", "--ignore=questionnaire/*.py"]),
    "check-in": ("questionnaire", []),
}


def entries(path: Path) -> dict[tuple[str | None, str, str | None], list[str]]:
    """Return a .po file's messages: (context, msgid, plural) -> its translations,
    read by GNU gettext's msgattrib (one message per line, no wrapping)."""
    text = subprocess.run(["msgattrib", "--no-wrap", "--no-obsolete", str(path)], capture_output=True, text=True,
                          check=True).stdout
    found = {}
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        strings = []
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            key, _, value = line.partition(" ")
            value = value[1:-1]
            if key.startswith("msgstr"):
                strings.append(value)
            else:
                fields[key] = value
        if fields.get("msgid"):
            found[(fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))] = strings
    return found


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_no_message_is_untranslated_fuzzy_or_obsolete(name):
    path = CATALOGUES[name]
    for option in ("--only-fuzzy", "--untranslated"):
        left = subprocess.run(["msgattrib", option, "--no-obsolete", str(path)], capture_output=True, text=True,
                              check=True).stdout
        assert "msgid" not in left, f"{option} entries in {path.relative_to(REPO)}:\n{left[:3000]}"
    assert "\n#~ " not in path.read_text(), f"obsolete entries in {path.relative_to(REPO)}: run makemessages"
    checked = subprocess.run(["msgfmt", "--check-format", "--check-domain", "-o", os.devnull, str(path)],
                             capture_output=True, text=True)
    assert checked.returncode == 0 and not checked.stderr, checked.stderr


def test_a_message_left_untranslated_is_caught(tmp_path):
    """The check above can fail: an empty translation is reported."""
    po = tmp_path / "django.po"
    po.write_text(CATALOGUES["project"].read_text().replace('msgstr "Importante"', 'msgstr ""'))
    left = subprocess.run(["msgattrib", "--untranslated", str(po)], capture_output=True, text=True).stdout
    assert 'msgid "Important"' in left


def copy_of_the_project(where: Path) -> Path:
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", "artifacts", "staticfiles", "node_modules",
                                    "*.mo", "*.sqlite3", ".hypothesis", ".pytest_cache", "tests", "benchmarks")
    copy = where / "project-copy"
    shutil.copytree(REPO, copy, ignore=ignore, symlinks=True)
    return copy


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Run both makemessages commands on a copy of the project; return the fresh .po files."""
    copy = copy_of_the_project(tmp_path_factory.mktemp("makemessages"))
    env = {**os.environ, "CHECKIN_ENV_FILE": "", "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "project.settings"}
    for name, (folder, options) in MAKEMESSAGES.items():
        manage = os.path.relpath(copy / "manage.py", copy / folder)
        subprocess.run([sys.executable, manage, "makemessages", "-l", "es", *options], cwd=copy / folder, env=env,
                       check=True, capture_output=True)
    return {name: copy / path.relative_to(REPO) for name, path in CATALOGUES.items()}


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_every_message_in_the_sources_is_in_its_catalogue(fresh_catalogues, name):
    committed = entries(CATALOGUES[name])
    fresh = entries(fresh_catalogues[name])
    missing = sorted(set(fresh) - set(committed), key=str)
    assert not missing, (f"messages in the sources but not in {CATALOGUES[name].relative_to(REPO)} "
                         f"(run makemessages, see locale/README.md, then translate): {missing[:10]}")
    gone = sorted(set(committed) - set(fresh), key=str)
    assert not gone, f"messages no source uses any more: {gone[:10]}"
    # makemessages keeps what was translated: the fresh file has every translation too.
    assert {key: fresh[key] for key in committed} == committed
