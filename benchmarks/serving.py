"""Benchmark (a script that prints, not a test): the app served as production serves it.

Run it with ``scripts/bench [serving] [--sizes 10k,100k,1m] [--clients 4,8,16]``.
Against a PostgreSQL database of its own (``bench_<pid>`` on the local server, or
on the server ``BENCH_DATABASE_URL`` names; made and dropped by the run), for
each size N it:

1. seeds N shared check-ins over 24 months and 50 sites with consistent rollups
   (``benchmarks/seed.py``) and prints the rate, then times ``manage.py publish``;
2. serves the app with gunicorn (``gunicorn.conf.py``) and production settings
   (DEBUG off, behind a TLS proxy: every request says ``X-Forwarded-Proto: https``)
   and times the staff dashboard and CSV export, with the SQL queries per look.

At the last size it also drives every page with ``wrk`` in interleaved rounds
against the same page of a bare Django view (``benchmarks/bare``, same settings,
same gunicorn), runs full check-ins with N concurrent Python clients, counts the
bytes on the wire, and checks that two gunicorn instances behave as one app.
The figures go to docs/benchmarks.md.
"""


from __future__ import annotations

import http.client
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from harness.client import Browser, FlowError, expect

from .checkins import STEPS, load_steps, prepare_sessions, two_instances
from .common import ROOT, human, numbers, say, scratch_database, served, sizes
from .load import ServerCPU, compare_configs, flows
from .pages import page_targets, wire_bytes
from .staff_looks import looks, make_staff, queries_per_look, staff_login, staff_urls
from .wrk import Target, interleaved

PYTHON = sys.executable


def add_arguments(parser) -> None:
    parser.add_argument("--sizes", type=sizes, default=sizes("10k,100k"), help="check-ins to seed (default 10k,100k)")
    parser.add_argument("--clients", type=numbers, default=[4, 8, 16], help="concurrent full check-ins (default 4,8,16)")
    parser.add_argument("--duration", type=float, default=2.0, help="seconds of wrk per page and round (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of ours/bare per page (default 3)")
    parser.add_argument("--connections", type=int, default=10, help="wrk connections (default 10)")
    parser.add_argument("--flow-seconds", type=float, default=10.0, help="seconds of full check-ins per client count")
    parser.add_argument("--looks", type=int, default=40, help="dashboard and export looks per size (default 40)")
    parser.add_argument("--pool", type=int, default=20_000, help="distinct synthetic answer sets (default 20000)")
    parser.add_argument("--publish-timeout", type=float, default=600, help="stop manage.py publish after this (s)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--worker-class", help="gunicorn worker class (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--port", type=int, default=8460, help="first of four ports to use (default 8460; seven with --compare)")
    parser.add_argument("--compare", action="store_true",
                        help="also compare gunicorn worker counts and classes, interleaved (full check-ins and landing)")
    parser.add_argument("--no-pages", action="store_true", help="seed, publish and time the staff pages only")
    parser.add_argument("--publish-one", action="store_true",
                        help="publish only the measured site (up to its first complete quarter) instead of running "
                             "manage.py publish over every site: with --no-pages, times the staff pages at 1M in minutes")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--output", default="docs/benchmarks.md",
                        help="where to write the figures (default docs/benchmarks.md; e.g. docs/benchmarks-1m.md "
                             "for a --no-pages run at 1M)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from django.db import connection
    import django
    import gunicorn

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].split(" Copyright")[0].strip()
    path = ROOT / "gunicorn.conf.py"
    conf: dict = {"__file__": str(path)}  # gunicorn runs the file as a module, so it may use __file__
    exec(path.read_text(), conf)  # the production server's own settings
    serving = f"{conf.get('worker_class', 'sync')}, {conf.get('workers', 1)} workers" + (
        f" x {conf['threads']} threads" if conf.get("worker_class") == "gthread" else "")
    return {"cores": os.cpu_count(), "cpu": cpu, "serving": serving, "python": platform.python_version(), "postgresql": pg,
            "django": django.get_version(), "gunicorn": gunicorn.__version__, "wrk": wrk_version,
            "system": f"{platform.system()} {platform.release()}", "load_before": os.getloadavg()}


def production_env(url: str) -> dict:
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # As behind a TLS-terminating proxy: it says X-Forwarded-Proto: https.
        "BEHIND_TLS_PROXY": "true",
        "SECURE_SSL_REDIRECT": "true",
        "SESSION_COOKIE_SECURE": "true",
        "CSRF_COOKIE_SECURE": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "LOG_LEVEL": "WARNING",
    }
    return env


