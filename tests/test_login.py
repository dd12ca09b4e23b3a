"""Staff login: odd usernames are form errors; the lock-out is per username and
client address (behind a trusted proxy too), warns before the last try, says
how long it lasts, and keeps no user agent."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from .safety_frame import assert_frame

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password-42"
LOGIN_URLS = ["/staff/login/", "/admin/login/"]


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password=PASSWORD, is_staff=True)


def browser(address: str) -> Client:
    return Client(REMOTE_ADDR=address, raise_request_exception=False)


def fail(client, url="/staff/login/", username="alice", times=1):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong-password"})
    return response


@pytest.mark.parametrize("url", LOGIN_URLS)
@pytest.mark.parametrize(
    "username",
    ["a" * 151, "a" * 256, "x" * 100_000, "alice\x00", "\x00", "ali\x07ce", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace") + "\x1b[31m"],
    ids=["151", "256", "100k", "nul-end", "nul", "bell", "escape"],
)
def test_a_username_no_account_can_have_is_a_form_error(url, username, alice):
    response = browser("10.0.0.1").post(url, {"username": username, "password": "whatever"})
    assert response.status_code == 200, response.content[:300]
    html = response.content.decode()
    assert "username" in html.lower() and ("at most 150" in html or "character" in html)
    assert AccessAttempt.objects.count() == 0  # nothing recorded, nothing to overflow


@pytest.mark.parametrize("username", ["Ålice ÿ", "名前", "🙂" * 30, " alice ", "O'Brien; DROP TABLE"])
def test_unusual_but_possible_usernames_are_ordinary_wrong_logins(username, alice):
    response = browser("10.0.0.1").post("/staff/login/", {"username": username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_five_failures_lock_that_username_from_that_address_only(alice):
    attacker = browser("10.0.0.66")
    fail(attacker, times=5)
    locked = fail(attacker)
    assert locked.status_code == 429
    # The same person elsewhere still gets in with the right password.
    elsewhere = browser("10.0.0.1")
    assert elsewhere.post("/staff/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    # Another username from the attacker's address is not locked.
    get_user_model().objects.create_user("bob", password=PASSWORD, is_staff=True)
    assert attacker.post("/staff/login/", {"username": "bob", "password": PASSWORD}).status_code == 302


def test_the_lock_out_also_holds_against_the_right_password(alice):
    client = browser("10.0.0.7")
    fail(client, times=5)
    response = client.post("/staff/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


def test_the_lock_out_message_says_what_to_do(alice):
    client = browser("10.0.0.7")
    fail(client, times=5)
    html = fail(client).content.decode()
    assert "Too many tries" in html
    assert "Wait 1 hour" in html and "administrator" in html and "unlock" in html
    assert_frame(html)


def test_an_admin_unlocks_in_the_admin(alice):
    client = browser("10.0.0.7")
    fail(client, times=5)
    assert fail(client).status_code == 429
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", password=PASSWORD))
    attempt = AccessAttempt.objects.get(username="alice")
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "alice" in listing.content.decode()
    response = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert client.post("/staff/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


def test_an_admin_unlocks_from_the_command_line(alice):
    client = browser("10.0.0.7")
    fail(client, url="/admin/login/", times=5)
    assert fail(client, url="/admin/login/").status_code == 429
    call_command("axes_reset_username", "alice")
    assert client.post("/staff/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


# --- behind a TLS proxy: the client address the proxy saw -------------------------------------

PROXY = "10.0.0.2"  # every request reaches Django from the proxy's address


def through_proxy(client_address: str, forged: str = "") -> Client:
    """A browser behind our TLS proxy: the proxy appends the address it saw to X-Forwarded-For."""
    header = f"{forged}, {client_address}" if forged else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header, raise_request_exception=False)


@pytest.fixture
def one_trusted_proxy(settings):
    # What TRUSTED_PROXY_COUNT=1 sets (project/settings.py); checked in test_the_setting_feeds_axes.
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_behind_a_trusted_proxy_a_stranger_does_not_lock_out_the_staff_member(url, alice, one_trusted_proxy):
    stranger = through_proxy("81.2.69.160")
    fail(stranger, url=url, times=5)
    assert fail(stranger, url=url).status_code == 429  # the stranger is paused
    staff = through_proxy("81.2.69.142")
    response = staff.post(url, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"81.2.69.160"}


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_behind_a_trusted_proxy_a_forged_x_forwarded_for_is_ignored(url, alice, one_trusted_proxy):
    # The stranger writes the staff member's address in front: the proxy still appends the real one.
    stranger = through_proxy("81.2.69.160", forged="81.2.69.142")
    fail(stranger, url=url, times=5)
    assert through_proxy("81.2.69.142").post(url, {"username": "alice", "password": PASSWORD}).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"81.2.69.160"}


def test_with_no_trusted_proxy_a_forged_x_forwarded_for_changes_nothing(alice):
    # The default (TRUSTED_PROXY_COUNT=0): only REMOTE_ADDR counts.
    for n in range(5):
        Client(REMOTE_ADDR="10.0.0.66", HTTP_X_FORWARDED_FOR=f"81.2.69.{n}").post(
            "/staff/login/", {"username": "alice", "password": "wrong"})
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.66"}
    locked = Client(REMOTE_ADDR="10.0.0.66", HTTP_X_FORWARDED_FOR="81.2.69.99")
    assert locked.post("/staff/login/", {"username": "alice", "password": PASSWORD}).status_code == 429
    assert browser("10.0.0.1").post("/staff/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("count, proxy_count, order", [
    ("0", None, ["REMOTE_ADDR"]),
    ("1", 0, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]),
    ("2", 1, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]),
])
def test_the_setting_feeds_axes(count, proxy_count, order):
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'project.settings_test'; django.setup(); "
            "from django.conf import settings as s; "
            "print(repr((s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.IPWARE_STRICT)))")
    import os

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "TRUSTED_PROXY_COUNT": count}).stdout
    assert out.strip() == repr((proxy_count, order, False))


# --- no user agent stored or logged -------------------------------------------------------------

SECRET_AGENT = "Mozilla/5.0 (NoOneShouldKeepThis) Probe/1.0"


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_no_user_agent_is_stored_or_logged(url, alice, settings, caplog):
    from axes.models import AccessFailureLog

    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True  # off in production; checked here too
    client = Client(REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT=SECRET_AGENT, raise_request_exception=False)
    with caplog.at_level("DEBUG"):
        fail(client, url=url, times=6)
        client.post(url, {"username": "bob", "password": "wrong"})
    assert AccessAttempt.objects.count() == 2
    assert set(AccessAttempt.objects.values_list("user_agent", flat=True)) == {""}
    assert AccessFailureLog.objects.count() >= 6
    assert set(AccessFailureLog.objects.values_list("user_agent", flat=True)) == {""}
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "AXES" in logged  # axes did log the failures and the lock-out
    for secret in ("NoOneShouldKeepThis", "Mozilla", "10.0.0.7", "alice"):
        assert secret not in logged, secret


# --- a warning before the last try, and a way back -------------------------------------------------


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_the_login_warns_before_the_last_try(url, alice):
    client = browser("10.0.0.9")
    seen = [fail(client, url=url).content.decode() for _ in range(4)]
    assert "tries left" not in seen[0] and "try left" not in seen[1]
    assert "You have 2 tries left" in seen[2]
    assert "You have 1 try left. After that, this username is paused here for 1 hour." in seen[3]
    assert "This is not medical advice" in seen[3] or url.startswith("/admin/")


def test_the_warning_counts_from_the_limit():
    from project.login import tries_left_warning

    assert tries_left_warning(None, 5, 1) is None
    assert [tries_left_warning(n, 5, 1) is not None for n in range(6)] == [False, False, False, True, True, False]
    assert "paused here for 2 hours" in tries_left_warning(9, 10, 2)


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_the_lock_out_page_gives_the_time_left_and_a_way_back(url, alice):
    client = browser("10.0.0.7")
    fail(client, url=url, times=5)
    response = fail(client, url=url)
    html = response.content.decode()
    assert response.status_code == 429
    assert "You can try again in about 1 hour." in html  # the last failure was just now
    assert f'href="{url}"' in html and 'href="/"' in html
    assert_frame(html)


def test_the_time_left_counts_down_from_the_last_failure():
    import datetime

    from project.login import _duration, minutes_left

    start = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)
    hour = datetime.timedelta(hours=1)
    assert minutes_left(start, hour, start) == 60
    assert minutes_left(start, hour, start + datetime.timedelta(minutes=59, seconds=1)) == 1
    assert minutes_left(start, hour, start + datetime.timedelta(minutes=20, seconds=30)) == 40
    assert minutes_left(start, hour, start + 2 * hour) == 1  # never "0 minutes"
    assert [_duration(m) for m in (1, 40, 60, 61, 125)] == [
        "1 minute", "40 minutes", "1 hour", "1 hour 1 minute", "2 hours 5 minutes"]
