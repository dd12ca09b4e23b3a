"""The staff pages as a logged-in staff member sees them: their URLs, a staff account
(its password never printed), the login, the SQL queries per look and the
latency of looks through gunicorn."""

from __future__ import annotations

import secrets
from pathlib import Path

from harness.client import HOST, Browser, FlowError, expect, token_of

from .common import percentile
from .wrk import Target, wrk

def staff_urls(slug: str) -> dict:
    from django.urls import NoReverseMatch, reverse

    out = {}
    for name, label in (("stats:dashboard", "staff dashboard"), ("stats:export", "CSV export")):
        try:
            out[label] = reverse(name, args=[slug])
        except NoReverseMatch:
            pass
    return out


def make_staff(site):
    from django.contrib.auth import get_user_model
    from questionnaire.models import Membership

    password = secrets.token_urlsafe(16)
    user = get_user_model().objects.create_user(username="bench-staff", password=password, is_staff=True)
    Membership.objects.create(user=user, site=site)
    return user, password


def staff_login(port: int, password: str) -> Browser:
    b = Browser(port, https=True)
    page = expect(b.get("/staff/login/"), 200, "login page")
    r = b.post("/staff/login/", {"csrfmiddlewaretoken": token_of(page), "username": "bench-staff", "password": password})
    expect(r, 302, "staff login")
    return b


def queries_per_look(user, path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    client.get(path, secure=True)  # first look: nothing cached
    with CaptureQueriesContext(connection) as queries:
        r = client.get(path, secure=True)
    if r.status_code != 200:
        raise FlowError(f"{path}: HTTP {r.status_code} in-process")
    return len(queries.captured_queries)


def looks(b: Browser, path: str, n: int, workdir: Path) -> dict:
    # Warm every worker and thread: a few looks one after another may all land on
    # the same ones and leave others cold for the timed looks.
    for _ in range(6):
        expect(b.get(path), 200, path)
    wrk(Target("warm-up", b.port, path, cookies=[b.cookie_header()]), 1, 8, workdir)
    times = []
    size = 0
    for _ in range(n):
        r = expect(b.get(path), 200, path)
        times.append(r.seconds * 1000)
        size = r.wire
    return {"p50": percentile(times, 50), "p95": percentile(times, 95), "p99": percentile(times, 99), "wire": size}

