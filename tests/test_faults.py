"""Database faults: a kind 503 with the safety frame, typed answers back, nothing lost.

The first part simulates an unreachable database inside the test process (every
new cursor fails the way a refused connection does), on SQLite and PostgreSQL.
The second part (marked ``postgresql``) stops and restarts a real PostgreSQL
cluster of its own under a live server (the cluster and the server are in
tests/live_postgresql.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from questionnaire import flow
from questionnaire.models import CheckIn

from .conftest import FULL_ANSWERS, answer_all, start_checkin
from .safety_frame import assert_frame, frame_missing

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                    "Permissions-Policy", "Cross-Origin-Opener-Policy")


def missing_security_headers(response) -> list[str]:
    """Return the security headers a response lacks (none, if all is well)."""
    missing = [name for name in SECURITY_HEADERS if not response.get(name)]
    if "frame-ancestors 'none'" not in response.get("Content-Security-Policy", ""):
        missing.append("CSP frame-ancestors")
    from django.conf import settings

    from questionnaire.middleware import permissions_policy

    if response.get("Permissions-Policy") != permissions_policy(settings.PERMISSIONS_POLICY):
        missing.append("Permissions-Policy as in settings")
    return missing


def problems_of(response) -> list[str]:
    """Return what is wrong with a response: a 5xx other than the outage's 503,
    or an HTML page without the safety frame or without the security headers."""
    problems = []
    if response.status_code >= 500 and response.status_code != 503:
        problems.append(f"status {response.status_code}")
    problems += [f"no {name}" for name in missing_security_headers(response)]
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        html = response.content.decode("utf-8", "replace")
        problems += [f"no frame piece {piece!r}" for piece in frame_missing(html)]
    return problems


@contextmanager
def database_down():
    """Every query fails as if PostgreSQL had gone away (the open test transaction survives)."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused (simulated)")

    with mock.patch.object(connection, "create_cursor", refuse):
        yield


def assert_kind_503(response):
    html = response.content.decode()
    assert response.status_code == 503, html[:500]
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert_frame(html)
    assert "Something went wrong" not in html
    assert not missing_security_headers(response), missing_security_headers(response)
    return html


