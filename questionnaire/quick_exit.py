"""The quick exit's decisions: whether a request may end the check-in, and what
the response tells the browser to forget.

A plain module so each decision is tested without a request (tests/test_quick_exit.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

# What "Leave this site" and "Clear" ask the browser to throw away for our origin:
# every cookie, everything in storage and the cache (which also drops pages kept
# for Back). Quoted, as the header's grammar asks.
CLEAR_SITE_DATA = '"cookies", "storage", "cache"'

# Sec-Fetch-Site values of a request the person made from our own pages, or by
# typing the address or using a bookmark ("none").
_OWN = frozenset({"same-origin", "none"})


def started_here(headers: Mapping[str, str], *, host: str) -> bool:
    """Return whether a request to the exit came from our own pages.

    Another site must not be able to end someone's check-in by linking to (or
    loading) ``/leave/``. Browsers say where a request came from in
    ``Sec-Fetch-Site``; an old browser that does not send it is judged by its
    ``Referer`` (our Referrer-Policy sends one only to ourselves), and with
    neither the exit still works, so it never fails the person who needs it.
    """
    site = headers.get("Sec-Fetch-Site")
    if site is not None:
        return site.strip().lower() in _OWN
    referer = headers.get("Referer")
    if not referer:
        return True
    return urlsplit(referer).netloc.lower() == host.lower()


def cookies_to_delete(sent: Iterable[str], named: Iterable[str]) -> list[str]:
    """Return the names of every cookie to delete: all the browser sent us, and ours by name.

    Deleting by name too covers a browser that ignores ``Clear-Site-Data`` and a
    cookie (the session's, the CSRF token's) the request did not carry.
    """
    return sorted(set(sent) | {name for name in named if name})
