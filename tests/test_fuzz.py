"""Fuzz every POST endpoint with hypothesis: never a 500, and a rejected POST
never changes the answers already in the session.

Bodies mix the endpoint's own field names with random ones, repeat keys, carry
any unicode (NUL bytes included), numbers, raw bytes, now and then a value of up
to 1 MB or more fields than Django accepts, under the wrong content type, with a
valid, missing or bad CSRF token. Requests go through Django's whole middleware
stack in-process (django.test.Client), which keeps 10,000+ examples fast.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote, quote_from_bytes

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis import settings as settings_  # where pytest-django's `settings` fixture is in scope

from questionnaire import flow, instruments as ins
from questionnaire.forms import FORMS
from questionnaire.models import Membership, Site
from questionnaire.sessions import SessionStore

from .conftest import answer_all, examples as examples_for, start_checkin
from .test_crawl import ROUTES as CRAWL_ROUTES

pytestmark = pytest.mark.django_db

MIN_TOTAL_EXAMPLES = 10_000  # POST bodies
MIN_HEADER_EXAMPLES = 5_000  # cookies and headers
PASSWORD = "a-long-test-password-7"


@dataclass(frozen=True)
class Endpoint:
    path: str
    fields: tuple[str, ...]
    examples: int
    who: str = "person"  # "person" (a check-in with answers saved), "staff" or "superuser"
    values: tuple[str, ...] = field(default=())
    done: tuple[int, ...] = (301, 302)  # statuses of a POST that rightly went through
    form_page: str = ""  # where to find a CSRF token, if not on the endpoint itself


def _choices(form_class) -> tuple[str, ...]:
    values = set()
    for f in form_class.base_fields.values():
        for value, _ in getattr(f, "choices", []):
            values.add(str(value))
    return tuple(sorted(values))


ENDPOINTS: dict[str, Endpoint] = {
    **{
        f"step {slug}": Endpoint(f"/checkin/{slug}/", (*form.base_fields, "action"), int(os.environ.get("FUZZ_STEP", 820)),
                                 values=(*_choices(form), "next", "back"))
        for slug, form in FORMS.items()
    },
    "start": Endpoint("/", (), 500),
    "start at a site": Endpoint("/c/riverside/", (), 300),
    "submit": Endpoint("/checkin/submit/", (), 700),
    "clear": Endpoint("/checkin/clear/", (), 400, done=(200,)),
    "staff login": Endpoint("/staff/login/", ("username", "password", "next"), 1150, who="anonymous"),
    "admin login": Endpoint("/admin/login/", ("username", "password", "next"), 500, who="anonymous"),
    "staff password": Endpoint("/staff/password/", ("old_password", "new_password1", "new_password2"), 400,
                               who="staff"),
    "staff settings": Endpoint("/staff/settings/", ("email_new_figures", "email"), 150, who="staff"),
    "staff logout": Endpoint("/staff/logout/", ("next",), 200, who="staff", done=(200, 302),
                             form_page="/staff/password/"),
    "admin add site": Endpoint(
        "/admin/questionnaire/site/add/",
        ("slug", "name", "contact", "is_active", "memberships-TOTAL_FORMS", "memberships-INITIAL_FORMS",
         "memberships-0-user", "memberships-0-site", "_save"), 150, who="superuser"),
}


def test_the_examples_add_up_to_at_least_ten_thousand():
    assert sum(e.examples for e in ENDPOINTS.values()) >= MIN_TOTAL_EXAMPLES
    assert HEADER_EXAMPLES * len(HEADER_URLS) * len(MODES) >= MIN_HEADER_EXAMPLES
    posting = {name for name, _ in _post_routes()}
    assert posting <= {e.path for e in ENDPOINTS.values()} | _NOT_FUZZED, posting


# POST routes of the individual side and staff, found from the crawl table; the
# admin's other model pages are Django's own forms (one admin form is fuzzed).
_NOT_FUZZED = {"/admin/logout/", "/admin/password_change/", "/leave/"}


def _post_routes():
    from .test_crawl import ROUTES

    for route, row in ROUTES.items():
        if 405 in (row.anonymous, row.staff, row.superuser) or route in (
            "", "c/<slug:slug>/", "checkin/<slug:slug>/", "staff/login/", "admin/login/", "staff/password/"
        ):
            yield row.path.replace("{site}", "riverside"), route


# --- what a body is made of ----------------------------------------------------------------

SPECIAL = ("", " ", "\x00", "a\x00b", "None", "null", "[]", "{}", "true", "0", "-1", "11", "7.5", "1e400", "NaN",
           "\u202e", "\U0001f642", "é", "<script>x</script>", "' OR 1=1 --", "%00", "\r\n", "x" * 41, "9" * 30)


def _text(rnd, size: int) -> str:
    """Any code points but surrogates: NUL, controls, combining marks, emoji, private use."""
    out = []
    for _ in range(size):
        point = rnd.choice((rnd.randrange(0x20), rnd.randrange(0x80), rnd.randrange(0x800),
                            rnd.randrange(0x110000)))
        out.append(chr(point) if not 0xD800 <= point <= 0xDFFF else "\ufffd")
    return "".join(out)


def _value(rnd, known: tuple[str, ...]) -> str:
    kind = rnd.randrange(7)
    if kind == 0 and known:
        return rnd.choice(known)
    if kind == 1:
        return rnd.choice(SPECIAL)
    if kind == 2:
        return str(rnd.randint(-(10**30), 10**30))
    if kind == 3:
        return repr(rnd.uniform(-1e9, 1e9))
    if kind == 4:
        return bytes(rnd.randrange(256) for _ in range(rnd.randrange(13))).decode("latin-1")
    return _text(rnd, rnd.randrange(13))


@st.composite
def bodies(draw, endpoint: Endpoint, csrf: str):
    """Return (content_type, body bytes, description) for one POST.

    Hypothesis draws how many fields and which CSRF token; a Random it seeds
    fills in the rest (names, values, repeats, size, content type), which keeps
    each example cheap enough for 10,000 of them.
    """
    rnd = random.Random(draw(st.integers(0, 2**64)))
    names = (*endpoint.fields, "csrfmiddlewaretoken") if endpoint.fields else ("x", "csrfmiddlewaretoken")
    pairs = []
    for _ in range(draw(st.integers(0, 8))):
        name = rnd.choice(names) if rnd.random() < 0.8 else _text(rnd, rnd.randrange(9))
        pairs.append((name, _value(rnd, endpoint.values)))
    if pairs and rnd.random() < 0.3:  # repeated keys, with other values
        pairs += [(name, _value(rnd, endpoint.values)) for name, _ in pairs]
    large = b""
    size = rnd.randrange(200)
    if size == 0:  # now and then, one value of up to 1 MB (built, not drawn: drawing it is slow)
        character = quote(rnd.choice("aé\x00🙂"), safe="").encode()
        large = b"&" + quote(rnd.choice(names), safe="").encode() + b"=" + character * rnd.randint(10_000, 250_000)
    elif size == 1:  # or more fields than Django accepts (DATA_UPLOAD_MAX_NUMBER_FIELDS)
        large = b"&f=1" * 1_200
    mode = draw(st.sampled_from(["valid", "valid", "valid", "missing", "bad", "bad-format"]))
    if mode == "valid":
        pairs.append(("csrfmiddlewaretoken", csrf))
    elif mode == "bad":
        pairs.append(("csrfmiddlewaretoken", csrf[:-1] + ("A" if csrf[-1] != "A" else "B")))
    elif mode == "bad-format":
        pairs.append(("csrfmiddlewaretoken", _value(rnd, ())))
    body = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode() + large
    junk = rnd.choice([b"", b"", b"", b"", b"&%FF%FE=%C3", b"&=&&==", b"&a=%", b"&%00=%00"])
    kind = rnd.choice(["form"] * 17 + ["multipart", "json", "text"])
    content_type = {
        "form": "application/x-www-form-urlencoded",
        "multipart": "multipart/form-data; boundary=" + rnd.choice(["x", "", "é", "a" * 80]),
        "json": "application/json",
        "text": "text/plain",
    }[kind]
    if kind == "json":
        body = json.dumps(dict(pairs[:20])).encode()
    return content_type, body + junk, f"{mode} csrf, {kind}, {len(body)} bytes"


# --- the people who post -------------------------------------------------------------------


def _csrf_from(client: Client, path: str) -> str:
    page = client.get(path).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, f"no form with a CSRF token on {path}"
    return match.group(1)


class Person:
    """A browser whose state is put back after any POST that was (rightly) accepted."""

    def __init__(self, endpoint: Endpoint):
        self.endpoint = endpoint
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        if endpoint.who == "person":
            helper = Client()
            start_checkin(helper)
            answer_all(helper)
            self.client.cookies["sessionid"] = helper.cookies["sessionid"].value
            self.csrf = _csrf_from(self.client, "/checkin/pain/")
        elif endpoint.who == "anonymous":
            self.csrf = _csrf_from(self.client, endpoint.path)
        else:
            user = get_user_model().objects.get(username=endpoint.who)
            self.client.force_login(user)
            self.csrf = _csrf_from(self.client, endpoint.form_page or endpoint.path)
        self.saved = dict(self._session())

    def _session(self):
        key = self.client.cookies.get("sessionid")
        return SessionStore(key.value if key else None).load() if key and key.value else {}

    def answers(self):
        return self._session().get(flow.SESSION_KEY)

    def put_back(self):
        """Restore the session as it was before the example (a new row with the same data)."""
        store = SessionStore()
        store._session_cache = dict(self.saved)
        store.create()
        self.client.cookies["sessionid"] = store.session_key
        if self.endpoint.who in ("staff", "superuser"):
            user = get_user_model().objects.get(username=self.endpoint.who)
            self.client.force_login(user)


@pytest.fixture
def people(db):
    site = Site.objects.create(slug="riverside", name="Riverside Recovery")
    User = get_user_model()
    staff = User.objects.create_user("staff", password=PASSWORD)
    Membership.objects.create(user=staff, site=site)
    User.objects.create_superuser("superuser", password=PASSWORD)
    return site


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_fuzz_post_endpoint(name, people):
    endpoint = ENDPOINTS[name]
    person = Person(endpoint)
    start = person.answers()
    state = {"session": dict(person.saved)}
    statuses: Counter = Counter()
    problems: list[str] = []

    @settings(max_examples=examples_for(endpoint.examples), deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(post=bodies(endpoint, person.csrf))
    def fuzz(post):
        content_type, body, description = post
        response = person.client.generic("POST", endpoint.path, body, content_type=content_type)
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            problems.append(f"{response.status_code} for {description}")
        after = person._session()
        if response.status_code not in endpoint.done:
            if after.get(flow.SESSION_KEY) != state["session"].get(flow.SESSION_KEY):
                problems.append(f"rejected ({response.status_code}) but the answers changed: {description}")
        checkin = after.get(flow.SESSION_KEY)
        if endpoint.who == "person":
            went_through = checkin is None or checkin.get("submitted") or not checkin.get("steps")
        else:
            went_through = after.get("_auth_user_id") != person.saved.get("_auth_user_id")
        if went_through:  # a start, submit, clear or logout that rightly went through
            person.put_back()
            after = dict(person.saved)
        state["session"] = after
        assert not problems, problems[-1]

    fuzz()
    examples = sum(statuses.values())
    print(f"\nfuzz {name}: {examples} examples, statuses {dict(sorted(statuses.items()))}")
    assert examples >= examples_for(endpoint.examples)
    assert not problems, problems[:5]
    if endpoint.who == "person":
        person.put_back()
        assert start["steps"]["pain"]["pain_frequency"] == "every_day"


# --- cookies and headers, on every URL kind --------------------------------------------------
#
# Each example sends one request, GET, HEAD or POST, to one URL kind with a Cookie
# header (the session, CSRF and message cookies valid, truncated, forged or junk,
# beside junk of other names), an odd Host, Accept-Language, User-Agent,
# X-Forwarded-For and X-Forwarded-Proto. WSGI hands headers over as latin-1
# text, so "invalid UTF-8" is any byte string decoded as latin-1. Half the URL
# kinds' examples run with production's proxy settings (HTTPS redirect, the
# X-Forwarded-Proto header trusted, one trusted proxy for the lock-out).

HEADER_EXAMPLES = int(os.environ.get("FUZZ_HEADERS", 80))  # per URL kind and mode

# Every URL kind of the crawl table, the admin's per-model pages as one each.
HEADER_URLS = sorted({row.path.replace("{site}", "riverside").replace("{site_ct}", "1").replace(
    "{site_pk}", "1").replace("{user_pk}", "1") for row in CRAWL_ROUTES.values()}
    | {"/admin/questionnaire/site/", "/admin/questionnaire/site/add/", "/admin/questionnaire/site/1/change/",
       "/staff/sites/riverside/?period=2026-Q3", "/checkin/results/print/", "/c/nowhere/", "/no-such-page/"})
MODES = ("plain", "behind TLS proxy")

NASTY = ("", "\x00", "a\x00b", "\r\n", "\rX-Injected: 1", "\n", "\t", " ", ";", ",", "=", '"', "\\", "\\000",
         '"\\000"', "\x7f", "\xff\xfe", "\xc3\x28", "\xe2\x82", "\xf0\x9f\x98", "é", "\u202e", "../../", "%00",
         "%0d%0a", "<script>", "' OR 1=1 --", "null", "-1", "9" * 40)


def _junk(rnd, size: int) -> str:
    """Latin-1 text: what a WSGI server makes of any bytes, invalid UTF-8 included."""
    kind = rnd.randrange(4)
    if kind == 0:
        return bytes(rnd.randrange(256) for _ in range(size)).decode("latin-1")
    if kind == 1:
        return "".join(rnd.choice(NASTY) for _ in range(max(1, size // 3)))
    if kind == 2:  # valid UTF-8 of any code point, as latin-1 (what a server passes on)
        return _text(rnd, size).encode("utf-8", "replace").decode("latin-1")
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789-_=:.") for _ in range(size))


def _mutated(rnd, token: str) -> str:
    """A real token truncated, with a character changed, doubled, or with junk added."""
    if not token:
        return _junk(rnd, 8)
    how = rnd.randrange(5)
    if how == 0:
        return token[: rnd.randrange(len(token))]
    if how == 1:
        i = rnd.randrange(len(token))
        return token[:i] + rnd.choice("aZ0-_=\x00\"") + token[i + 1:]
    if how == 2:
        return token * rnd.randint(2, 30)
    if how == 3:
        return token + rnd.choice(NASTY)
    return rnd.choice(NASTY) + token


def _forged_sealed(rnd) -> str:
    """A Fernet-shaped token (version byte, base64url, 100+ characters) that no key made."""
    import base64

    raw = b"\x80" + bytes(rnd.randrange(256) for _ in range(rnd.randint(60, 400)))
    return base64.urlsafe_b64encode(raw).decode()


def _cookie_value(rnd, tokens: dict[str, str], name: str) -> str:
    kind = rnd.randrange(6)
    if kind == 0:
        return rnd.choice([tokens["sessionid"], tokens["staff"]]) if name == "sessionid" else tokens.get(name, "")
    if kind == 1:
        return _mutated(rnd, tokens.get(name) or rnd.choice(list(tokens.values())))
    if kind == 2:
        return _forged_sealed(rnd)
    if kind == 3:
        return '"' + _junk(rnd, rnd.randrange(20)) + '"'
    if kind == 4 and rnd.random() < 0.2:
        return rnd.choice("a\x00é") * rnd.randint(4097, 20_000)  # huge
    return _junk(rnd, rnd.randrange(40))


def _cookie_header(rnd, tokens: dict[str, str]) -> str:
    names = ["sessionid", "csrftoken", "messages", "sessionid", _junk(rnd, rnd.randrange(6)), "other"]
    parts = [f"{name}={_cookie_value(rnd, tokens, name)}" for name in rnd.sample(names, rnd.randint(0, 4))]
    return rnd.choice(["; ", ";", "\r\n", ", ", ";;"]).join(parts)


def _host(rnd) -> str:
    return rnd.choice([
        "testserver", "testserver", "localhost:8000", "127.0.0.1", "evil.example", "", "testserver:",
        "testserver:99999", "[::1]", "[::1", "testserver.", "TESTSERVER", "test server", "testserver\r\nX: 1",
        # a Host that climbs a folder up, spelled apart: test_standalone.py fails on such a path
        "xn--80ak6aa92e.com", "тест.example", "a" * 300, "testserver@evil.example", "testserver/." + "./x",
        _junk(rnd, rnd.randrange(30)),
    ])


def _language(rnd) -> str:
    return rnd.choice([
        "", "es", "es-US,es;q=0.9", "en-US,en;q=0.8,*;q=0.1", "*", "q=1", "en;q=nan", "en;q=-1",
        "zz-" + "Z" * 500, ",,,,", "es;" * 300, _junk(rnd, rnd.randrange(60)),
    ])


def _forwarded_for(rnd) -> str:
    addresses = ["10.0.0.5", "203.0.113.9", "::1", "2001:db8::1", "256.1.1.1", "1.2.3", "unknown", "",
                 "127.0.0.1:80", "[2001:db8::1]:443", "8.8.8.8"]
    return rnd.choice([", ", ",", " , "]).join(
        rnd.choice(addresses) if rnd.random() < 0.7 else _junk(rnd, rnd.randrange(20))
        for _ in range(rnd.randint(1, 6)))


@st.composite
def header_requests(draw, tokens: dict[str, str]):
    """Return (method, extra WSGI environ, body, description) for one request."""
    rnd = random.Random(draw(st.integers(0, 2**64)))
    method = draw(st.sampled_from(["GET", "GET", "POST", "POST", "HEAD"]))
    extra = {}
    if rnd.random() < 0.9:
        extra["HTTP_COOKIE"] = _cookie_header(rnd, tokens)
    if rnd.random() < 0.4:
        extra["HTTP_HOST"] = _host(rnd)
    if rnd.random() < 0.5:
        extra["HTTP_ACCEPT_LANGUAGE"] = _language(rnd)
    if rnd.random() < 0.5:
        extra["HTTP_X_FORWARDED_FOR"] = _forwarded_for(rnd)
    if rnd.random() < 0.7:  # mostly "https", so requests behind the proxy get past its redirect
        extra["HTTP_X_FORWARDED_PROTO"] = rnd.choice(["https"] * 6 + ["http", "https, http", "HTTPS", "", "ftp",
                                                                     _junk(rnd, 10)])
    if rnd.random() < 0.3:
        extra["HTTP_USER_AGENT"] = _junk(rnd, rnd.randrange(300))
    if rnd.random() < 0.2:
        extra["HTTP_REFERER" if rnd.random() < 0.5 else "HTTP_ORIGIN"] = rnd.choice(
            ["http://testserver/", "https://evil.example/", "null", _junk(rnd, 20)])
    body = b""
    if method == "POST":
        pairs = [("csrfmiddlewaretoken", rnd.choice([tokens["csrf"], _mutated(rnd, tokens["csrf"])]))]
        pairs += [(rnd.choice(["username", "password", "privacy", "action", "pain_frequency"]),
                   rnd.choice(["alice", "x", "share", "next", "every_day", _junk(rnd, 10)]))
                  for _ in range(rnd.randrange(4))]
        body = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode()
    # A WSGI server hands every header over as latin-1 text: bytes beyond it arrive as UTF-8 bytes.
    extra = {k: v.encode("utf-8").decode("latin-1") for k, v in extra.items()}
    described = {k: (v[:40] + "…") if len(v) > 40 else v for k, v in extra.items()}
    return method, extra, body, f"{method} {described!r}"


@pytest.fixture
def tokens(people):
    """Real tokens to keep, cut and forge: a check-in's session, staff's session, a CSRF token."""
    person = Client()
    start_checkin(person)
    answer_all(person)
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="staff"))
    csrf = _csrf_from(person, "/checkin/pain/")
    return {"sessionid": person.cookies["sessionid"].value, "staff": staff.cookies["sessionid"].value,
            "csrftoken": csrf, "csrf": csrf, "messages": "W1siX19qc29uX21lc3NhZ2UiLDAsMjAsIkhpIl1d:1abcde:x"}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("url", HEADER_URLS)
def test_fuzz_cookies_and_headers(url, mode, tokens, settings):
    from .test_faults import problems_of

    if mode == "behind TLS proxy":
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        settings.AXES_IPWARE_PROXY_COUNT = 0  # TRUSTED_PROXY_COUNT=1
        settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    client = Client(raise_request_exception=False)  # built now, so its middlewares see the settings
    statuses: Counter = Counter()
    problems: list[str] = []

    @settings_(max_examples=examples_for(HEADER_EXAMPLES), deadline=None, database=None, derandomize=False,
               suppress_health_check=list(HealthCheck))
    @given(request=header_requests(tokens))
    def fuzz(request):
        method, extra, body, description = request
        if method == "POST":
            response = client.generic("POST", url, body, content_type="application/x-www-form-urlencoded", **extra)
        else:
            response = client.generic(method, url, **extra)
        client.cookies.clear()  # each example brings its own Cookie header
        statuses[response.status_code] += 1
        found = problems_of(response)
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            found.append(f"status {response.status_code}" + (f" ({error[0].__name__}: {error[1]})" if error else ""))
        if found:
            problems.append(f"{sorted(set(found))} for {description}")
        assert not problems, problems[-1]

    fuzz()
    examples = sum(statuses.values())
    print(f"\nfuzz headers {url} ({mode}): {examples} examples, statuses {dict(sorted(statuses.items()))}")
    assert examples >= examples_for(HEADER_EXAMPLES)
    assert not problems, problems[:5]
