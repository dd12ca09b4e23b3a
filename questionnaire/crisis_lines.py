"""The crisis lines every page offers, each address written once.

The safety frame, the top bar, the help buttons, the 503 page, the admin's
emergency line and the 988 results card all link to these; templates write them
with ``{% crisis "call_988" %}`` (``templatetags/checkin.py``), which needs no
context, so the 500 page can use it too.
"""

CALL_911 = "tel:911"
CALL_988 = "tel:988"
TEXT_988 = "sms:988"
TEXT_988_SPANISH = "sms:988?&body=AYUDA"  # text AYUDA to 988
CHAT_988 = "https://988lifeline.org/chat"
DEAF_988 = "https://988lifeline.org/help-yourself/for-deaf-hard-of-hearing/"
TEXT_CRISIS_TEXT_LINE = "sms:741741?&body=HOME"  # text HOME to 741741
CALL_SAMHSA = "tel:18006624357"  # SAMHSA's National Helpline: referrals, not a crisis line

# By the names templates use.
ADDRESSES = {
    "call_911": CALL_911,
    "call_988": CALL_988,
    "text_988": TEXT_988,
    "text_988_spanish": TEXT_988_SPANISH,
    "chat_988": CHAT_988,
    "deaf_988": DEAF_988,
    "text_crisis_text_line": TEXT_CRISIS_TEXT_LINE,
    "call_samhsa": CALL_SAMHSA,
}
