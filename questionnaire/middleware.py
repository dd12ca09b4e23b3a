"""Request handling the whole site shares.

* ``SecurityHeadersMiddleware`` (first in ``MIDDLEWARE``) stamps the security
  headers on every response, including those built from an exception: a bad
  Host header fails inside Django's ``SecurityMiddleware`` and a database outage
  inside the CSRF or session middleware, and such a response never passes back
  through the middlewares below the one that failed. Stamping from the
  outermost layer, with Django's own middlewares' ``process_response``, is the
  one place that covers them all. It also sends Permissions-Policy (Django has
  no setting for it), which turns off the browser features we never use.
* ``CookieSanitisingMiddleware`` treats a cookie whose value cannot be a token
  of ours (a NUL byte, a line break, a quote, far too long) as no cookie at all,
  before the session and CSRF middlewares read one.
* ``server_error`` is the project's ``handler500``. When the error is the
  database being unreachable (stopped, restarting, a network cut) it answers a
  kind 503 instead of a 500, rendered without the database: the safety frame
  and emergency numbers, and, after a step's POST, the same form filled in with
  exactly what the person typed and a note that it is not saved yet, so one
  press once the database is back saves it. Django calls ``handler500`` inside
  the ``except`` block of whichever layer failed (a view, the session save,
  a middleware reading the session), so ``sys.exc_info()`` names the error.
"""

from __future__ import annotations

import logging
import re
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.csrf import get_token
from django.middleware.security import SecurityMiddleware
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

from . import flow, instruments as ins
from .forms import FORMS

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def permissions_policy(policy: dict[str, list[str]]) -> str:
    """Return the Permissions-Policy header for ``settings.PERMISSIONS_POLICY``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class SecurityHeadersMiddleware:
    """Add every security header to every response, however it was made.

    Content-Security-Policy, X-Frame-Options, X-Content-Type-Options,
    Referrer-Policy, Cross-Origin-Opener-Policy (and HSTS over HTTPS) come from
    Django's own middlewares, whose ``process_response`` only adds a header a
    response lacks; Permissions-Policy from ``settings.PERMISSIONS_POLICY``.
    Place it first: Django turns an exception raised in any middleware below it
    into a response (the 400, 403, 404, 500 and 503 pages) that still passes here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.stampers = [SecurityMiddleware(get_response), XFrameOptionsMiddleware(get_response),
                         ContentSecurityPolicyMiddleware(get_response)]

    def __call__(self, request):
        response = self.get_response(request)
        for stamper in self.stampers:
            response = stamper.process_response(request, response)
        # Read per response, so a changed list (tests, a later release) is what is sent.
        response.headers.setdefault("Permissions-Policy", permissions_policy(settings.PERMISSIONS_POLICY))
        return response


# Every cookie we set is a token: a session key, a signed or encrypted value
# (base64url, Django's signing separators). Browsers cap a cookie at 4096 bytes.
PLAUSIBLE_COOKIE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}", re.ASCII)
PLAUSIBLE_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_.:=~+/-]{1,4096}", re.ASCII)


def plausible_cookie(name: str, value: str) -> bool:
    """Return True if a cookie could be one we set: a safe name and a token-like value."""
    return bool(PLAUSIBLE_COOKIE_NAME.fullmatch(name) and PLAUSIBLE_COOKIE_VALUE.fullmatch(value))


class CookieSanitisingMiddleware:
    """Drop from ``request.COOKIES`` every cookie that cannot be a token of ours.

    A session cookie like ``"abcdefg\\000"`` (Python's cookie parser makes it a
    NUL byte) reached the session table, and PostgreSQL refuses a NUL in a
    query: a 500 on every page. Such a cookie is treated as no cookie at all
    (a new visitor), for every cookie name, not just the session's: we read no
    cookie but our own, so dropping someone else's junk costs nothing, and a
    cookie of ours added later is covered without a change here. Place it
    before SessionMiddleware and CsrfViewMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookies = request.COOKIES
        if not all(plausible_cookie(name, value) for name, value in cookies.items()):
            request.COOKIES = {name: value for name, value in cookies.items() if plausible_cookie(name, value)}
        return self.get_response(request)


def is_outage(error: BaseException | None) -> bool:
    """Return True if an error (or one it was raised from) means the database is unreachable."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name="500.html"):
    """``handler500``: a 503 for a database outage, a plain 500 page otherwise.

    The 500 page touches neither the session nor the database: the error may
    have come from them (the 503 page reads the session only for a retry form's
    CSRF token, and goes without if it cannot). (Django's own ``server_error`` runs the CSRF check first, which with
    CSRF_USE_SESSIONS loads the session again, and raised the same error a
    second time, out of Django, as gunicorn's bare 500.) The template is
    rendered without a request, so no context processor reads the user or the
    session; the security headers come from SecurityHeadersMiddleware.
    """
    error = sys.exc_info()[1]
    if is_outage(error):
        # One short line per request, instead of Django's traceback (which names
        # the database server and repeats for every request of the outage).
        logger.warning("Database unreachable (%s): answered 503 for %s %s",
                       type(error).__name__, request.method, request.path)
        response = outage_response(request)
        response._has_been_logged = True  # django.utils.log.log_response: logged already
        return response
    return HttpResponseServerError(loader.render_to_string(template_name))


def _csrf_token(request) -> str:
    """Return a CSRF token for the re-rendered form without touching the database.

    The token the person just sent is theirs and still valid once the database
    is back; without one, ask Django (this reads the session, which may fail).
    """
    posted = request.POST.get("csrfmiddlewaretoken", "") if request.method == "POST" else ""
    if posted.isalnum() and len(posted) <= 64:
        return posted
    try:
        return get_token(request)
    except DatabaseError:
        return ""


def outage_response(request) -> HttpResponse:
    """Answer a request the database could not serve; never touches the database."""
    try:
        match = resolve(request.path_info)
        view_name, kwargs = match.view_name, match.kwargs
    except Resolver404:
        view_name, kwargs = "", {}
    if view_name == "questionnaire:leave":
        # Quick exit must work even now: leave, and drop our cookie.
        response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
        response.delete_cookie(settings.SESSION_COOKIE_NAME, path=settings.SESSION_COOKIE_PATH,
                               domain=settings.SESSION_COOKIE_DOMAIN, samesite=settings.SESSION_COOKIE_SAMESITE)
        return response
    context = {"retry_after": RETRY_AFTER_SECONDS}
    template = "503.html"
    slug = kwargs.get("slug")
    if request.method == "POST" and view_name == "questionnaire:step" and slug in FORMS:
        template = "questionnaire/step_not_saved.html"
        context.update(
            form=FORMS[slug](request.POST),  # exactly what was typed, errors and all
            step=ins.STEP_BY_SLUG[slug],
            number=flow.step_number(slug),
            total=len(flow.STEP_SLUGS),
            previous=flow.previous_step(slug),
            from_review=request.GET.get("from") == "review",
            csrf_token=_csrf_token(request),
        )
    elif request.method == "POST" and view_name == "questionnaire:submit":
        context.update(retry_submit=True, csrf_token=_csrf_token(request))
    # No request: no context processor may reach for the session or the user.
    response = HttpResponse(loader.render_to_string(template, context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
