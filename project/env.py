"""Tiny strict readers for environment variables: a bad value stops start-up.

Values come from the process environment first, then from a local, git-ignored
``.env`` file beside ``manage.py`` (``scripts/run`` writes one with a generated
``SECRET_KEY``), so every ``manage.py`` command sees the same settings as the
server. ``CHECKIN_ENV_FILE`` names another file; set it empty to read none (the
test suite does, so a developer's ``.env`` never changes what the tests see).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DEFAULT_FILE = Path(__file__).resolve().parent.parent / ".env"


def read_file(path: Path) -> dict[str, str]:
    """Return the ``NAME=value`` lines of an env file; blank lines and ``#`` comments are skipped."""
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: expected NAME=value, not {line!r}.")
        values[name.strip()] = value.strip()
    return values


def load_file() -> None:
    """Fill in, from the env file, every variable the process environment does not set."""
    name = os.environ.get("CHECKIN_ENV_FILE")
    path = DEFAULT_FILE if name is None else (Path(name) if name else None)
    if path is None or not path.is_file():
        return
    for key, value in read_file(path).items():
        os.environ.setdefault(key, value)

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def string(name: str, default: str) -> str:
    return os.environ.get(name, default)


def boolean(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def integer(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def list(name: str, default: list[str]) -> list[str]:  # noqa: A001 - reads as env.list
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
