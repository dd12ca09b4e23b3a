"""The safety frame (disclaimer + emergency guidance) on every kind of HTML page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from .safety_frame import assert_frame


@pytest.fixture
def staff_client(db, site):
    from questionnaire.models import Membership

    user = get_user_model().objects.create_user("sam", password="a-long-test-password", is_staff=False)
    Membership.objects.create(user=user, site=site)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_(db):
    user = get_user_model().objects.create_superuser("root", password="a-long-test-password")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/about/", "/checkin/privacy/", "/checkin/crisis/", "/staff/login/", "/no-such-page/"],
)
def test_public_pages_carry_the_frame(client, path):
    assert_frame(client.get(path).content.decode())


def test_staff_pages_carry_the_frame(staff_client):
    # A one-site member's home is their dashboard (a redirect, followed here).
    for path in ("/staff/", "/staff/password/", "/staff/how-we-protect-small-numbers/",
                 "/staff/sites/riverside/poster/"):
        response = staff_client.get(path, follow=True)
        assert response.status_code == 200
        assert_frame(response.content.decode())


@pytest.mark.parametrize("path", ["/admin/", "/admin/questionnaire/site/", "/admin/questionnaire/site/add/", "/admin/auth/user/"])
def test_admin_pages_carry_the_frame(admin_client_, path):
    response = admin_client_.get(path)
    assert response.status_code == 200
    assert_frame(response.content.decode())


@pytest.mark.django_db
def test_admin_login_carries_the_frame(client):
    assert_frame(client.get("/admin/login/").content.decode())


@pytest.mark.django_db
def test_logged_out_page_carries_the_frame(staff_client):
    assert_frame(staff_client.post("/staff/logout/").content.decode())


@pytest.mark.django_db
def test_csrf_failure_page_carries_the_frame():
    started = Client()
    started.post("/")  # a check-in in progress, so the page can say its answers are still here
    client = Client(enforce_csrf_checks=True)
    client.cookies = started.cookies
    response = client.post("/checkin/pain/", {"pain_frequency": "never"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "open too long" in html
    assert_frame(html)


@pytest.mark.django_db
def test_400_and_403_pages_carry_the_frame(rf):
    from django.urls import get_resolver

    # A bare request (no session yet), as when a request is rejected early.
    for status in (400, 403):
        handler = get_resolver().resolve_error_handler(status)
        response = handler(rf.get("/"), Exception("x"))
        assert response.status_code == status
        assert_frame(response.content.decode())


def test_500_page_renders_with_no_context_and_no_database():
    """The 500 handler must work when the database is the thing that broke.

    This test has no database access (pytest-django blocks it), so any query fails it.
    """
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html
    assert_frame(html)


def test_500_page_is_served_for_an_unhandled_error(client, settings):
    from django.urls import path as url_path

    def boom(request):
        raise RuntimeError("boom")

    import project.urls

    settings.ROOT_URLCONF = type("U", (), {"urlpatterns": [url_path("boom/", boom), *project.urls.urlpatterns]})
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert_frame(response.content.decode())


@pytest.mark.django_db
def test_quick_exit_is_on_individual_pages_but_not_staff_pages(client, staff_client):
    assert "Leave this site" in client.get("/").content.decode()
    assert "Leave this site" not in staff_client.get("/staff/", follow=True).content.decode()


@pytest.mark.django_db
def test_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style_and_nothing_third_party(client):
    html = client.get("/").content.decode()
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    # Nothing loaded from elsewhere; the only addresses elsewhere are links a person
    # may follow: 988's chat and its page for deaf and hard of hearing people.
    links_out = re.findall(r'<a [^>]*href="(https://[^"]+)"', html)
    assert set(links_out) <= {"https://988lifeline.org/chat", "https://988lifeline.org/help-yourself/for-deaf-hard-of-hearing/"}
    rest = re.sub(r'<a [^>]*href="https://[^"]+"', "", html).replace("https://neutral.example/", "")
    assert "http://" not in rest and "https://" not in rest
