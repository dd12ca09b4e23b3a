"""The one HTTP client of the tests and benchmarks that talk to a real server.

``Browser`` is one person's browser: it keeps cookies (dropping those the server
deletes), fills in the CSRF token of the last form it saw, and can present
itself as a browser behind the production TLS proxy (``https=True``: every
request says ``X-Forwarded-Proto: https`` and a POST carries a matching Origin and
Referer) that accepts gzip. A new connection per request, as a sync worker
closes each one. The load generator of ``scripts/bench`` (``benchmarks/load.py``)
is leaner on purpose and checks only what a check-in needs.
"""

from __future__ import annotations

import gzip
import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class FlowError(Exception):
    """A page answered with something a person's next step cannot go on from."""


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage  # case-insensitive .get()
    html: str  # the body, unzipped and decoded
    wire: int  # bytes received: status line, headers and the (compressed) body
    body_bytes: int  # the body as sent (compressed when gzip was accepted)
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def text(self) -> str:
        return self.html


class Browser:
    """One person's browser against a server on this machine.

    ``target`` is a port or anything with a ``port`` (a running server).
    ``timings``, when given, collects seconds per "METHOD path" (``label`` turns a
    path into the key, e.g. every step into one).
    """

    def __init__(self, target, *, cookies: dict | None = None, csrf: str | None = None, https: bool = False,
                 timings: dict | None = None, label=None):
        self.port = getattr(target, "port", target)
        self.cookies: dict[str, str] = dict(cookies or {})
        self.csrf = csrf
        self.https = https
        self.timings = timings
        self.label = label or (lambda path: path)

    def request(self, method: str, path: str, data: dict | list | None = None, *, port: int | None = None,
                headers: dict | None = None) -> Response:
        port = port or self.port
        sent = {"Accept": "text/html"}
        if self.https:
            sent.update({"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        body = None
        if method == "POST":
            pairs = list(data.items()) if isinstance(data, dict) else list(data or [])
            if self.csrf and not any(k == "csrfmiddlewaretoken" for k, _ in pairs):
                pairs.append(("csrfmiddlewaretoken", self.csrf))
            body = urlencode(pairs, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            if self.https:
                sent["Origin"] = f"https://{HOST}:{port}"
                sent["Referer"] = f"https://{HOST}:{port}{path}"
        sent.update(headers or {})
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        start = time.perf_counter()
        try:
            conn.request(method, path, body, sent)
            raw = conn.getresponse()
            payload = raw.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - start
        if self.timings is not None:
            self.timings.setdefault(f"{method} {self.label(path)}", []).append(seconds)
        for line in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value == "" or morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        head = len(f"HTTP/1.1 {raw.status} {raw.reason}\r\n") + len(str(raw.headers))
        body_text = (gzip.decompress(payload) if raw.getheader("Content-Encoding") == "gzip" else payload).decode(
            "utf-8", "replace")
        token = CSRF.search(body_text)
        if token:
            self.csrf = token.group(1)
        return Response(raw.status, raw.headers, body_text, head + len(payload), len(payload), seconds)

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, data: dict | list | None = None, **kw) -> Response:
        return self.request("POST", path, data, **kw)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    @property
    def session_key(self) -> str | None:
        return self.cookies.get("sessionid")


def token_of(response: Response) -> str:
    """Return the CSRF token of the page's form."""
    found = CSRF.search(response.html)
    if not found:
        raise FlowError(f"no CSRF token on a {response.status} page")
    return found.group(1)


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise FlowError(f"{what}: HTTP {response.status}, expected {status} {response.location}")
    return response
