"""Whole check-ins under load: concurrent client processes doing check-ins back to
back, the CPU the server side spends on them, and gunicorn set-ups compared."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import socket
import statistics
import time
import urllib.parse
import zlib
from pathlib import Path

from harness.client import HOST, FlowError
from harness.postgres import backends
from harness.server import Gunicorn

from .checkins import STEPS, step_fields
from .common import percentile, say, served
from .wrk import Target, wrk


class LeanBrowser:
    """The full check-ins' client: the same requests as ``harness.client.Browser``, for little CPU.

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
    """One whole check-in, request for request as ``checkins.begin``, ``answer_step`` and ``finish`` make it."""
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


class ServerCPU:
    """CPU the server side spends: gunicorn's workers and the PostgreSQL processes of
    the benchmark's database. On a machine shared with other work the check-ins per
    second go up and down with that work; the CPU each check-in costs does not much,
    and cores divided by it is what the machine could do with nothing else running."""

    def __init__(self, server: Gunicorn, url: str):
        self.server, self.url = server, url

    def start(self) -> None:
        self.workers = _children(self.server.process.pid)
        self.before = {pid: _cpu_seconds(pid) for pid in self.workers + backends(self.url)}

    def stop(self) -> tuple[float, float]:
        gunicorn = sum(_cpu_seconds(pid) - self.before.get(pid, 0.0) for pid in self.workers)
        database = sum(_cpu_seconds(pid) - self.before.get(pid, 0.0) for pid in backends(self.url))
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
        servers.append((label, served(label, args.port + 3 + i, env, options)))
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
            server.remove()
    return [{"setup": r["setup"], "clients": clients, "flows": statistics.median(r["flows"]),
             "landing": statistics.median(r["landing"])} for r in rows.values()]

