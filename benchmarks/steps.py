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
on a PostgreSQL database of the run's own, driven by ``wrk`` (Debian's) with the
session cookie of a started check-in, the bare views served by the same
gunicorn (``benchmarks/bare/``), rounds interleaved.

The bare pages are written to a temporary folder of the run's own and served by
``benchmarks.bare.views.named`` in both modes.

Both modes also measure the pages every person sees last: review, results
and the results' print view, in English and Spanish (``-es``), for a check-in
whose results page is long (``LONG_RESULTS``); each against a bare view of its
own <main>, like the steps.

Run: scripts/bench steps [--rounds 5] [--requests 200] [--only results,results-es]
     scripts/bench steps --server [--rounds 3] [--seconds 10]
"""

import gzip
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.client import Browser, expect, token_of
from harness.server import Gunicorn

from .common import ROOT, scratch_database


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
    from django.contrib.staticfiles import finders

    total = html_gz = len(gzip.compress(html.encode(), 6))
    for name, ext in re.findall(r'(?:href|src)="/static/([^"]+?)(?:\.[0-9a-f]{12})?\.(css|js)"', html):
        total += len(gzip.compress(Path(finders.find(f"{name}.{ext}")).read_bytes(), 6))
    return html_gz, total


def bare_template(html: str) -> str:
    """Return a template that extends base.html around the page's <main> HTML."""
    main = re.search(r"<main[^>]*>(.*)</main>", html, re.S).group(1)
    return ('{% extends "base.html" %}{% block content %}'
            + main.replace("{", "&#123;") + "{% endblock content %}")


def pages() -> list[tuple[str, str]]:
    from questionnaire.instruments import STEPS

    return [("landing", "/")] + [(s.slug, f"/checkin/{s.slug}/") for s in STEPS]


# A person whose results page is long: pain every day for months, a prescribed
# opioid, lonely, poor sleep and high stress, and coping options in every state.
LONG_RESULTS = {
    "privacy": {"privacy": "share"},
    "pain": {"pain_frequency": "every_day", "pain_duration": "3_months_plus", "pain_impact": "most_days",
             "pain_areas": ["back_neck", "head"]},
    "past-week": {"peg_pain": "7", "peg_enjoyment": "6", "peg_activity": "8"},
    "connection": {"ucla_companionship": "often", "ucla_left_out": "some_of_the_time", "ucla_isolated": "often",
                   "lonely": "often_always", "rejected": "sometimes", "pain_avoidance": "a_lot", "support": "rarely"},
    "medicines": {"medicines": ["rx_opioid"], "opioid_duration": "3_months_plus"},
    "coping": {"coping_sleep_hygiene": "using_now", "coping_acupuncture": "not_for_me",
               "coping_exercise": "tried_before", "coping_cbt": "learn_more"},
    "wellbeing": {"sleep": "poorly", "stress": "very", "safety": "no"},
}


def person_pages(client_class) -> list[tuple[str, str, object]]:
    """Return (name, url, client) for the review, results and print pages of a
    check-in with LONG_RESULTS, in English and in Spanish (a client each, as a
    person has one cookie)."""
    found = []
    for prefix, suffix in (("", ""), ("/es", "-es")):
        before, after = client_class(), client_class()
        for client in (before, after):
            client.post(f"{prefix}/")
            for slug, data in LONG_RESULTS.items():
                response = client.post(f"{prefix}/checkin/{slug}/", data)
                assert response.status_code == 302, (slug, response.status_code)
        after.post(f"{prefix}/checkin/submit/")
        found += [(f"review{suffix}", f"{prefix}/checkin/review/", before),
                  (f"results{suffix}", f"{prefix}/checkin/results/", after),
                  (f"print{suffix}", f"{prefix}/checkin/results/print/", after)]
    return found


HEADER = (f"{'page':<12} {'ours':>6} {'bare':>6} {'ratio':>6} {'bare+s':>7} {'ratio':>6} "
          f"{'HTML gz':>8} {'first visit gz':>15}")


def line(name, ours, plain, with_session, sizes) -> str:
    o, b, bs = (statistics.median(v) for v in (ours, plain, with_session))
    html_gz, total = sizes
    return f"{name:<12} {o:>6.0f} {b:>6.0f} {o / b:>6.2f} {bs:>7.0f} {o / bs:>6.2f} {html_gz:>8,} {total:>15,}"


