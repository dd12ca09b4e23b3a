"""Staff login: odd usernames are form errors, the lock-out is per username and address."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

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
    assert "Wait one hour" in html and "administrator" in html and "unlock" in html
    assert "This is not medical advice" in html and 'href="tel:988"' in html


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