def publish(env: dict, timeout: float) -> dict:
    start = time.perf_counter()
    try:
        done = subprocess.run([PYTHON, "manage.py", "publish"], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": time.perf_counter() - start, "ok": False, "line": f"stopped after {timeout:.0f} s"}
    seconds = time.perf_counter() - start
    lines = (done.stdout.strip() or done.stderr.strip() or "(no output)").splitlines()
    return {"seconds": seconds, "ok": done.returncode == 0, "line": lines[-1]}


def publish_site(site, today) -> dict:
    """Publish the measured site up to its first complete quarter, in-process (when
    ``manage.py publish`` ran out of time before it), so the dashboard has a quarter to show."""
    from django.conf import settings
    from stats import periods, publishing

    from benchmarks.seed import MONTHS, _months

    first = _months(today, MONTHS)[0]
    year, quarter = first.year, (first.month - 1) // 3 + 1 + (first.month % 3 != 1)
    year, quarter = (year + 1, 1) if quarter == 5 else (year, quarter)
    last = periods.parse(f"{year}-Q{quarter}")
    start = time.perf_counter()
    publishing.publish_until(site_key=site.pk, period=last, today=today, threshold=settings.SUPPRESSION_THRESHOLD)
    return {"seconds": time.perf_counter() - start, "until": last.label}


FAILURES = (FlowError, OSError, http.client.HTTPException, subprocess.CalledProcessError, StopIteration, ValueError,
            RuntimeError)  # RuntimeError: a gunicorn that did not start


def last_size(report, args, url, ours, second, bare, staff, paths, answer_sets, workdir) -> None:
    """Pages under wrk against the bare view, full check-ins, set-ups, bytes, two instances.

    A phase that fails is reported (on screen and in docs/benchmarks.md); the others still run.
    """
    def failed(phase, error):
        say(f"    {phase} FAILED: {error}")
        report.setdefault("failures", []).append(f"{phase}: {error}")

    say(f"\n==> Pages under wrk ({args.connections} connections, {args.duration:.0f} s a run, "
        f"{args.rounds} rounds, ours then bare)")
    ready = submitted = None
    try:
        bare.start()
        ready = prepare_sessions(ours.port, answer_sets, 8, submitted=False)
        submitted = prepare_sessions(ours.port, answer_sets[8:], 8, submitted=True)
        targets = page_targets(ours.port, ready, submitted, staff, paths, answer_sets)
        bare_target = Target("bare", bare.port, "/bare/")
        expect(Browser(bare.port, https=True).get("/bare/"), 200, "bare page")
        report["pages"] = interleaved(targets, bare_target, args, workdir)
        bare_page = Browser(bare.port, https=True).get("/bare/")
        report["bare_bytes"] = {"raw": len(bare_page.text.encode()), "wire": bare_page.wire}
    except FAILURES as error:
        failed("pages", error)

    say(f"\n==> Full check-ins (landing, {len(STEPS)} steps GET and POST, review, submit, results), "
        "each client count followed by the bare view")
    report["requests_per_checkin"] = 2 + 2 * len(STEPS) + 3
    try:
        report["flows"] = flows(ours.port, args.clients, args.flow_seconds, answer_sets,
                                bare=Target("bare", bare.port, "/bare/"), args=args, workdir=workdir,
                                cpu=ServerCPU(ours, url))
    except FAILURES as error:
        failed("full check-ins", error)
    finally:
        bare.stop()

    if args.compare:
        say("\n==> gunicorn configurations, interleaved (full check-ins, then landing under wrk)")
        try:
            report["configs"] = compare_configs(report["env"], args, workdir, answer_sets)
        except FAILURES as error:
            failed("gunicorn set-ups", error)

    say("\n==> Bytes on the wire (gzip accepted), first visit = page + its CSS and JS")
    try:
        if not ready or not submitted:
            raise FlowError("no prepared check-ins")
        report["bytes"] = wire_bytes(ours.port, ready[1], submitted[1], staff, paths)
        for b in report["bytes"]:
            say(f"    {b['page']:<22} HTML {b['html'] / 1024:5.1f} KB ({b['html_raw'] / 1024:5.1f} KB unzipped)"
                f" + CSS/JS {b['assets'] / 1024:5.1f} KB = {b['first'] / 1024:5.1f} KB")
    except FAILURES as error:
        failed("bytes on the wire", error)

    say("\n==> Two gunicorn instances, one PostgreSQL")
    try:
        second.start()
        ok, detail = two_instances(ours.port, second.port, answer_sets[0])
    except FAILURES as error:
        ok, detail = False, str(error)
    finally:
        second.stop()
    report["two_instances"] = {"ok": ok, "detail": detail}
    say(f"    {'OK' if ok else 'FAIL'}: {detail}")


def run(args) -> int:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: install Debian's wrk (apt-get install wrk).")
    with scratch_database(postgresql=True, keep=args.keep) as url:
        return _run(args, url)


def _run(args, url: str) -> int:
    env = {**os.environ, **production_env(url)}
    os.environ.update(production_env(url))
    say(f"==> Database {urllib.parse.urlparse(url).path.lstrip('/')} (made fresh for this run)")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from questionnaire import synthetic
    from benchmarks import seed as seeding

    load_steps()

    call_command("migrate", verbosity=0)
    static_root = Path(settings.STATIC_ROOT)
    call_command("collectstatic", interactive=False, verbosity=0)
    info = machine()
    say(f"    {info['cores']} cores, {info['cpu']}, Python {info['python']}, PostgreSQL {info['postgresql']}, "
        f"load average {info['load_before'][0]:.1f} before the run")
    say(f"    static files collected into {static_root}")
    today = timezone.localdate()
    rng = __import__("random").Random(7)
    answer_sets = [synthetic.answers(rng) for _ in range(400)]

    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    ours = served("ours", args.port, env, args)
    second = served("second", args.port + 1, env, args)
    bare = served("bare", args.port + 2, {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.bare.settings"}, args,
                  app="benchmarks.bare.wsgi:application", ready="/bare/")
    report = {"args": vars(args), "machine": info, "today": today.isoformat(), "sizes": [], "started": time.time(),
              "env": env}
    try:
        for index, n in enumerate(args.sizes):
            last = index == len(args.sizes) - 1
            say(f"\n==> {human(n)} check-ins: seeding (50 sites, 24 months up to {today})")
            ours.stop()
            connections.close_all()
            call_command("flush", interactive=False, verbosity=0)
            seeded = seeding.seed(n, today=today, pool=args.pool, say=say)
            full = n <= 20_000
            problems = seeding.check(seeded, full=full)
            rate = n / seeded.seconds
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in seeded.phases.items())
            say(f"    seeded {n:,} in {seeded.seconds:.1f} s = {rate:,.0f} check-ins/s ({phases})")
            say(f"    rollups {'recounted in full' if full else 'checked in SQL'}: "
                + ("consistent" if not problems else f"{len(problems)} DIFFERENCES: {problems[:3]}"))
            from stats.models import Publication

            site = seeded.sites[0]  # the largest, and the first one publish handles
            if args.publish_one:
                pub = {"seconds": 0.0, "ok": False, "line": "not run (--publish-one)", "skipped": True}
            else:
                say("    manage.py publish ...")
                pub = publish(env, args.publish_timeout)
                say(f"    manage.py publish: {pub['seconds']:.1f} s, {Publication.objects.count()} publications"
                    + ("" if pub["ok"] else f" — DID NOT FINISH ({pub['line']})"))
            if not pub["ok"] and not Publication.objects.filter(site_key=site.pk, period__contains="Q").exists():
                pub["site_only"] = publish_site(site, today)
                say(f"    published the measured site {site.slug} alone, up to {pub['site_only']['until']}: "
                    f"{pub['site_only']['seconds']:.1f} s")
            pubs = Publication.objects.count()
            # As a deployment would after a bulk load: fresh planner statistics and a
            # vacuumed heap, so the looks do not race autovacuum over the new rows.
            start = time.perf_counter()
            with connections["default"].cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            pub["vacuum_seconds"] = time.perf_counter() - start
            say(f"    VACUUM ANALYZE: {pub['vacuum_seconds']:.1f} s")
            user, password = make_staff(site)
            row = {"n": n, "seed_seconds": seeded.seconds, "rate": rate, "phases": seeded.phases, "pool": seeded.pool,
                   "consistent": not problems, "full_check": full, "publish": pub, "publications": pubs,
                   "site_checkins": seeded.per_site[site.pk], "staff": {}}
            ours.start()
            paths = staff_urls(site.slug)
            staff = None
            try:
                staff = staff_login(ours.port, password) if paths else None
            except FAILURES as error:
                say(f"    staff login FAILED: {error}")
                report.setdefault("failures", []).append(f"staff login at {human(n)}: {error}")
                paths = {}
            for label, path in paths.items():
                try:
                    figures = looks(staff, path, args.looks, workdir)
                    figures["queries"] = queries_per_look(user, path)
                except FlowError as error:
                    figures = {"error": str(error)}
                    say(f"    {label}: {error}")
                else:
                    say(f"    {label} of {site.slug} ({seeded.per_site[site.pk]:,} check-ins): p50 {figures['p50']:.1f} ms, "
                        f"p95 {figures['p95']:.1f} ms, p99 {figures['p99']:.1f} ms, {figures['queries']} SQL queries per look")
                row["staff"][label] = figures
            if not paths:
                say("    (no staff dashboard or CSV export URL in this version: nothing to time)")
            report["sizes"].append(row)
            if not last or args.no_pages:
                continue

            good = {label: path for label, path in paths.items() if "error" not in row["staff"].get(label, {})}
            last_size(report, args, url, ours, second, bare, staff, good, answer_sets, workdir)
    finally:
        for server in (ours, second, bare):
            server.remove()
        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)
    report["machine"]["load_after"] = os.getloadavg()
    report["seconds"] = time.time() - report["started"]
    from benchmarks import report as writer

    report.pop("env", None)  # holds the run's secret key: never written out
    text = writer.markdown(report)
    say("\n" + writer.summary(report))
    if not args.no_write:
        (ROOT / args.output).write_text(text)
        say(f"==> Wrote {args.output}")
    return 0
