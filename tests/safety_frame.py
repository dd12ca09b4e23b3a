"""What every HTML page must carry: the safety frame (the disclaimer, 911, 988 by
call and text, and SAMHSA's helpline), in the page's language. The one list every
test checks pages against, written out literally so that a changed address in the
templates fails here."""

import re

FRAME = (
    "This is not medical advice",
    "not a diagnosis",
    "nearest emergency room",
    'href="tel:911"',
    'href="tel:988"',
    'href="sms:988"',
    'href="tel:18006624357"',
    "1-800-662-4357",
    "referrals and information",
)
# A Spanish page (/es/...): the same frame in Spanish, with 988's Spanish routes
# (press 2 on the phone, AYUDA by text).
FRAME_SPANISH = (
    "Esto no es un consejo médico",
    "No es un diagnóstico",
    "sala de emergencias más cercana",
    'href="tel:911"',
    'href="tel:988"',
    "marque 2",
    'href="sms:988?&amp;body=AYUDA"',
    'href="tel:18006624357"',
    "1-800-662-4357",
    "No es una línea de crisis",
)
FRAMES = {"en": FRAME, "es": FRAME_SPANISH}


def page_language(html: str) -> str:
    """Return the language a page declares on its <html> element (English if none)."""
    found = re.search(r'<html[^>]*\slang="([^"]+)"', html)
    return found.group(1) if found else "en"


def frame_missing(html: str) -> list[str]:
    """Return the pieces of the frame that ``html`` lacks (none on a good page)."""
    return [piece for piece in FRAMES[page_language(html)] if piece not in html]


def assert_frame(html: str, where: str = ""):
    missing = frame_missing(html)
    assert not missing, f"safety frame pieces missing{' on ' + where if where else ''}: {missing}"
