"""The crisis lines every page offers, each address written once.

The safety frame, the top bar, the help buttons, the 503 page, the admin's
emergency line and the 988 results card all link to these; templates write them
with ``{% crisis "call_988" %}`` (``templatetags/checkin.py``), which needs no
context, so the 500 page can use it too. On a Spanish page the same name gives
the line's Spanish route where it has one (``address``).

Where each route is documented (checked 2026-12):
* 988 by phone offers Spanish as option 2 ("press 2"), and by text the keyword
  AYUDA connects to a Spanish-speaking counselor (988lifeline.org, "What to
  expect"); its text and chat have been in Spanish since July 2023 (HHS), the
  Spanish site being 988lineadevida.org.
* Crisis Text Line answers in Spanish to AYUDA at 741741 (crisistextline.org,
  2021; its 2023 release).
* SAMHSA's National Helpline, 1-800-662-4357, answers in English and Spanish:
  referrals and information, not crisis counselling (samhsa.gov).
* 911 is 911 in every language.
"""

CALL_911 = "tel:911"
CALL_988 = "tel:988"  # in Spanish: then press 2 (said in words: a dialled pause is not reliable)
TEXT_988 = "sms:988"
TEXT_988_SPANISH = "sms:988?&body=AYUDA"  # text AYUDA to 988
CHAT_988 = "https://988lifeline.org/chat"
CHAT_988_SPANISH = "https://988lineadevida.org/"  # 988's site in Spanish, with its chat
DEAF_988 = "https://988lifeline.org/help-yourself/for-deaf-hard-of-hearing/"
TEXT_CRISIS_TEXT_LINE = "sms:741741?&body=HOME"  # text HOME to 741741
TEXT_CRISIS_TEXT_LINE_SPANISH = "sms:741741?&body=AYUDA"  # text AYUDA to 741741
CALL_SAMHSA = "tel:18006624357"  # SAMHSA's National Helpline: referrals, not a crisis line

# By the names templates use.
ADDRESSES = {
    "call_911": CALL_911,
    "call_988": CALL_988,
    "text_988": TEXT_988,
    "text_988_spanish": TEXT_988_SPANISH,
    "chat_988": CHAT_988,
    "chat_988_spanish": CHAT_988_SPANISH,
    "deaf_988": DEAF_988,
    "text_crisis_text_line": TEXT_CRISIS_TEXT_LINE,
    "text_crisis_text_line_spanish": TEXT_CRISIS_TEXT_LINE_SPANISH,
    "call_samhsa": CALL_SAMHSA,
}

# A line's own route in a language, where it has one: on a Spanish page "text 988"
# sends AYUDA, and the chat opens 988's Spanish site.
IN_LANGUAGE = {
    "es": {
        "text_988": TEXT_988_SPANISH,
        "chat_988": CHAT_988_SPANISH,
        "text_crisis_text_line": TEXT_CRISIS_TEXT_LINE_SPANISH,
    },
}


def address(name: str, language: str) -> str:
    """Return the address of a crisis line for a page in ``language`` (an unknown name fails loudly)."""
    default = ADDRESSES[name]
    return IN_LANGUAGE.get(language, {}).get(name, default)


def localise(href: str, language: str) -> str:
    """Return a crisis line's route for a page in ``language``, given its English
    address (the results cards carry those); any other address is returned as it is."""
    for name, default in ADDRESSES.items():
        if default == href:
            return address(name, language)
    return href
