"""Two small pieces of request handling the whole site shares.

* ``PermissionsPolicyMiddleware`` sends a Permissions-Policy header (Django has
  no setting for it) that turns off the browser features we never use.
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
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from . import flow, instruments as ins
from .forms import FORMS

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError)


class PermissionsPolicyMiddleware:
    """Add ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


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
    """``handler500``: a 503 for a database outage, Django's plain 500 page otherwise."""
    error = sys.exc_info()[1]
    if is_outage(error):
        # One short line per request, instead of Django's traceback (which names
        # the database server and repeats for every request of the outage).
        logger.warning("Database unreachable (%s): answered 503 for %s %s",
                       type(error).__name__, request.method, request.path)
        response = outage_response(request)
        response._has_been_logged = True  # django.utils.log.log_response: logged already
        return response
    return defaults.server_error(request, template_name=template_name)


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
    except OUTAGE_ERRORS:
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
