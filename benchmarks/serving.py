"""Benchmark (a script that prints, not a test): the app served as production serves it.

Run it with ``scripts/bench [--sizes 10k,100k,1m] [--clients 4,8,16]``. Against a
PostgreSQL database of its own (``BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/bench_checkin; created and dropped here, its
name must start with "bench"), for each size N it:

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

import argparse
import datetime
import gzip
import http.client
import json
import multiprocessing
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
HOST = "127.0.0.1"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_checkin"


# --------------------------------------------------------------------------- arguments

def sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        factor = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        digits = part[:-1] if part[-1:] in "km" else part
        try:
            out.append(int(float(digits) * factor))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r} is not a size like 10k, 100k or 1m") from None
    if not out or min(out) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return out


def numbers(text: str) -> list[int]:
    try:
        out = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of numbers like 4,8,16") from None
    if not out or min(out) < 1:
        raise argparse.ArgumentTypeError("numbers must be positive")
    return out


def arguments(argv=None):
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
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
    parser.add_argument("--port", type=int, default=8460, help="first of four ports to use (default 8460)")
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
    return parser.parse_args(argv)


def human(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return f"{n:,}"


def say(text: str = "") -> None:
    print(text, flush=True)


def percentile(values, p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --------------------------------------------------------------------------- database

def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("BENCH_DATABASE_URL must be a postgres:// URL: the benchmark runs on PostgreSQL.")
    if not re.fullmatch(r"bench[a-z0-9_]*", name):
        sys.exit(f"Refusing to use database {name!r}: the benchmark's own database name must start with 'bench'.")
    return url


def _admin(url: str):
    import psycopg

    parsed = urllib.parse.urlparse(url)
    return psycopg.connect(host=parsed.hostname or HOST, port=parsed.port or 5432, user=parsed.username or "postgres",
                           password=parsed.password, dbname="postgres", autocommit=True, connect_timeout=10)


def create_database(url: str) -> None:
    name = urllib.parse.urlparse(url).path.lstrip("/")
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = urllib.parse.urlparse(url).path.lstrip("/")
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------- HTTP client

@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str
    wire: int  # bytes received: status line, headers and (compressed) body
    body_bytes: int
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


STEP_PATH = re.compile(r"^/checkin/(?!review/|submit/|results/)[a-z-]+/$")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """A tiny HTTP client with cookies, as a browser behind a TLS proxy would be seen.

    A new connection per request (gunicorn's sync workers close each one).
    """

    def __init__(self, port: int, timings: dict | None = None):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.timings = timings  # "GET /checkin/<step>/" -> [seconds, ...], when given

    def _headers(self, port: int) -> dict:
        headers = {"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip",
                   "User-Agent": "bench", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def request(self, method: str, path: str, fields=None, *, port: int | None = None) -> Response:
        port = port or self.port
        headers = self._headers(port)
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(fields or {}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}:{port}"
            headers["Referer"] = f"https://{HOST}:{port}{path}"
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        start = time.perf_counter()
        try:
            conn.request(method, path, body, headers)
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - start
        if self.timings is not None:
            self.timings.setdefault(f"{method} {STEP_PATH.sub('/checkin/<step>/', path)}", []).append(seconds)
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        head = len(f"HTTP/1.1 {resp.status} {resp.reason}\r\n") + len(str(resp.headers))
        data = gzip.decompress(raw) if resp.getheader("Content-Encoding") == "gzip" else raw
        return Response(resp.status, resp.headers, data.decode("utf-8", "replace"), head + len(raw), len(raw), seconds)

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, fields, **kw) -> Response:
        return self.request("POST", path, fields, **kw)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


class FlowError(Exception):
    pass


def token_of(resp: Response) -> str:
    found = CSRF.search(resp.text)
    if not found:
        raise FlowError(f"no CSRF token on a {resp.status} page")
    return found.group(1)


def expect(resp: Response, status: int, what: str) -> Response:
    if resp.status != status:
        raise FlowError(f"{what}: HTTP {resp.status}, expected {status} {resp.location}")
    return resp


# The form data of each step, made in the parent from synthetic answers.
STEPS: list[tuple[str, list[tuple[str, str]]]] = []  # (slug, [(field name, kind)])


def step_fields(slug: str, answers: dict) -> dict:
    data: dict = {}
    for name, kind in dict(STEPS)[slug]:
        if name == "privacy":
            data[name] = "share"
            continue
        value = answers.get(name)
        if name == "safety" and value == "yes":
            value = None  # a "yes" leads to the crisis page; the measured flow is the usual one
        if value is None or value == []:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def begin(b: Browser, **kw) -> None:
    landing = expect(b.get("/", **kw), 200, "landing")
    r = b.post("/", {"csrfmiddlewaretoken": token_of(landing)}, **kw)
    expect(r, 302, "start")


def answer_step(b: Browser, slug: str, answers: dict, **kw) -> None:
    page = expect(b.get(f"/checkin/{slug}/", **kw), 200, f"step {slug}")
    data = {"csrfmiddlewaretoken": token_of(page), "action": "next", **step_fields(slug, answers)}
    expect(b.post(f"/checkin/{slug}/", data, **kw), 302, f"save step {slug}")


def finish(b: Browser, **kw) -> Response:
    review = expect(b.get("/checkin/review/", **kw), 200, "review")
    expect(b.post("/checkin/submit/", {"csrfmiddlewaretoken": token_of(review)}, **kw), 302, "submit")
    return expect(b.get("/checkin/results/", **kw), 200, "results")


def full_checkin(b: Browser, answers: dict) -> Response:
    begin(b)
    for slug, _ in STEPS:
        answer_step(b, slug, answers)
    return finish(b)


class LeanBrowser:
    """The full check-ins' client: the same requests as ``Browser``, for little CPU.

    The client processes share the machine's cores with gunicorn and PostgreSQL,
    so every millisecond a client spends parsing is one the server does not get:
    ``Browser`` (http.client, SimpleCookie, an email parser for the headers) cost
    about as much CPU per request as a bare Django view. This one writes each
    request as bytes on a plain socket, reads the answer by its Content-Length,
    keeps the connection when the server does (gthread) and opens a new one when
    it says close (sync workers), and looks only at what a check-in needs: the
    status, the session cookie, where a redirect goes, and the CSRF token of a
    page with a form (unzipped first). Every status is checked as before.
    """

    SET_COOKIE = re.compile(rb"^set-cookie: *([^=\s]+)=([^;\r]*)([^\r]*)", re.I | re.M)
    LENGTH = re.compile(rb"^content-length: *(\d+)", re.I | re.M)
    CLOSE = re.compile(rb"^connection: *close", re.I | re.M)
    LOCATION = re.compile(rb"^location: *([^\r]*)", re.I | re.M)
    TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, port: int, timings: dict):
        self.port = port
        self.cookies: dict[bytes, bytes] = {}
        self.timings = timings
        self.sock = None
        self.host = f"{HOST}:{port}".encode()
        self.origin = b"https://" + self.host

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _exchange(self, data: bytes) -> tuple[bytes, bytes]:
        for attempt in (1, 2):
            fresh = self.sock is None
            if fresh:
                self.sock = socket.create_connection((HOST, self.port), timeout=60)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                self.sock.sendall(data)
                buf = b""
                while b"\r\n\r\n" not in buf:
                    chunk = self.sock.recv(65536)
                    if not chunk:
                        raise ConnectionResetError("closed before the headers")
                    buf += chunk
                break
            except (ConnectionResetError, BrokenPipeError):
                self.close()
                if fresh or attempt == 2:  # a kept connection the server had closed: once more
                    raise
        head, body = buf.split(b"\r\n\r\n", 1)
        found = self.LENGTH.search(head)
        length = int(found.group(1)) if found else None
        while length is None or len(body) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                if length is None:
                    break
                raise ConnectionResetError("closed in the middle of the body")
            body += chunk
        if length is None or self.CLOSE.search(head):
            self.close()
        return head, body

    def request(self, method: str, path: str, kind: str, status: int, body: bytes = b"") -> tuple[bytes, bytes]:
        lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: " + self.host, b"X-Forwarded-Proto: https",
                 b"Accept-Encoding: gzip", b"Accept: text/html", b"User-Agent: bench"]
        if self.cookies:
            lines.append(b"Cookie: " + b"; ".join(k + b"=" + v for k, v in self.cookies.items()))
        if method == "POST":
            lines += [b"Content-Type: application/x-www-form-urlencoded", b"Origin: " + self.origin,
                      b"Referer: " + self.origin + path.encode(), b"Content-Length: " + str(len(body)).encode()]
        start = time.perf_counter()
        head, payload = self._exchange(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        self.timings.setdefault(kind, []).append(time.perf_counter() - start)
        code = int(head[9:12])
        for name, value, rest in self.SET_COOKIE.findall(head):
            if b"max-age=0" in rest.lower() or b"1970" in rest:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if code != status:
            where = self.LOCATION.search(head)
            raise FlowError(f"{kind}: HTTP {code}, expected {status} {where.group(1).decode() if where else ''}")
        return head, payload

    def token(self, head: bytes, payload: bytes, kind: str) -> str:
        if b"content-encoding: gzip" in head.lower():
            payload = zlib.decompress(payload, 31)
        found = self.TOKEN.search(payload)
        if not found:
            raise FlowError(f"{kind}: no CSRF token on the page")
        return found.group(1).decode()

    def page(self, path: str, kind: str) -> str:
        return self.token(*self.request("GET", path, kind, 200), kind)

    def post(self, path: str, kind: str, fields: dict) -> None:
        self.request("POST", path, kind, 302, urllib.parse.urlencode(fields, doseq=True).encode())


def lean_checkin(b: LeanBrowser, answers: dict) -> None:
    """One whole check-in, request for request as ``full_checkin`` makes it."""
    b.post("/", "POST /", {"csrfmiddlewaretoken": b.page("/", "GET /")})
    for slug, _ in STEPS:
        path = f"/checkin/{slug}/"
        token = b.page(path, "GET /checkin/<step>/")
        b.post(path, "POST /checkin/<step>/", {"csrfmiddlewaretoken": token, "action": "next", **step_fields(slug, answers)})
    token = b.page("/checkin/review/", "GET /checkin/review/")
    b.post("/checkin/submit/", "POST /checkin/submit/", {"csrfmiddlewaretoken": token})
    head, payload = b.request("GET", "/checkin/results/", "GET /checkin/results/", 200)
    if b"content-encoding: gzip" in head.lower():
        payload = zlib.decompress(payload, 31)
    if b"Your results" not in payload:
        raise FlowError("the results page does not show the results")


def _client(port: int, answer_sets: list, deadline: float, out) -> None:
    """One concurrent user: full check-ins back to back until the deadline (a new
    browser, so a new session, for each)."""
    done, errors, seconds, timings = 0, [], [], {}
    i = 0
    cpu = time.process_time()
    while time.time() < deadline:
        b = LeanBrowser(port, timings)
        start = time.perf_counter()
        try:
            lean_checkin(b, answer_sets[i % len(answer_sets)])
        except (FlowError, OSError, ValueError) as error:
            errors.append(str(error)[:200])
        else:
            done += 1
            seconds.append(time.perf_counter() - start)
        finally:
            b.close()
        i += 1
    out.put({"done": done, "errors": errors, "seconds": seconds, "end": time.time(), "timings": timings,
             "cpu": time.process_time() - cpu})


# --------------------------------------------------------------------------- servers

class Server:
    def __init__(self, name: str, port: int, app: str, env: dict, args, workdir: Path):
        self.name, self.port, self.app, self.env, self.args = name, port, app, env, args
        self.pidfile = workdir / f"gunicorn-{port}.pid"
        self.log = workdir / f"gunicorn-{port}.log"
        self.proc = None

    def start(self) -> None:
        cmd = [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"{HOST}:{self.port}",
               "--pid", str(self.pidfile), "--no-control-socket"]
        if self.args.workers:
            cmd += ["--workers", str(self.args.workers)]
        if self.args.worker_class:
            cmd += ["--worker-class", self.args.worker_class]
        if self.args.threads:
            cmd += ["--threads", str(self.args.threads)]
        cmd.append(self.app)
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=open(self.log, "ab"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise FlowError(f"gunicorn ({self.name}) stopped at start: {self.log.read_text()[-2000:]}")
            try:
                r = Browser(self.port).get("/healthz" if self.name != "bare" else "/bare/")
                if r.status in (200, 404):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise FlowError(f"gunicorn ({self.name}) did not answer on port {self.port}: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # the master we started; it stops its workers
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# --------------------------------------------------------------------------- wrk

WRK_SCRIPT = r"""
local cookies = {%(cookies)s}
local bodies = {%(bodies)s}
local method, path = "%(method)s", "%(path)s"
local i = 0
request = function()
  i = i + 1
  local h = {["Host"] = "%(host)s", ["X-Forwarded-Proto"] = "https", ["Accept-Encoding"] = "gzip",
             ["Accept"] = "text/html", ["User-Agent"] = "bench-wrk"}
  local body = nil
  if #cookies > 0 then h["Cookie"] = cookies[(i %% #cookies) + 1] end
  if method == "POST" then
    h["Content-Type"] = "application/x-www-form-urlencoded"
    h["Origin"] = "https://%(host)s"
    h["Referer"] = "https://%(host)s" .. path
    body = bodies[(i %% #bodies) + 1]
  end
  return wrk.format(method, path, h, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %%d, "us": %%d, "p50": %%d, "p95": %%d, "p99": %%d, ' ..
    '"status_errors": %%d, "socket_errors": %%d}\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def _lua(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Target:
    name: str
    port: int
    path: str
    method: str = "GET"
    cookies: list = field(default_factory=list)
    bodies: list = field(default_factory=list)


def wrk(target: Target, seconds: float, connections: int, workdir: Path) -> dict:
    script = workdir / "bench.lua"
    script.write_text(WRK_SCRIPT % {
        "cookies": ", ".join(_lua(c) for c in target.cookies),
        "bodies": ", ".join(_lua(b) for b in target.bodies),
        "method": target.method, "path": target.path, "host": f"{HOST}:{target.port}",
    })
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script),
           f"http://{HOST}:{target.port}{target.path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("BENCH "))
    figures = json.loads(line[6:])
    figures["rps"] = figures["requests"] / (figures["us"] / 1e6)
    return figures


# --------------------------------------------------------------------------- the run

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
    b = Browser(port)
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


def prepare_sessions(port: int, answer_sets: list, n: int, *, submitted: bool) -> list[Browser]:
    """Return n browsers with every step answered (and submitted, if asked)."""
    out = []
    for i in range(n):
        b = Browser(port)
        begin(b)
        for slug, _ in STEPS:
            answer_step(b, slug, answer_sets[i % len(answer_sets)])
        if submitted:
            finish(b)
        out.append(b)
    return out


def page_targets(port: int, ready: list[Browser], submitted: list[Browser], staff: Browser | None, staff_paths: dict,
                 answer_sets: list) -> list[Target]:
    """Return what wrk will request of our app, each checked once with the Python client first."""
    cookies = [b.cookie_header() for b in ready]
    targets = [Target("landing", port, "/")]
    expect(Browser(port).get("/"), 200, "landing")
    for slug, _ in STEPS:
        path = f"/checkin/{slug}/"
        r = expect(ready[0].get(path), 200, path)
        if "csrfmiddlewaretoken" not in r.text:
            raise FlowError(f"{path} shows no form")
        targets.append(Target(f"step {slug} GET", port, path, cookies=cookies))
    # A step POST: the pain step's radios and checkboxes, valid, saved in the session, 302 onwards.
    bodies = []
    for i, b in enumerate(ready):
        page = b.get("/checkin/pain/")
        data = {"csrfmiddlewaretoken": token_of(page), "action": "next", **step_fields("pain", answer_sets[i])}
        bodies.append(urllib.parse.urlencode(data, doseq=True))
    r = ready[0].request("POST", "/checkin/pain/", urllib.parse.parse_qs(bodies[0]))
    expect(r, 302, "step pain POST")
    targets.append(Target("step pain POST", port, "/checkin/pain/", "POST", cookies=cookies, bodies=bodies))
    expect(ready[0].get("/checkin/review/"), 200, "review")
    targets.append(Target("review", port, "/checkin/review/", cookies=cookies))
    expect(submitted[0].get("/checkin/results/"), 200, "results")
    targets.append(Target("results", port, "/checkin/results/", cookies=[b.cookie_header() for b in submitted]))
    for label, path in staff_paths.items():
        expect(staff.get(path), 200, label)
        targets.append(Target(label, port, path, cookies=[staff.cookie_header()]))
    return targets


def interleaved(targets: list[Target], bare: Target, args, workdir: Path) -> list[dict]:
    """wrk each page against the bare view, ours then bare, round after round."""
    rows = {t.name: {"page": t.name, "ours": [], "bare": []} for t in targets}
    say("    warming up every worker (1 s of wrk per page, not counted)")
    for t in [bare, *targets]:
        wrk(t, 1, args.connections, workdir)
    for round_no in range(1, args.rounds + 1):
        say(f"    round {round_no} of {args.rounds}")
        for t in targets:
            ours = wrk(t, args.duration, args.connections, workdir)
            base = wrk(bare, args.duration, args.connections, workdir)
            rows[t.name]["ours"].append(ours)
            rows[t.name]["bare"].append(base)
            say(f"      {t.name:<22} {ours['rps']:7.0f} req/s (p95 {ours['p95'] / 1000:6.1f} ms) | bare "
                f"{base['rps']:7.0f} req/s | ratio {ours['rps'] / base['rps']:.2f}"
                + (f" | {ours['status_errors']} HTTP errors" if ours["status_errors"] else "")
                + (f" | {ours['socket_errors']} socket errors" if ours["socket_errors"] else ""))
    out = []
    for row in rows.values():
        ratios = [o["rps"] / b["rps"] for o, b in zip(row["ours"], row["bare"])]
        out.append({
            "page": row["page"],
            "rps": statistics.median(o["rps"] for o in row["ours"]),
            "p50": statistics.median(o["p50"] for o in row["ours"]) / 1000,
            "p95": statistics.median(o["p95"] for o in row["ours"]) / 1000,
            "p99": statistics.median(o["p99"] for o in row["ours"]) / 1000,
            "bare_rps": statistics.median(b["rps"] for b in row["bare"]),
            "bare_p95": statistics.median(b["p95"] for b in row["bare"]) / 1000,
            "ratio": statistics.median(ratios),
            "ratio_min": min(ratios), "ratio_max": max(ratios),
            "errors": sum(o["status_errors"] + o["socket_errors"] for o in row["ours"]),
        })
    return out


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database (same machine)."""
    name = urllib.parse.urlparse(url).path.lstrip("/")
    with _admin(url) as conn:
        return [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name])]


class ServerCPU:
    """CPU the server side spends: gunicorn's workers and the PostgreSQL processes of
    the benchmark's database. On a machine shared with other work the check-ins per
    second go up and down with that work; the CPU each check-in costs does not much,
    and cores divided by it is what the machine could do with nothing else running."""

    def __init__(self, server: "Server", url: str):
        self.server, self.url = server, url

    def start(self) -> None:
        self.workers = _children(self.server.proc.pid)
        self.before = {pid: _cpu_seconds(pid) for pid in self.workers + _backends(self.url)}

    def stop(self) -> tuple[float, float]:
        gunicorn = sum(_cpu_seconds(pid) - self.before.get(pid, 0.0) for pid in self.workers)
        database = sum(_cpu_seconds(pid) - self.before.get(pid, 0.0) for pid in _backends(self.url))
        return gunicorn, database


def flows(port: int, clients: list[int], seconds: float, answer_sets: list, *, quiet: bool = False,
          bare: Target | None = None, args=None, workdir: Path | None = None,
          cpu: ServerCPU | None = None) -> list[dict]:
    ctx = multiprocessing.get_context("fork")
    out = []
    for n in clients:
        if cpu is not None:
            cpu.start()
        queue = ctx.Queue()
        start = time.time()
        deadline = start + seconds
        procs = [ctx.Process(target=_client, args=(port, answer_sets[i::n] or answer_sets, deadline, queue))
                 for i in range(n)]
        for p in procs:
            p.start()
        results = [queue.get() for _ in procs]
        for p in procs:
            p.join()
        wall = max(r["end"] for r in results) - start
        done = sum(r["done"] for r in results)
        times = [s for r in results for s in r["seconds"]]
        errors = [e for r in results for e in r["errors"]]
        kinds: dict = {}
        for r in results:
            for kind, values in r["timings"].items():
                kinds.setdefault(kind, []).extend(values)
        # Where one check-in's time goes: mean ms per request of each kind, times how many it makes.
        per_checkin = {kind: (statistics.mean(v) * 1000, len(v) / max(done, 1)) for kind, v in kinds.items()}
        row = {"clients": n, "done": done, "per_second": done / wall, "p50": percentile(times, 50),
               "p95": percentile(times, 95), "errors": len(errors), "first_error": errors[0] if errors else "",
               "kinds": per_checkin,
               # The clients' own CPU per check-in (they share the cores with the server).
               "client_cpu_ms": sum(r["cpu"] for r in results) / max(done, 1) * 1000}
        if cpu is not None:
            gunicorn, database = cpu.stop()
            row["gunicorn_cpu_ms"] = gunicorn / max(done, 1) * 1000
            row["database_cpu_ms"] = database / max(done, 1) * 1000
            row["capacity"] = (os.cpu_count() or 1) * 1000 / (
                row["gunicorn_cpu_ms"] + row["database_cpu_ms"] + row["client_cpu_ms"])
        if bare is not None:
            # The ceiling: as many check-ins as the bare view's req/s, right after, allows.
            per = 2 + 2 * len(STEPS) + 3
            row["bare_rps"] = wrk(bare, args.duration, args.connections, workdir)["rps"]
            row["ceiling"] = row["bare_rps"] / per
            row["share"] = row["per_second"] / row["ceiling"]
        out.append(row)
        if not quiet:
            say(f"    {n:>3} clients: {done} full check-ins in {wall:.1f} s = {row['per_second']:.1f}/s; one check-in "
                f"p50 {row['p50']:.2f} s, p95 {row['p95']:.2f} s, clients' CPU {row['client_cpu_ms']:.1f} ms each"
                + (f"; {len(errors)} failed: {errors[0]}" if errors else "")
                + (f"; bare ceiling {row['ceiling']:.1f}/s, so {row['share']:.0%} of it" if "share" in row else "")
                + (f"\n          CPU per check-in: gunicorn {row['gunicorn_cpu_ms']:.1f} ms, PostgreSQL "
                   f"{row['database_cpu_ms']:.1f} ms, clients {row['client_cpu_ms']:.1f} ms: {os.cpu_count()} cores "
                   f"would do {row['capacity']:.1f}/s with nothing else running" if "capacity" in row else ""))
    return out


def compare_configs(env: dict, args, workdir: Path, answer_sets: list) -> list[dict]:
    """Run full check-ins and the landing page against several gunicorn set-ups, round after round."""
    cores = os.cpu_count() or 1
    clients = max(args.clients)
    setups = [
        ("gunicorn.conf.py as it is", {}),
        (f"sync, {2 * cores + 1} workers", {"workers": 2 * cores + 1, "worker_class": "sync"}),
        (f"sync, {cores + 1} workers", {"workers": cores + 1, "worker_class": "sync"}),
        (f"gthread, {cores + 1} workers x 4 threads", {"workers": cores + 1, "worker_class": "gthread", "threads": 4}),
    ]
    servers = []
    for i, (label, override) in enumerate(setups):
        options = argparse.Namespace(**{**vars(args), "workers": None, "worker_class": None, "threads": None, **override})
        servers.append((label, Server(label, args.port + 3 + i, "project.wsgi:application", env, options, workdir)))
    rows = {label: {"setup": label, "flows": [], "landing": []} for label, _ in setups}
    try:
        for server in (srv for _, srv in servers):
            server.start()
        for round_no in range(1, args.rounds + 1):
            for label, server in servers:
                flow = flows(server.port, [clients], args.flow_seconds / 2, answer_sets, quiet=True)[0]
                landing = wrk(Target("landing", server.port, "/"), args.duration, args.connections, workdir)
                rows[label]["flows"].append(flow["per_second"])
                rows[label]["landing"].append(landing["rps"])
                say(f"    round {round_no}: {label:<34} {flow['per_second']:5.1f} full check-ins/s "
                    f"({clients} clients) | landing {landing['rps']:6.0f} req/s")
    finally:
        for _, server in servers:
            server.stop()
    return [{"setup": r["setup"], "clients": clients, "flows": statistics.median(r["flows"]),
             "landing": statistics.median(r["landing"])} for r in rows.values()]


ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="(/[^"]+)"')


def wire_bytes(port: int, ready: Browser, submitted: Browser, staff: Browser | None, staff_paths: dict) -> list[dict]:
    """Return bytes on the wire per page, gzip accepted, and with the page's CSS/JS on a first visit."""
    pages = [("landing", Browser(port), "/")]
    pages += [(f"step {slug}", ready, f"/checkin/{slug}/") for slug, _ in STEPS]
    pages += [("review", ready, "/checkin/review/"), ("results", submitted, "/checkin/results/"),
              ("crisis", Browser(port), "/checkin/crisis/"), ("about", Browser(port), "/about/")]
    pages += [(label, staff, path) for label, path in staff_paths.items()]
    out = []
    for name, b, path in pages:
        r = expect(b.get(path), 200, name)
        assets = 0
        for asset in dict.fromkeys(ASSET.findall(r.text)):
            a = Browser(port).get(asset)
            assets += a.wire if a.status == 200 else 0
        out.append({"page": name, "html": r.wire, "html_raw": len(r.text.encode()), "assets": assets,
                    "first": r.wire + assets, "individual": not name.startswith(("staff", "CSV"))})
    return out


def two_instances(port_a: int, port_b: int, answers: dict) -> tuple[bool, str]:
    from questionnaire.models import CheckIn

    before = CheckIn.objects.count()
    b = Browser(port_a)
    try:
        begin(b)
        for slug, _ in STEPS[:3]:
            answer_step(b, slug, answers)
        for slug, _ in STEPS[3:]:
            answer_step(b, slug, answers, port=port_b)
        results = finish_on(b, port_b)
    except FlowError as error:
        return False, str(error)
    after = CheckIn.objects.count()
    if after != before + 1:
        return False, f"{after - before} check-ins saved, expected 1"
    if not re.search(r"<h1[^>]*>\s*Your results", results.text):
        return False, "the second instance did not show the results page"
    return True, (f"began and answered 3 steps on :{port_a}, answered 4 steps, reviewed, submitted and saw the "
                  f"results on :{port_b}; 1 check-in saved")


def finish_on(b: Browser, port: int) -> Response:
    review = expect(b.get("/checkin/review/", port=port), 200, "review")
    expect(b.post("/checkin/submit/", {"csrfmiddlewaretoken": token_of(review)}, port=port), 302, "submit")
    return expect(b.get("/checkin/results/", port=port), 200, "results")


FAILURES = (FlowError, OSError, http.client.HTTPException, subprocess.CalledProcessError, StopIteration, ValueError)


def last_size(report, args, ours, second, bare, staff, paths, answer_sets, workdir) -> None:
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
        expect(Browser(bare.port).get("/bare/"), 200, "bare page")
        report["pages"] = interleaved(targets, bare_target, args, workdir)
        bare_page = Browser(bare.port).get("/bare/")
        report["bare_bytes"] = {"raw": len(bare_page.text.encode()), "wire": bare_page.wire}
    except FAILURES as error:
        failed("pages", error)

    say(f"\n==> Full check-ins (landing, {len(STEPS)} steps GET and POST, review, submit, results), "
        "each client count followed by the bare view")
    report["requests_per_checkin"] = 2 + 2 * len(STEPS) + 3
    try:
        report["flows"] = flows(ours.port, args.clients, args.flow_seconds, answer_sets,
                                bare=Target("bare", bare.port, "/bare/"), args=args, workdir=workdir,
                                cpu=ServerCPU(ours, database_url()))
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


def main(argv=None) -> int:
    args = arguments(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: install Debian's wrk (apt-get install wrk).")
    url = database_url()
    env = {**os.environ, **production_env(url)}
    os.environ.update(production_env(url))
    say(f"==> Database {urllib.parse.urlparse(url).path.lstrip('/')} (made fresh for this run)")
    create_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from questionnaire import synthetic
    from questionnaire.forms import FORMS
    from benchmarks import seed as seeding

    for slug, form in FORMS.items():
        STEPS.append((slug, [(name, type(f).__name__) for name, f in form().fields.items()]))

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
    ours = Server("ours", args.port, "project.wsgi:application", env, args, workdir)
    second = Server("second", args.port + 1, "project.wsgi:application", env, args, workdir)
    bare = Server("bare", args.port + 2, "benchmarks.bare.wsgi:application",
                  {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.bare.settings"}, args, workdir)
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
            last_size(report, args, ours, second, bare, staff, good, answer_sets, workdir)
    finally:
        for server in (ours, second, bare):
            server.stop()
        connections.close_all()
        if not args.keep:
            drop_database(url)
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


if __name__ == "__main__":
    sys.exit(main())
