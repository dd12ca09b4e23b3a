"""The step order and the session store of a check-in in progress.

This is the one module that reads or writes the check-in's part of the session.
Answers stay here, on the server, until the person submits: nothing goes into
URLs or hidden fields.
"""

from __future__ import annotations

from . import instruments as ins
from .sessions import IN_BROWSER

SESSION_KEY = "checkin"
STEP_SLUGS = tuple(step.slug for step in ins.STEPS)


class NoCheckIn(Exception):
    """The session holds no check-in: it expired, was cleared, or never began."""


def start(session, *, site_slug: str | None) -> None:
    """Begin a fresh check-in for a site (or none), dropping any earlier one."""
    session.cycle_key()  # a new session key for a new check-in
    session.pop(IN_BROWSER, None)  # an in-progress check-in is kept on the server
    session[SESSION_KEY] = {"site": site_slug, "steps": {}, "privacy": None}


def _state(session) -> dict:
    state = session.get(SESSION_KEY)
    if not isinstance(state, dict):
        raise NoCheckIn
    return state


def has_checkin(session) -> bool:
    return isinstance(session.get(SESSION_KEY), dict)


def site_slug(session) -> str | None:
    return _state(session)["site"]


def privacy(session) -> str | None:
    return _state(session)["privacy"]


def step_number(slug: str) -> int:
    """Return the 1-based position of a step ("Step 2 of 7")."""
    return STEP_SLUGS.index(slug) + 1


def next_step(slug: str) -> str | None:
    index = STEP_SLUGS.index(slug)
    return STEP_SLUGS[index + 1] if index + 1 < len(STEP_SLUGS) else None


def previous_step(slug: str) -> str | None:
    index = STEP_SLUGS.index(slug)
    return STEP_SLUGS[index - 1] if index > 0 else None


def after_step(slug: str, cleaned: dict, *, back: bool, from_review: bool) -> tuple[str, str | None]:
    """Return where a saved step leads: ("crisis", None), ("review", None) or ("step", slug).

    A "yes" to the safety question always goes to the crisis page first.
    """
    if cleaned.get("safety") == "yes":
        return ("crisis", None)
    if back and previous_step(slug):
        return ("step", previous_step(slug))
    if from_review or next_step(slug) is None:
        return ("review", None)
    return ("step", next_step(slug))


def initial(session, slug: str) -> dict:
    """Return the saved answers of one step, to fill its form again."""
    state = _state(session)
    if slug == "privacy":
        return {"privacy": state["privacy"]} if state["privacy"] else {}
    return dict(state["steps"].get(slug, {}))


def save_step(session, slug: str, cleaned: dict) -> None:
    """Keep one step's cleaned answers (replacing what that step held before)."""
    state = _state(session)
    if state.get("submitted"):
        # A submitted check-in is final; changing it now would make the results
        # page disagree with what was stored.
        return
    if slug == "privacy":
        state["privacy"] = cleaned["privacy"]
    else:
        state["steps"][slug] = dict(cleaned)
    session.modified = True


def answers(session) -> dict:
    """Return every answer given so far as one flat mapping (see ``scoring``)."""
    flat: dict = {}
    for slug in STEP_SLUGS[1:]:
        flat.update(_state(session)["steps"].get(slug, {}))
    return flat


def visited(session, slug: str) -> bool:
    state = _state(session)
    return state["privacy"] is not None if slug == "privacy" else slug in state["steps"]


def first_unvisited(session) -> str | None:
    """Return the first step not yet saved, or None when every step has been."""
    return next((slug for slug in STEP_SLUGS if not visited(session, slug)), None)


def claim(session) -> bool:
    """Take this check-in's server copy away; return True only for the first caller.

    Call it inside the transaction that saves a shared check-in: of two
    concurrent submits of one check-in only one gets True, and once the
    transaction commits no session row of this browser is left beside the new
    check-in row. (Keep-only check-ins call it too: nothing stays on the server.)
    """
    return session.claim_server_row()


def mark_submitted(session) -> None:
    """Mark the check-in submitted; from now on it lives only in the person's cookie."""
    state = _state(session)
    state["submitted"] = True
    session[IN_BROWSER] = True
    session.modified = True


def is_submitted(session) -> bool:
    return bool(_state(session).get("submitted"))


def end(session) -> None:
    """Forget the check-in entirely: the session row is deleted, the cookie dropped."""
    session.flush()
