"""What every HTML page must carry: the safety frame (the disclaimer, 911, 988 by
call and text, and SAMHSA's helpline). The one list every test checks pages against,
written out literally so that a changed address in the templates fails here."""

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


def frame_missing(html: str) -> list[str]:
    """Return the pieces of the frame that ``html`` lacks (none on a good page)."""
    return [piece for piece in FRAME if piece not in html]


def assert_frame(html: str, where: str = ""):
    missing = frame_missing(html)
    assert not missing, f"safety frame pieces missing{' on ' + where if where else ''}: {missing}"
