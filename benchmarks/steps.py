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

With ``--server`` it measures as production serves instead: gunicorn (2 sync
workers, production settings, DEBUG off, whitenoise with collected static files)
on PostgreSQL, driven by ``wrk`` (Debian's) with the session cookie of a started
check-in, the bare views served by the same gunicorn (benchmarks/bare_urls.py),
rounds interleaved.

Run: .venv/bin/python benchmarks/steps.py [--rounds 5] [--requests 200]
     .venv/bin/python benchmarks/steps.py --server [--rounds 3] [--seconds 10]
         (DATABASE_URL=postgres://.../some_db; that database is dropped and made again)
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


def bare_session(request, name):
    request.session.get("checkin")  # the one query a step cannot do without
    return bare(request, name)


bench_urls = types.ModuleType("bench_urls")
bench_urls.urlpatterns = [path("bare/<str:name>/", bare),
                          path("bare-session/<str:name>/", bare_session)] + __import__(
    settings.ROOT_URLCONF, fromlist=["urlpatterns"]).urlpatterns
sys.modules["bench_urls"] = bench_urls


def rate(client, url, n):
    """Return requests per CPU second of this process (the database is SQLite, in
    process, so its work counts too). CPU time, unlike wall time, hardly moves
    when other work shares the machine."""
    start = time.process_time()
    for _ in range(n):
        response = client.get(url)
    elapsed = time.process_time() - start
    assert response.status_code == 200, (url, response.status_code)
    return n / elapsed


def wire_bytes(html: str) -> tuple[int, int]:
    """Return (gzip bytes of the HTML, gzip bytes of HTML + linked CSS and JS)."""
    total = html_gz = len(gzip.compress(html.encode(), 6))
    for name, ext in re.findall(r'(?:href|src)="/static/([^"]+?)(?:\.[0-9a-f]{12})?\.(css|js)"', html):
        total += len(gzip.compress(Path(finders.find(f"{name}.{ext}")).read_bytes(), 6))
    return html_gz, total


def bare_template(html: str) -> str:
    """Return a template that extends base.html around the page's <main> HTML."""
    main = re.search(r"<main[^>]*>(.*)</main>", html, re.S).group(1)
    return ('{% extends "base.html" %}{% block content %}'
            + main.replace("{", "&#123;") + "{% endblock content %}")


def served(args):
    """Measure under gunicorn + wrk, production settings, PostgreSQL."""
    import http.cookiejar
    import shutil
    import subprocess
    import tempfile
    import urllib.parse
    import urllib.request

    import dj_database_url
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("--server runs on PostgreSQL: set DATABASE_URL to a postgres:// URL of a throw-away database.")
    config = dj_database_url.parse(url)
    with psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                         password=config["PASSWORD"], dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
    work = Path(tempfile.mkdtemp(prefix="bench-steps-"))
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.bare_settings", "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnop", "CHECKIN_ENV_FILE": "",
        "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
        "ALLOWED_HOSTS": "127.0.0.1", "BARE_TEMPLATES_DIR": str(work), "PYTHONPATH": str(ROOT),
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    (work / "gunicorn.conf.py").write_text("")
    port = "8791"
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "--config", str(work / "gunicorn.conf.py"),
         "--workers", "2", "--bind", f"127.0.0.1:{port}", "--no-control-socket", "project.wsgi:application"],
        cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(100):
            try:
                landing = opener.open(base + "/").read().decode()
                break
            except OSError:
                time.sleep(0.1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', landing).group(1)
        opener.open(urllib.request.Request(
            base + "/", data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
            headers={"Referer": base + "/"}))
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        pages = [("landing", "/")] + [(s.slug, f"/checkin/{s.slug}/") for s in STEPS]
        sizes = {}
        for name, path_ in pages:
            html = opener.open(base + path_).read().decode()
            assert "Leave this site" in html, name
            (work / f"{name}.html").write_text(bare_template(html))
            sizes[name] = wire_bytes(html)

        def wrk(path_):
            out = subprocess.run(
                ["wrk", "-t2", "-c10", f"-d{args.seconds}s", "-H", f"Cookie: {cookie}",
                 "-H", "Accept-Encoding: gzip", base + path_],
                capture_output=True, text=True, check=True).stdout
            assert "Non-2xx" not in out, out
            return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

        print(f"gunicorn 2 sync workers, wrk -t2 -c10 {args.seconds} s x {args.rounds} rounds, "
              f"PostgreSQL, DEBUG off; median req/s; bare+s = the bare view plus the session read")
        print(f"{'page':<12} {'ours':>6} {'bare':>6} {'ratio':>6} {'bare+s':>7} {'ratio':>6} "
              f"{'HTML gz':>8} {'first visit gz':>15}")
        results = {name: ([], [], []) for name, _ in pages}
        for _ in range(args.rounds):
            for name, path_ in pages:
                results[name][0].append(wrk(path_))
                results[name][1].append(wrk(f"/bare/{name}/"))
                results[name][2].append(wrk(f"/bare-session/{name}/"))
        for name, _ in pages:
            o, b, bs = (statistics.median(v) for v in results[name])
            html_gz, total = sizes[name]
            print(f"{name:<12} {o:>6.0f} {b:>6.0f} {o / b:>6.2f} {bs:>7.0f} {o / bs:>6.2f} "
                  f"{html_gz:>8,} {total:>15,}")
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--server", action="store_true", help="gunicorn + wrk on PostgreSQL")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if args.server:
        return served(args)

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
                BARE_TEMPLATES[name] = engine.from_string(bare_template(html))
            for name, url in pages:  # warm up
                rate(client, url, 20)
                rate(client, f"/bare/{name}/", 20)
            print(f"in process, django.test.Client, {args.rounds} x {args.requests} requests a round, "
                  "median requests per CPU second; bare+s = the bare view plus the session read")
            print(f"{'page':<12} {'ours':>6} {'bare':>6} {'ratio':>6} {'bare+s':>7} {'ratio':>6} "
                  f"{'HTML gz':>8} {'first visit gz':>15}")
            for name, url in pages:
                ours, plain, with_session = [], [], []
                for _ in range(args.rounds):
                    ours.append(rate(client, url, args.requests))
                    plain.append(rate(client, f"/bare/{name}/", args.requests))
                    with_session.append(rate(client, f"/bare-session/{name}/", args.requests))
                o, b, bs = (statistics.median(v) for v in (ours, plain, with_session))
                html_gz, total = wire_bytes(client.get(url).content.decode())
                print(f"{name:<12} {o:>6.0f} {b:>6.0f} {o / b:>6.2f} {bs:>7.0f} {o / bs:>6.2f} "
                      f"{html_gz:>8,} {total:>15,}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