class _Checked(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and "checked" in attrs:
            self.found.add((attrs.get("name"), attrs.get("value")))


def checked_inputs(html: str) -> set[tuple[str, str]]:
    """Return the (name, value) of every checked radio button or box on a page."""
    parser = _Checked()
    parser.feed(html)
    return parser.found


@pytest.fixture
def person():
    """A browser partway through a check-in: the first three steps saved."""
    client = Client(raise_request_exception=False)
    start_checkin(client)
    for slug in ("privacy", "pain", "past-week"):
        assert client.post(f"/checkin/{slug}/", FULL_ANSWERS[slug]).status_code == 302
    return client


@pytest.mark.parametrize("url", ["/", "/checkin/pain/", "/checkin/review/", "/checkin/results/",
                                 "/checkin/crisis/", "/staff/login/", "/staff/", "/admin/"])
def test_every_page_answers_a_kind_503_with_the_frame(person, url):
    with database_down():
        html = assert_kind_503(person.get(url))
    assert "try again in a minute" in html.lower()


def test_a_page_that_needs_no_database_still_works_for_a_new_visitor():
    # With a session cookie every page reads the session (the CSRF token lives
    # there), so it answers 503; a first visit to a page without a form does not.
    with database_down():
        response = Client(raise_request_exception=False).get("/about/")
    assert response.status_code == 200


def test_a_community_link_without_a_cookie_answers_503_too():
    with database_down():
        assert_kind_503(Client(raise_request_exception=False).get("/c/riverside/"))


def test_a_step_posted_during_an_outage_comes_back_as_typed_and_saves_with_one_press(person):
    typed = FULL_ANSWERS["connection"]
    with database_down():
        response = person.post("/checkin/connection/", typed)
    html = assert_kind_503(response)
    assert "not saved yet" in html
    assert checked_inputs(html) >= set(typed.items())
    # The database is back: one press of the same form saves it.
    assert person.post("/checkin/connection/", typed).status_code == 302
    steps = person.session[flow.SESSION_KEY]["steps"]
    assert steps["connection"]["support"] == "rarely"
    assert steps["pain"]["pain_frequency"] == "every_day"  # saved before: not lost
    assert steps["past-week"]["peg_pain"] == 7


def test_a_step_whose_session_save_fails_comes_back_as_typed(person):
    """The view ran, but saving the session at the end of the request failed."""
    from questionnaire.sessions import SessionStore

    def fail(self, must_create=False):
        raise OperationalError("server closed the connection unexpectedly (simulated)")

    with mock.patch.object(SessionStore, "save", fail):
        response = person.post("/checkin/connection/", FULL_ANSWERS["connection"])
    html = assert_kind_503(response)
    assert "not saved yet" in html and checked_inputs(html) >= set(FULL_ANSWERS["connection"].items())
    assert "connection" not in person.session[flow.SESSION_KEY]["steps"]


def test_a_submit_during_an_outage_saves_nothing_and_one_press_later_saves_once():
    client = Client(raise_request_exception=False)
    start_checkin(client)
    answer_all(client)
    with database_down():
        html = assert_kind_503(client.post("/checkin/submit/"))
    assert "not sent yet" in html and 'action="/checkin/submit/"' in html
    assert CheckIn.objects.count() == 0
    assert client.post("/checkin/submit/").status_code == 302
    assert CheckIn.objects.count() == 1
    assert client.get("/checkin/results/").status_code == 200


def test_quick_exit_still_leaves_during_an_outage(person):
    with database_down():
        response = person.get("/leave/")
    assert response.status_code == 302 and response["Location"] == "https://neutral.example/"
    assert response.cookies["sessionid"].value == ""


def test_healthz_says_503_while_the_database_is_down(client):
    assert client.get("/healthz").status_code == 200
    with database_down():
        response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503
    assert client.get("/healthz").content == b"ok\n"


def test_any_other_error_is_still_a_plain_500(client, monkeypatch):
    from questionnaire import views

    monkeypatch.setattr(views.rules, "about_context", lambda: 1 / 0)
    response = Client(raise_request_exception=False).get("/about/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


# --- a real PostgreSQL of our own stopped and restarted under gunicorn --------------------


def _assert_live_503(response):
    assert response.status == 503, (response.status, response.html[:300])
    assert_frame(response.html)
    assert response.headers.get("retry-after")
    missing = [name for name in SECURITY_HEADERS if not response.headers.get(name.lower())]
    assert not missing, missing  # gunicorn, a stopped PostgreSQL: still every security header


@pytest.mark.postgresql
def test_a_restart_mid_check_in_costs_no_request_and_no_answer(live_pg):
    from .live_postgresql import Browser, answer_steps, truncate_app_tables

    cluster, server = live_pg
    truncate_app_tables(cluster)
    # Every gunicorn thread holds a persistent connection that the restart kills.
    warm = [Browser(server) for _ in range(8)]
    for browser in warm:
        answer_steps(browser, {slug: FULL_ANSWERS[slug] for slug in ("privacy", "pain", "past-week")})
    cluster.restart()
    statuses = []
    for browser in warm:
        for slug in ("connection", "medicines", "coping", "wellbeing"):
            assert browser.get(f"/checkin/{slug}/").status == 200
            response = browser.post(f"/checkin/{slug}/", FULL_ANSWERS[slug])
            statuses.append(response.status)
        statuses.append(browser.post("/checkin/submit/").status)
        assert "7 out of 10" in browser.get("/checkin/results/").html  # PEG saved before the restart
    print(f"\nrestart: {len(statuses)} requests after a PostgreSQL restart -> {sorted(set(statuses))}")
    assert set(statuses) == {302}
    with cluster.connect() as conn:
        assert conn.execute("SELECT count(*) FROM questionnaire_checkin").fetchone()[0] == len(warm)


@pytest.mark.postgresql
def test_an_outage_gives_the_kind_503_and_the_typed_answers_and_loses_nothing(live_pg):
    from .live_postgresql import Browser, answer_steps, truncate_app_tables

    cluster, server = live_pg
    truncate_app_tables(cluster)
    person = Browser(server)
    answer_steps(person, {slug: FULL_ANSWERS[slug] for slug in ("privacy", "pain", "past-week")})
    assert person.get("/checkin/connection/").status == 200
    typed = {"ucla_companionship": "some_of_the_time", "ucla_left_out": "often", "ucla_isolated": "hardly_ever",
             "lonely": "occasionally", "rejected": "often", "pain_avoidance": "a_little", "support": "usually"}
    cluster.stop()
    try:
        seen = {}
        for path in ("/", "/checkin/pain/", "/checkin/review/", "/checkin/results/", "/checkin/crisis/",
                     "/c/riverside/"):
            response = person.get(path)
            _assert_live_503(response)
            seen[path] = response.status
        assert Browser(server).get("/c/riverside/").status == 503  # no cookie either
        assert person.get("/healthz").status == 503
        response = person.post("/checkin/connection/", typed)
        _assert_live_503(response)
        assert "not saved yet" in response.html
        assert checked_inputs(response.html) >= set(typed.items())
        other = Browser(server, cookies=dict(person.cookies))
        assert other.get("/leave/").location == "https://neutral.example/"  # quick exit still leaves
        assert "sessionid" not in other.cookies
    finally:
        cluster.start()
    print(f"\noutage: pages during a stopped PostgreSQL -> {seen}; the step POST -> 503 with every typed answer")
    # One press of the form on the 503 page, now that the database is back, saves it.
    again = person.post("/checkin/connection/", typed)
    assert again.status == 302, again.html[:300]
    for slug in ("medicines", "coping", "wellbeing"):
        assert person.post(f"/checkin/{slug}/", FULL_ANSWERS[slug]).status == 302
    assert person.post("/checkin/submit/").status == 302
    with cluster.connect() as conn:
        row = conn.execute(
            "SELECT pain_frequency, peg_pain, peg_enjoyment, peg_activity, support, ucla_left_out "
            "FROM questionnaire_checkin"
        ).fetchall()
    assert row == [("every_day", 7, 6, 8, "usually", "often")]  # before, during and after the outage


@pytest.mark.postgresql
def test_the_issue_probes_under_gunicorn_give_our_pages_with_every_header(live_pg):
    """The issue's curl probes, sent raw to gunicorn on PostgreSQL: a NUL in the
    session cookie on every page kind (once 47 KB of traceback each in the log),
    and an unknown Host."""
    from .live_postgresql import Browser

    cluster, server = live_pg

    def probe(path, headers):
        response = Browser(server).get(path, headers=headers)
        missing = [name for name in SECURITY_HEADERS if not response.headers.get(name)]
        assert not missing, (path, headers, missing)
        if response.headers.get("content-type", "").startswith("text/html"):
            assert not frame_missing(response.html), (path, headers, frame_missing(response.html))
        return response.status

    log_before = server.log.stat().st_size if server.log.exists() else 0
    nul = {path: probe(path, {"Cookie": 'sessionid="abcdefg\\000"'})
           for path in ("/", "/about/", "/healthz", "/staff/login/", "/checkin/pain/", "/admin/login/")}
    logged = server.log.read_text()[log_before:] if server.log.exists() else ""
    assert set(nul.values()) == {200}, nul
    assert "Traceback" not in logged and len(logged) < 1000, logged[:500]
    assert probe("/about/", {"Host": "evil.example"}) == 400  # Django logs it (django.security.DisallowedHost)
    print(f"\nissue probes under gunicorn: NUL cookie {nul}, {len(logged)} bytes logged; unknown Host 400")


@pytest.mark.postgresql
def test_gunicorn_logs_no_client_address(live_pg):
    import socket

    cluster, server = live_pg
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(b"NOT A REQUEST LINE\r\n\r\n")
        raw.recv(1000)
    from .live_postgresql import Browser

    Browser(server).get("/about/")
    log = server.log.read_text()
    assert "Invalid request from [address]" in log
    assert "127.0.0.1" not in log


def test_an_outage_just_after_a_submit_commits_still_shows_the_results():
    """The row is saved; the database goes away before the response: nothing else needs it."""
    from questionnaire import services

    client = Client(raise_request_exception=False)
    start_checkin(client)
    answer_all(client)
    real_submit = services.checkin_submit

    def submit_then_fail(**kwargs):
        checkin = real_submit(**kwargs)
        patcher.start()  # every later query of this request fails
        return checkin

    patcher = mock.patch.object(connection, "create_cursor", side_effect=OperationalError("gone (simulated)"))
    try:
        with mock.patch("questionnaire.views.checkin_submit", submit_then_fail):
            response = client.post("/checkin/submit/")
    finally:
        patcher.stop()
    assert response.status_code == 302 and response["Location"] == "/checkin/results/"
    assert CheckIn.objects.count() == 1


# --- every error page: the frame and the security headers, whoever made it ------------------


def _staff_without_permissions():
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.create_user("clerk", password="a-long-test-password-9", is_staff=True))
    return client


def _error(kind, settings, monkeypatch):
    """Return the response of one kind of error page."""
    anonymous = Client(raise_request_exception=False)
    if kind == "400 bad Host":
        return anonymous.get("/about/", HTTP_HOST="evil.example")
    if kind == "400 bad Host behind the HTTPS redirect":
        settings.SECURE_SSL_REDIRECT = True  # production: SecurityMiddleware reads the Host first
        return anonymous.get("/about/", HTTP_HOST="evil.example")
    if kind == "400 too many fields":
        return anonymous.post("/staff/login/", "&".join(["f=1"] * 1200), content_type="application/x-www-form-urlencoded")
    if kind == "403 admin without permission":
        return _staff_without_permissions().get("/admin/questionnaire/site/add/")
    if kind == "403 CSRF":
        return Client(enforce_csrf_checks=True, raise_request_exception=False).post("/staff/login/", {})
    if kind == "404":
        return anonymous.get("/no-such-page/")
    if kind == "404 staff":
        return _staff_without_permissions().get("/staff/sites/nowhere/")
    if kind == "500":
        from questionnaire import views

        monkeypatch.setattr(views.rules, "about_context", lambda: 1 / 0)
        return anonymous.get("/about/")
    if kind.startswith("503 "):
        client = Client(raise_request_exception=False)
        start_checkin(client)
        with database_down():
            return client.get(kind.split(" ", 1)[1])
    raise AssertionError(kind)


ERROR_KINDS = ["400 bad Host", "400 bad Host behind the HTTPS redirect", "400 too many fields",
               "403 admin without permission", "403 CSRF", "404", "404 staff", "500",
               "503 /", "503 /checkin/pain/", "503 /staff/login/", "503 /admin/", "503 /checkin/review/"]


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_every_error_page_carries_the_frame_and_the_security_headers(kind, settings, monkeypatch):
    response = _error(kind, settings, monkeypatch)
    assert str(response.status_code) == kind[:3], (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("text/html")
    expected = ["status 500"] if kind == "500" else []
    assert problems_of(response) == expected


def test_the_permissions_policy_follows_the_setting(settings):
    settings.PERMISSIONS_POLICY = {"camera": [], "geolocation": ["self"]}
    response = Client().get("/about/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Permissions-Policy"] == "camera=(), geolocation=(self)"


# --- a malformed cookie is no cookie ------------------------------------------------------------

# The first is the issue's curl probe: Python's cookie parser turns the quoted \000 into a NUL.
MALFORMED = ['"abcdefg\\000"', '"\\000"', "abc\x00def", '"a\\012b"', "x" * 5000, "a b", "é" * 10,
             '"unterminated', "\\377\\376", "gAAAAA" + "A" * 90 + "%00", "{}"]
URL_KINDS = ["/", "/about/", "/healthz", "/c/riverside/", "/checkin/pain/", "/checkin/review/", "/checkin/results/",
             "/staff/login/", "/staff/", "/admin/", "/admin/login/", "/no-such-page/"]


@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize("name", ["sessionid", "csrftoken", "messages"])
def test_a_malformed_cookie_is_treated_as_no_cookie(name, value, site):
    client = Client(raise_request_exception=False)
    for url in URL_KINDS:
        response = client.get(url, HTTP_COOKIE=f"{name}={value}")
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        assert not problems_of(response), (url, problems_of(response))
    response = client.post("/", HTTP_COOKIE=f"{name}={value}")  # a new check-in starts as for a new visitor
    assert response.status_code in (302, 403), response.status_code


def test_a_malformed_session_cookie_beside_a_good_one_keeps_the_good_one(person):
    good = person.cookies["sessionid"].value
    response = person.get("/checkin/review/", HTTP_COOKIE=f'other="x\\000"; sessionid={good}')
    assert response.status_code == 200 and "every day" in response.content.decode().lower()


def test_the_500_path_never_touches_the_session(person, monkeypatch):
    """Loading the session fails with a non-outage database error (PostgreSQL
    refusing a value): the person gets our 500 page with the frame, and the
    session is not loaded a second time on the way."""
    from django.db import DataError

    from questionnaire.sessions import SessionStore

    loads = []

    def refuse(self):
        loads.append(self.session_key)
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes (simulated)")

    monkeypatch.setattr(SessionStore, "load", refuse)
    response = person.get("/checkin/pain/")  # a page that reads the session (the about page no longer does)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert problems_of(response) == ["status 500"]  # the frame and every security header are there
    assert len(loads) == 1


def test_every_kind_of_cookie_we_set_is_plausible():
    """The sanitiser keeps what we set: session keys, sealed sessions, CSRF tokens, messages."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.test import RequestFactory

    from questionnaire.middleware import plausible_cookie
    from questionnaire.sessions import SessionStore, seal

    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "The site “Riverside” was added <b>successfully</b>. é 🙂")
    response = HttpResponse()
    storage.update(response)
    ours = {
        "sessionid": SessionStore()._get_new_session_key(),
        "sealed": seal({"answers": {"pain": "every_day"}, "note": "é 🙂" * 50}),
        "csrftoken": _mask_cipher_secret(_get_new_csrf_string()),
        "messages": response.cookies["messages"].value,
    }
    for name, value in ours.items():
        assert plausible_cookie(name, value), (name, value)
    for value in ("abcdefg\x00", "a\r\nb", '"x"', "a b", "x" * 4097, "é", ""):
        assert not plausible_cookie("sessionid", value), value
