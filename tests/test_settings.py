"""Settings from the environment; production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "kJ8#t2@Lq!9zX$w4&Vn7^Rb1*Yc6(Hd3)Fm5_Gp0+Ss8=Tu2-Wx4~Ae7%Bi9",
    "ALLOWED_HOSTS": "checkin.example.org",
    "PUBLIC_URL": "https://checkin.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def _settings_names() -> set[str]:
    import re

    names = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    return names | {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, **env):
    """Run manage.py with only the given settings (none inherited from the test run)."""
    clean = {k: v for k, v in os.environ.items() if k not in _settings_names()}
    clean["DJANGO_SETTINGS_MODULE"] = "project.settings"
    clean["CHECKIN_ENV_FILE"] = ""  # no local .env unless a test names one
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=60,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize(("threshold", "ok"), [("11", True), ("20", True), ("10", False), ("1", False)])
def test_suppression_threshold_may_be_raised_never_lowered_below_11(threshold, ok):
    result = manage("check", SUPPRESSION_THRESHOLD=threshold, **PRODUCTION)
    assert (result.returncode == 0) is ok, result.stdout + result.stderr
    if not ok:
        assert "stats.E001" in result.stderr


def test_threshold_defaults_to_11(settings):
    assert settings.SUPPRESSION_THRESHOLD == 11


def test_bad_boolean_in_the_environment_stops_start_up():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


def test_every_environment_variable_is_listed_in_env_example():
    import re

    names = set(re.findall(r'env\.\w+\("([A-Z_]+)"', (ROOT / "project" / "settings.py").read_text()))
    names.add("DATABASE_URL")  # read by dj_database_url
    for path in (ROOT / "project" / "env.py", ROOT / "gunicorn.conf.py"):
        names |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', path.read_text()))
    assert {"CHECKIN_ENV_FILE", "BIND", "WEB_CONCURRENCY", "THREADS"} <= names  # the pattern still finds them
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert names <= listed, names - listed


def test_a_local_env_file_gives_manage_py_its_settings(tmp_path):
    local = tmp_path / "local.env"
    local.write_text("# made by scripts/run\nSECRET_KEY=from-the-file-0123456789-abcdefghijklmnopqrstuvwxyz\nDEBUG=false\n")
    assert manage("check", CHECKIN_ENV_FILE=str(local)).returncode == 0
    assert "Set SECRET_KEY" in manage("check", DEBUG="false").stderr  # and without it, no key


def test_the_environment_wins_over_the_env_file(tmp_path):
    local = tmp_path / "local.env"
    local.write_text("SECRET_KEY=from-the-file-0123456789-abcdefghijklmnopqrstuvwxyz\nDEBUG=maybe\n")
    assert manage("check", CHECKIN_ENV_FILE=str(local)).returncode != 0
    assert manage("check", CHECKIN_ENV_FILE=str(local), DEBUG="false").returncode == 0


def test_a_bad_line_in_the_env_file_stops_start_up_with_its_place(tmp_path):
    local = tmp_path / "local.env"
    local.write_text("DEBUG=false\nthis is not a setting\n")
    result = manage("check", CHECKIN_ENV_FILE=str(local))
    assert result.returncode != 0 and "line 2: expected NAME=value" in result.stderr
