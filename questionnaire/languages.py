"""The person's side in English and Spanish: which language a request is in, the
same page in the other language, and the one guess made from the browser.

The language is in the address only (English unprefixed, Spanish under /es/),
never in a cookie or the session: nothing is left behind that says which
language someone used, and the check-in's answers stay the same whichever
language shows them. Plain functions, so each decision is tested without a
request (tests/test_i18n.py); ``first_visit_language`` is the view decorator
that applies the one guess.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation.trans_real import language_code_prefix_re, parse_accept_lang_header

# Each language's own name for itself: the link to it is written in it (with lang=).
NAMES = dict(settings.LANGUAGES)
DEFAULT = settings.LANGUAGE_CODE

# Pages that only take a POST, or whose GET does something (the quick exit): their
# link to the other language goes to its start page instead of the same address.
NOT_TO_REPEAT = frozenset({"questionnaire:submit", "questionnaire:clear", "questionnaire:leave"})


def other(language: str) -> str:
    """Return the language the switch link offers on a page in ``language``."""
    return next(code for code in NAMES if code != language)


def bare_path(path: str) -> str:
    """Return ``path`` without its language prefix ("/es/about/" -> "/about/")."""
    language = translation.get_language_from_path(path)
    if language is None or language == DEFAULT:
        return path
    prefix = language_code_prefix_re.match(path).group(1)  # as written: "es", or "es-MX" for "es"
    return path[len(prefix) + 1:] or "/"


def path_in(path: str, language: str) -> str:
    """Return the same address in ``language`` (a path with or without a query)."""
    bare = bare_path(path)
    return bare if language == DEFAULT else f"/{language}{bare}"


def start_page(language: str) -> str:
    """Return the start page's address in ``language``."""
    return get_script_prefix().rstrip("/") + path_in("/", language)


def switch_url(*, path_info: str, query: str, view_name: str | None, to: str) -> str:
    """Return where the link to ``to`` leads from this page: the same page, with its
    query (so "Change" links and answers stay where they are), or the start page
    for a page that must not be asked for again."""
    if view_name in NOT_TO_REPEAT:
        return start_page(to)
    address = path_in(path_info, to)
    return get_script_prefix().rstrip("/") + address + (f"?{query}" if query else "")


def preferred(accept_language: str) -> str | None:
    """Return the first of our languages the browser asks for, by its weights."""
    for code, _weight in parse_accept_lang_header(accept_language or ""):
        if code == "*":
            return None
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def came_from_our_pages(headers: Mapping[str, str], *, host: str) -> bool:
    """Return whether a request was made from one of our own pages.

    ``Sec-Fetch-Site: same-origin`` says so; a typed address or a bookmark says
    "none", another site "cross-site" or "same-site". A browser that sends no
    Sec-Fetch-Site is judged by its Referer (our Referrer-Policy sends one to
    ourselves only).
    """
    site = headers.get("Sec-Fetch-Site")
    if site is not None:
        return site.strip().lower() == "same-origin"
    referer = headers.get("Referer")
    return bool(referer) and urlsplit(referer).netloc.lower() == host.lower()


def first_visit_language(view):
    """Send a browser that prefers another language to the start page in it.

    Only for a start page asked for without a language in its address, and only
    when the request did not come from our own pages: the "English" link on a
    Spanish page leads to the unprefixed address from our own page, and is
    obeyed. Nothing is stored; the address alone carries the choice from then on.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and translation.get_language_from_path(request.path_info) is None:
            wanted = preferred(request.headers.get("Accept-Language", ""))
            if wanted not in (None, DEFAULT) and not came_from_our_pages(request.headers, host=request.get_host()):
                address = get_script_prefix().rstrip("/") + path_in(request.get_full_path_info(), wanted)
                response = HttpResponseRedirect(address)
                patch_vary_headers(response, ("Accept-Language", "Sec-Fetch-Site"))
                add_never_cache_headers(response)
                return response
        return view(request, *args, **kwargs)

    return wrapper


def in_language_of_address(handler):
    """Run an error handler (400, 403, 404, 500) in the language of the request's address.

    Such a page may come from an exception raised before LocaleMiddleware ran
    (a bad Host header fails in SecurityMiddleware), and it is rendered without
    the request; without this it would speak whatever language the thread served last.
    """

    @functools.wraps(handler)
    def wrapper(request, *args, **kwargs):
        with translation.override(translation.get_language_from_path(request.path_info) or DEFAULT):
            return handler(request, *args, **kwargs)

    return wrapper


# The community poster (staff side): one language, or both on one sheet, each with
# its own link and QR code. English alone unless the staff member chooses.
POSTER_CHOICES = {"en": ("en",), "es": ("es",), "both": ("en", "es")}


def poster_choice(asked: str) -> str:
    """Return the poster the staff member asked for, by its key in POSTER_CHOICES (unknown: English)."""
    return asked if asked in POSTER_CHOICES else DEFAULT
