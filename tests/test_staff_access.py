"""Who may open which staff URL: a table over every URL in stats/urls.py and four
kinds of visitor. A URL added without a row here fails the first test."""

import pytest
from django.test import Client
from django.urls import reverse

from stats import urls as staff_urls

from .staff_data import world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

VISITORS = ("anonymous", "member", "outsider", "superuser")
LOGIN = "login"
# URL name -> expected status for (anonymous, member of the site, member of another site, superuser).
# "home" sends a one-site member straight to their dashboard.
EXPECTED = {
    "home": (LOGIN, 302, 302, 200),
    "protection": (LOGIN, 200, 200, 200),
    "dashboard": (LOGIN, 200, 404, 200),
    "print": (LOGIN, 200, 404, 200),
    "export": (LOGIN, 200, 404, 200),
    "export_long": (LOGIN, 200, 404, 200),
    "chart": (LOGIN, 200, 404, 200),
    "poster": (LOGIN, 200, 404, 200),
    "settings": (LOGIN, 200, 200, 200),
    "dashboard_none": (LOGIN, 404, 404, 200),
    "print_none": (LOGIN, 404, 404, 200),
    "export_none": (LOGIN, 404, 404, 200),
    "export_long_none": (LOGIN, 404, 404, 200),
    "chart_none": (LOGIN, 404, 404, 200),
}
# The query a URL needs to show something (a chart names which one).
NEEDS = {"chart": "?chart=series:checkins", "chart_none": "?chart=series:checkins"}
# Every parameter a URL takes, right and wrong: none of them lets an outsider in.
QUERIES = ("", "?period=2026-Q3", "?period=2026-07", "?period=2026-10", "?period=nonsense", "?period=2031-Q1")


@pytest.fixture
def clients(world, db):
    out = {"anonymous": Client()}
    for name, user in (("member", world.member), ("outsider", world.outsider), ("superuser", world.root)):
        out[name] = Client()
        out[name].force_login(user)
    return out


def url_of(name, site):
    pattern = next(p for p in staff_urls.urlpatterns if p.name == name)
    args = [site.slug] if "<slug:slug>" in str(pattern.pattern) else []
    return reverse(f"stats:{name}", args=args) + NEEDS.get(name, "")


def test_every_staff_url_has_a_row_in_the_table():
    assert {p.name for p in staff_urls.urlpatterns} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access_table(world, clients, name):
    site = world.site
    url = url_of(name, site)
    for visitor, expected in zip(VISITORS, EXPECTED[name]):
        response = clients[visitor].get(url)
        if expected == LOGIN:
            assert response.status_code == 302 and response["Location"].startswith("/staff/login/"), (visitor, url)
        else:
            assert response.status_code == expected, (visitor, url, response.status_code)


@pytest.mark.parametrize("name", sorted(n for n, row in EXPECTED.items() if row[2] == 404))
def test_an_outsider_gets_404_by_every_parameter(world, clients, name):
    site = world.site
    for query in QUERIES:
        url = url_of(name, site)
        url += query.replace("?", "&") if "?" in url else query
        assert clients["outsider"].get(url).status_code == 404, query
    # A slug that does not exist looks exactly like one the outsider may not see.
    if "<slug" in str(next(p for p in staff_urls.urlpatterns if p.name == name).pattern):
        ghost = reverse(f"stats:{name}", args=["no-such-site"])
        assert clients["outsider"].get(ghost).status_code == 404


ACCEPTS_POST = {"settings"}  # a staff member's own form (CSRF-protected): no numbers in it


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - ACCEPTS_POST))
def test_staff_urls_refuse_post(world, clients, name):
    site = world.site
    assert clients["superuser"].post(url_of(name, site)).status_code == 405


def test_a_member_is_sent_from_home_to_their_dashboard(world, clients):
    site = world.site
    response = clients["member"].get(reverse("stats:home"))
    assert response["Location"] == reverse("stats:dashboard", args=[site.slug])


def test_a_superuser_sees_every_site_and_no_community_on_home(clients):
    html = clients["superuser"].get(reverse("stats:home")).content.decode()
    assert "Riverside Recovery" in html and "Hillside Recovery" in html and "No community" in html


def test_an_inactive_user_sees_nothing(world, clients):
    type(world.member).objects.filter(pk=world.member.pk).update(is_active=False)
    response = clients["member"].get(url_of("dashboard", world.site))
    assert response.status_code in (302, 404)
