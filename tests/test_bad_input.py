"""Junk in any POST field gives a form error or a 400/403 page, never a 500, and
never loses the answers saved before."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings, strategies as st

from questionnaire import flow
from questionnaire.forms import FORMS

from .conftest import FULL_ANSWERS, examples, start_checkin
from .safety_frame import assert_frame

pytestmark = pytest.mark.django_db

FIELD_NAMES = sorted({name for form in FORMS.values() for name in form().fields} | {"action", "privacy"})
junk_scalar = st.one_of(
    st.text(max_size=50),
    st.sampled_from("xé<>&\"'0").map(lambda c: c * 100_000),  # 100 KB strings
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["", " ", "11", "-1", "10.5", "NaN", "yes", "prefer_not", "none", "\x00", "☃" * 40]),
)
junk_value = st.one_of(junk_scalar, st.lists(junk_scalar, min_size=2, max_size=4))
junk_post = st.dictionaries(st.sampled_from(FIELD_NAMES + ["zzz", "csrfmiddlewaretoken"]), junk_value, max_size=8)

ENDPOINTS = [f"/checkin/{slug}/" for slug in FORMS] + [
    "/checkin/submit/", "/checkin/clear/", "/", "/c/riverside/", "/staff/login/", "/checkin/pain/?from=review",
]


def fresh_client_with_saved_answers(site):
    client = Client()
    start_checkin(client)
    client.post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    client.post("/checkin/pain/", FULL_ANSWERS["pain"])
    return client


@pytest.fixture
def saved_session(site):
    """The session of a person who started and answered two steps, made once per test
    through HTTP; each example starts from a new session holding the same."""
    from questionnaire.sessions import SessionStore

    made = fresh_client_with_saved_answers(site)
    saved = dict(SessionStore(made.cookies["sessionid"].value).load())
    assert saved[flow.SESSION_KEY]["steps"]["pain"]["pain_frequency"] == "every_day"

    def client():
        store = SessionStore()
        store._session_cache = dict(saved)
        store.create()
        fresh = Client()
        fresh.cookies["sessionid"] = store.session_key
        return fresh

    return client


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=junk_post)
def test_junk_never_breaks_a_page_or_loses_answers(saved_session, endpoint, data):
    client = saved_session()
    response = client.post(endpoint, data)
    assert response.status_code in (200, 302, 400, 403, 405), response.status_code
    assert response.status_code != 500
    if response.status_code in (200, 400, 403):
        html = response.content.decode()
        assert_frame(html)
        assert "x" * 1000 not in html  # an oversized value is never echoed back
    if endpoint in ("/checkin/clear/", "/", "/c/riverside/"):
        return  # these end or restart the check-in on purpose
    if flow.has_checkin(client.session):
        saved = client.session[flow.SESSION_KEY]
        assert saved["privacy"] in ("share", "private")
        if endpoint != "/checkin/pain/" and not endpoint.startswith("/checkin/pain/"):
            assert saved["steps"]["pain"]["pain_frequency"] == "every_day"


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        ("pain", {"pain_frequency": "sometimes-ish"}, "Please choose one of the answers shown."),
        ("past-week", {"peg_pain": "11"}, "Please choose one of the answers shown."),
        ("past-week", {"peg_pain": "-1"}, "Please choose one of the answers shown."),
        ("past-week", {"peg_pain": "7.5"}, "Please choose one of the answers shown."),
        ("pain", {"pain_areas": ["back_neck", "elbow"]}, "Please choose"),
        ("connection", {"support": "x" * 100_000}, "Please choose one of the answers shown."),
        ("medicines", {"medicines": ["prefer_not", "otc"]}, "Prefer not to say"),
    ],
)
def test_bad_values_get_a_plain_form_error(client, site, slug, data, message):
    client = fresh_client_with_saved_answers(site)
    response = client.post(f"/checkin/{slug}/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert client.session[flow.SESSION_KEY]["steps"]["pain"]["pain_frequency"] == "every_day"


def test_list_where_a_scalar_is_expected_uses_a_plain_answer(client, site):
    """Repeated keys: Django reads the last value; a valid one is accepted as the answer."""
    client = fresh_client_with_saved_answers(site)
    response = client.post("/checkin/connection/", {"support": ["always", "never"]})
    assert response.status_code == 302
    assert client.session[flow.SESSION_KEY]["steps"]["connection"]["support"] == "never"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_missing_csrf_token_is_a_403_page_with_the_frame(site, endpoint):
    client = Client(enforce_csrf_checks=True)
    start_checkin(Client())  # nothing shared with this client
    response = client.post(endpoint, {"pain_frequency": "never"})
    assert response.status_code == 403
    assert_frame(response.content.decode())


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method_is_405_not_500(client, method):
    assert getattr(client, method)("/checkin/pain/").status_code == 405


def test_get_on_post_only_endpoints_is_405(client):
    assert client.get("/checkin/submit/").status_code == 405
    assert client.get("/checkin/clear/").status_code == 405
