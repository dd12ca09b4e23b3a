"""Crawl every URL the resolver knows, as anonymous, staff member and superuser.

Each URL pattern has a row in ROUTES (or, for the Django admin's per-model
pages, in ADMIN_MODEL_ROUTES, made for every registered model) with the path to
request and the status each role gets. A pattern without a row fails the test
with the exact row to add; a row whose pattern is gone fails too. Every response
carries the security headers; every HTML page carries the safety frame and
loads nothing from another origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from questionnaire.models import Membership, Site

from .safety_frame import frame_missing

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "staff", "superuser")
LOGIN = "/staff/login/"


@dataclass(frozen=True)
class Row:
    path: str  # what to request; {site}, {site_pk}, {user_pk} are filled in
    anonymous: int
    staff: int
    superuser: int


# One row per URL pattern (the resolver's route text). Keep it sorted by area.
ROUTES: dict[str, Row] = {
    # the individual side
    "": Row("/", 200, 200, 200),
    "c/<slug:slug>/": Row("/c/{site}/", 200, 200, 200),
    "checkin/<slug:slug>/": Row("/checkin/pain/", 200, 200, 200),  # a fresh browser: "answers cleared"
    "checkin/review/": Row("/checkin/review/", 200, 200, 200),
    "checkin/submit/": Row("/checkin/submit/", 405, 405, 405),  # POST only
    "checkin/clear/": Row("/checkin/clear/", 405, 405, 405),  # POST only
    "checkin/crisis/": Row("/checkin/crisis/", 200, 200, 200),
    "checkin/results/": Row("/checkin/results/", 200, 200, 200),
    "checkin/results/print/": Row("/checkin/results/print/", 200, 200, 200),
    "leave/": Row("/leave/", 302, 302, 302),
    "about/": Row("/about/", 200, 200, 200),
    "privacy/": Row("/privacy/", 200, 200, 200),
    "healthz": Row("/healthz", 200, 200, 200),
    # staff
    "staff/": Row("/staff/", 302, 302, 200),  # a member of one site goes straight to it
    "staff/login/": Row("/staff/login/", 200, 302, 302),
    "staff/logout/": Row("/staff/logout/", 405, 405, 405),  # POST only
    "staff/password/": Row("/staff/password/", 302, 200, 200),
    "staff/password/done/": Row("/staff/password/done/", 302, 200, 200),
    "staff/how-we-protect-small-numbers/": Row("/staff/how-we-protect-small-numbers/", 302, 200, 200),
    "staff/settings/": Row("/staff/settings/", 302, 200, 200),
    "staff/sites/<slug:slug>/": Row("/staff/sites/{site}/", 302, 200, 200),
    # print and CSV need a published period: there is none in the crawl's world
    "staff/sites/<slug:slug>/print/": Row("/staff/sites/{site}/print/", 302, 404, 404),
    "staff/sites/<slug:slug>/export.csv": Row("/staff/sites/{site}/export.csv", 302, 404, 404),
    "staff/sites/<slug:slug>/all-periods.csv": Row("/staff/sites/{site}/all-periods.csv", 302, 404, 404),
    "staff/sites/<slug:slug>/chart.svg": Row("/staff/sites/{site}/chart.svg?chart=series:checkins", 302, 404, 404),
    "staff/sites/<slug:slug>/poster/": Row("/staff/sites/{site}/poster/", 302, 200, 200),
    "staff/no-community/": Row("/staff/no-community/", 302, 404, 200),  # superusers only
    "staff/no-community/print/": Row("/staff/no-community/print/", 302, 404, 404),
    "staff/no-community/export.csv": Row("/staff/no-community/export.csv", 302, 404, 404),
    "staff/no-community/all-periods.csv": Row("/staff/no-community/all-periods.csv", 302, 404, 404),
    "staff/no-community/chart.svg": Row("/staff/no-community/chart.svg?chart=series:checkins", 302, 404, 404),
    # the Django admin (its per-model pages: ADMIN_MODEL_ROUTES)
    "admin/": Row("/admin/", 302, 302, 200),
    "admin/login/": Row("/admin/login/", 200, 200, 302),
    "admin/logout/": Row("/admin/logout/", 302, 302, 405),  # POST only, once logged in
    "admin/password_change/": Row("/admin/password_change/", 302, 302, 200),
    "admin/password_change/done/": Row("/admin/password_change/done/", 302, 302, 200),
    "admin/autocomplete/": Row("/admin/autocomplete/", 302, 302, 403),
    "admin/jsi18n/": Row("/admin/jsi18n/", 302, 302, 200),
    "admin/r/<path:content_type_id>/<path:object_id>/": Row("/admin/r/{site_ct}/{site_pk}/", 302, 302, 302),
    "admin/<app_label>/": Row("/admin/auth/", 302, 302, 200),  # one pattern naming every app in the admin
    "admin/(?P<url>.*)$": Row("/admin/no-such-page/", 302, 302, 404),
    "admin/auth/user/<id>/password/": Row("/admin/auth/user/{user_pk}/password/", 302, 302, 200),
}

# Every model registered in the admin gets these; {model} is "app_label/model_name".
ADMIN_MODEL_ROUTES: dict[str, Row] = {
    "admin/{model}/": Row("/admin/{model}/", 302, 302, 200),
    "admin/{model}/add/": Row("/admin/{model}/add/", 302, 302, 200),
    "admin/{model}/<path:object_id>/history/": Row("/admin/{model}/{pk}/history/", 302, 302, 200),
    "admin/{model}/<path:object_id>/delete/": Row("/admin/{model}/{pk}/delete/", 302, 302, 200),
    "admin/{model}/<path:object_id>/change/": Row("/admin/{model}/{pk}/change/", 302, 302, 200),
    "admin/{model}/<path:object_id>/": Row("/admin/{model}/{pk}/", 302, 302, 302),  # redirects to its change page
}
# Where a model's admin differs from the above (e.g. no "add" for logs).
ADMIN_EXCEPTIONS: dict[tuple[str, str], Row] = {
    ("stats/auditevent", "admin/{model}/add/"): Row("/admin/{model}/add/", 302, 302, 403),  # read-only log
    ("stats/auditevent", "admin/{model}/<path:object_id>/delete/"): Row("/admin/{model}/{pk}/delete/", 302, 302, 403),
    ("axes/accessattempt", "admin/{model}/add/"): Row("/admin/{model}/add/", 302, 302, 403),
    ("axes/accesslog", "admin/{model}/add/"): Row("/admin/{model}/add/", 302, 302, 403),
    ("axes/accessfailurelog", "admin/{model}/add/"): Row("/admin/{model}/add/", 302, 302, 403),
}

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=()",
}


def resolver_routes(patterns=None, prefix=""):
    """Yield the full route text of every URL pattern the project knows.

    The admin's app index is one regex that lists every app with admin models;
    it is named ``admin/<app_label>/`` here, so a new app does not change it.
    """
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from resolver_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            yield "admin/<app_label>/" if route.startswith("admin/^(?P<app_label>") else route


def admin_models():
    return {f"{m._meta.app_label}/{m._meta.model_name}": m for m in admin.site._registry}


def expected_rows(objects) -> dict[str, Row]:
    rows = dict(ROUTES)
    for label, model in admin_models().items():
        instance = model._default_manager.order_by("pk").first()
        pk = instance.pk if instance is not None else 999999
        for route, row in ADMIN_MODEL_ROUTES.items():
            row = ADMIN_EXCEPTIONS.get((label, route), row)
            object_missing = instance is None and "{pk}" in row.path and row.superuser == 200
            rows[route.format(model=label)] = Row(
                row.path.format(model=label, pk=pk), row.anonymous, row.staff,
                302 if object_missing else row.superuser,  # the admin says "does not exist"
            )
    return {route: Row(row.path.format(**objects), row.anonymous, row.staff, row.superuser)
            for route, row in rows.items()}


class _Loads(HTMLParser):
    """Collect what a page loads (not what it links to) and inline styles or scripts."""

    ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
             "embed": "src", "object": "data", "link": "href"}

    def __init__(self):
        super().__init__()
        self.loads, self.inline = [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.inline.append(f"style= on <{tag}>")
        if tag == "script" and not attrs.get("src"):
            self._in_script = True
        if tag == "link" and "stylesheet" not in (attrs.get("rel") or "") and "icon" not in (attrs.get("rel") or ""):
            return
        source = attrs.get(self.ATTRS.get(tag, ""), None)
        if source:
            self.loads.append(source)

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append("inline <script>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


@pytest.fixture
def world():
    site = Site.objects.create(slug="riverside", name="Riverside Recovery")
    User = get_user_model()
    member = User.objects.create_user("member", password="a-long-test-password")
    Membership.objects.create(user=member, site=site)
    root = User.objects.create_superuser("root", password="a-long-test-password")
    from django.contrib.contenttypes.models import ContentType

    objects = {"site": site.slug, "site_pk": site.pk, "user_pk": root.pk,
               "site_ct": ContentType.objects.get_for_model(Site).pk}
    users = {"anonymous": None, "staff": member, "superuser": root}

    def client_for(role: str) -> Client:
        """A fresh browser per request, so that /leave/ or a logout cannot change the next one."""
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return objects, client_for


def test_every_url_pattern_has_a_row():
    known = set(resolver_routes())
    rows = set(expected_rows({"site": "x", "site_pk": 1, "user_pk": 1, "site_ct": 1}))
    missing = sorted(known - rows)
    assert not missing, "URL patterns without a row; add to ROUTES in tests/test_crawl.py:\n" + "\n".join(
        f'    "{route}": Row("/{route}", anonymous=..., staff=..., superuser=...),' for route in missing
    )
    gone = sorted(rows - known)
    assert not gone, f"rows in tests/test_crawl.py for URL patterns the resolver no longer knows: {gone}"


def test_crawl_every_url_as_every_role(world):
    objects, client_for = world
    rows = expected_rows(objects)
    problems, crawled = [], 0
    for route, row in sorted(rows.items()):
        for role in ROLES:
            response = client_for(role).get(row.path)
            crawled += 1
            want = getattr(row, role)
            where = f"{row.path} as {role}"
            if response.status_code != want:
                problems.append(f"{where}: status {response.status_code}, row says {want} "
                                f"(route {route!r})")
            for header, value in SECURITY_HEADERS.items():
                if value not in response.get(header, ""):
                    problems.append(f"{where}: header {header} lacks {value!r}")
            body = response.content.decode("utf-8", "replace")
            if response.get("Content-Type", "").startswith("text/html") and body.strip():
                missing = frame_missing(body)
                if missing:
                    problems.append(f"{where}: safety frame lacks {missing}")
                parser = _Loads()
                parser.feed(body)
                foreign = [src for src in parser.loads if src.startswith(("http:", "https:", "//"))]
                if foreign:
                    problems.append(f"{where}: loads from another origin: {foreign}")
                if parser.inline:
                    problems.append(f"{where}: inline code the CSP would block: {sorted(set(parser.inline))}")
    print(f"\ncrawl: {len(rows)} URL patterns x {len(ROLES)} roles = {crawled} requests")
    assert crawled == len(rows) * len(ROLES)
    assert not problems, "\n".join(problems)
