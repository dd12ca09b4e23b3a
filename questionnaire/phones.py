"""Phone numbers in text we show (a community's contact line) become tel: links,
so one tap dials on a phone (DESIGN §2)."""

from __future__ import annotations

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# A North American number of 7 or 10 digits, with an optional +1 and the usual
# separators: 555-0101, (555) 555-0101, 555.555.0101, +1 555 555 0101, 1-800-662-4357.
PHONE = re.compile(r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])?\d{3}[\s.-]\d{4}(?![\w-])")


def tel_href(number: str) -> str:
    """Return the tel: address of a written number: its digits, and a + if it had one."""
    digits = re.sub(r"\D", "", number)
    return f"tel:{'+' if number.lstrip().startswith('+') else ''}{digits}"


def link_phones(text: str) -> SafeString:
    """Return ``text`` escaped, with every phone number in it a tel: link."""
    pieces, last = [], 0
    for match in PHONE.finditer(text):
        pieces.append(escape(text[last:match.start()]))
        pieces.append(format_html('<a href="{}">{}</a>', tel_href(match.group()), match.group()))
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