def served(args) -> int:
    """Measure under gunicorn + wrk, production settings, PostgreSQL."""
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: install Debian's wrk (apt-get install wrk).")
    work = Path(tempfile.mkdtemp(prefix="bench-steps-"))
    with scratch_database(postgresql=True) as url:
        env = {
            **os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "benchmarks.bare.settings", "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50), "CHECKIN_ENV_FILE": "", "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false", "ALLOWED_HOSTS": "127.0.0.1",
            "BARE_TEMPLATES_DIR": str(work), "PYTHONPATH": str(ROOT),
        }
        for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
        server = Gunicorn(env=env, app="benchmarks.bare.wsgi:application", settings="",
                          options=["--workers", "2"], name="bench-steps")
        try:
            server.start()
            os.environ.update(env)
            import django

            django.setup()
            person = Browser(server)
            expect(person.post("/", {"csrfmiddlewaretoken": token_of(person.get("/"))}), 302, "start")
            measured = [(name, path, person) for name, path in pages()]
            if args.person_pages:
                measured += served_person_pages(server)
            if args.only:
                measured = [page for page in measured if page[0] in args.only.split(",")]
            sizes = {}
            for name, path, someone in measured:
                html = expect(someone.get(path), 200, name).html
                assert "btn quick-exit" in html, name  # the frame, in either language
                (work / f"{name}.html").write_text(bare_template(html))
                sizes[name] = wire_bytes(html)
            base = f"http://127.0.0.1:{server.port}"

            def wrk(path, someone=person):
                out = subprocess.run(
                    ["wrk", "-t2", "-c10", f"-d{args.seconds}s", "-H", f"Cookie: {someone.cookie_header()}",
                     "-H", "Accept-Encoding: gzip", base + path],
                    capture_output=True, text=True, check=True).stdout
                assert "Non-2xx" not in out, out
                return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

            print(f"gunicorn 2 sync workers, wrk -t2 -c10 {args.seconds} s x {args.rounds} rounds, "
                  f"PostgreSQL, DEBUG off; median req/s; bare+s = the bare view plus the session read")
            print(HEADER)
            results = {name: ([], [], []) for name, _, _ in measured}
            for _ in range(args.rounds):
                for name, path, someone in measured:
                    # The page still shows (a results cookie lasts minutes of inactivity
                    # and wrk keeps the one it was given): this look renews it.
                    expect(someone.get(path), 200, name)
                    results[name][0].append(wrk(path, someone))
                    results[name][1].append(wrk(f"/bare/{name}/", someone))
                    results[name][2].append(wrk(f"/bare-session/{name}/", someone))
            for name, _, _ in measured:
                print(line(name, *results[name], sizes[name]))
        finally:
            server.remove()
            shutil.rmtree(work, ignore_errors=True)
    return 0


def served_person_pages(server) -> list[tuple[str, str, object]]:
    """``person_pages`` for a served run: browsers of their own that walk LONG_RESULTS."""
    found = []
    for prefix, suffix in (("", ""), ("/es", "-es")):
        before, after = Browser(server), Browser(server)
        for someone in (before, after):
            expect(someone.post(f"{prefix}/", {"csrfmiddlewaretoken": token_of(someone.get(f"{prefix}/"))}),
                   302, "start")
            for slug, data in LONG_RESULTS.items():
                expect(someone.post(f"{prefix}/checkin/{slug}/", data), 302, slug)
        expect(after.post(f"{prefix}/checkin/submit/"), 302, "submit")
        found += [(f"review{suffix}", f"{prefix}/checkin/review/", before),
                  (f"results{suffix}", f"{prefix}/checkin/results/", after),
                  (f"print{suffix}", f"{prefix}/checkin/results/print/", after)]
    return found


def in_process(args) -> int:
    """Measure in this process with Django's test client (Django set up by the caller)."""
    from django.test import Client
    from django.test.runner import DiscoverRunner
    from django.test.utils import override_settings

    work = Path(tempfile.mkdtemp(prefix="bench-steps-"))
    os.environ["BARE_TEMPLATES_DIR"] = str(work)
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        with override_settings(ROOT_URLCONF="benchmarks.bare.urls"):
            client = Client()
            client.post("/")
            measured = [(name, url, client) for name, url in pages()]
            if args.person_pages:
                measured += person_pages(Client)
            if args.only:
                measured = [page for page in measured if page[0] in args.only.split(",")]
            for name, url, person in measured:
                (work / f"{name}.html").write_text(bare_template(person.get(url).content.decode()))
            for name, url, person in measured:  # warm up
                rate(person, url, 20)
                rate(person, f"/bare/{name}/", 20)
            print(f"in process, django.test.Client, {args.rounds} x {args.requests} requests a round, "
                  "median requests per CPU second; bare+s = the bare view plus the session read")
            print(HEADER)
            for name, url, person in measured:
                ours, plain, with_session = [], [], []
                for _ in range(args.rounds):
                    ours.append(rate(person, url, args.requests))
                    plain.append(rate(person, f"/bare/{name}/", args.requests))
                    with_session.append(rate(person, f"/bare-session/{name}/", args.requests))
                print(line(name, ours, plain, with_session, wire_bytes(person.get(url).content.decode())))
    finally:
        runner.teardown_databases(old)
        shutil.rmtree(work, ignore_errors=True)
    return 0
