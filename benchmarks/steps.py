"""Benchmark (not a test): the cost of a check-in page against a bare Django template view.

For the landing page and every step GET, this prints requests per second through
Django's full middleware stack (sessions, CSRF, CSP, whitenoise, ...) in one
process with ``django.test.Client``, next to a *bare* view in the same run: a
view that renders, through Django's template engine, a template that extends our
``base.html`` (so the same frame, static and url tags) and whose content block is
the very HTML that page produced inside <main> (same size; no form, no session
read, no query). Rounds are
interleaved (ours, bare, ours, bare, ...) so a busy machine slows both alike; read
the ratio, not the absolute figures.

It also prints the bytes a first visit costs on the wire (gzip -6 of the HTML
plus every stylesheet and script the page links), which is what the production
stack sends (whitenoise serves static files pre-compressed).

Run: .venv/bin/python benchmarks/steps.py [--rounds 5] [--requests 200]
"""

import argparse
import gzip
import os
import re
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from questionnaire.instruments import STEPS  # noqa: E402

BARE_TEMPLATES = {}


def bare(request, name):
    return HttpResponse(BARE_TEMPLATES[name].render({}, request))


bench_urls = types.ModuleType("bench_urls")
bench_urls.urlpatterns = [path("bare/<str:name>/", bare)] + __import__(
    settings.ROOT_URLCONF, fromlist=["urlpatterns"]).urlpatterns
sys.modules["bench_urls"] = bench_urls


def rate(client, url, n):
    start = time.perf_counter()
    for _ in range(n):
        response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return n / elapsed


def wire_bytes(html: str) -> tuple[int, int]:
    """Return (gzip bytes of the HTML, gzip bytes of HTML + linked CSS and JS)."""
    total = html_gz = len(gzip.compress(html.encode(), 6))
    for ref in re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        total += len(gzip.compress(Path(finders.find(ref)).read_bytes(), 6))
    return html_gz, total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        with override_settings(ROOT_URLCONF="bench_urls"):
            client = Client()
            client.post("/")
            pages = [("landing", "/")] + [(s.slug, f"/checkin/{s.slug}/") for s in STEPS]
            engine = engines["django"]
            for name, url in pages:
                html = client.get(url).content.decode()
                main = re.search(r"<main[^>]*>(.*)</main>", html, re.S).group(1)
                BARE_TEMPLATES[name] = engine.from_string(
                    '{% extends "base.html" %}{% block content %}'
                    + main.replace("{", "&#123;") + "{% endblock content %}")
            for name, url in pages:  # warm up
                rate(client, url, 20)
                rate(client, f"/bare/{name}/", 20)
            print(f"{'page':<12} {'ours req/s':>11} {'bare req/s':>11} {'ratio':>6} "
                  f"{'HTML gz':>8} {'first visit gz':>15}")
            for name, url in pages:
                ours, plain = [], []
                for _ in range(args.rounds):
                    ours.append(rate(client, url, args.requests))
                    plain.append(rate(client, f"/bare/{name}/", args.requests))
                o, b = statistics.median(ours), statistics.median(plain)
                html_gz, total = wire_bytes(client.get(url).content.decode())
                print(f"{name:<12} {o:>11.0f} {b:>11.0f} {o / b:>6.2f} {html_gz:>8,} {total:>15,}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
