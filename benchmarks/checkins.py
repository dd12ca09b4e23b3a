"""A person's check-in as the served benchmark makes it, through the shared client:
the form data of each step from synthetic answers, begin, answer, finish, and
browsers made ready for the pages measured under wrk."""

from __future__ import annotations

import re

from harness.client import Browser, FlowError, Response, expect, token_of

STEPS: list[tuple[str, list[tuple[str, str]]]] = []  # (slug, [(field name, kind)]), filled by load_steps()


def load_steps() -> None:
    """Read the steps and their fields from the app's forms (after django.setup())."""
    from questionnaire.forms import FORMS

    STEPS[:] = [(slug, [(name, type(f).__name__) for name, f in form().fields.items()]) for slug, form in FORMS.items()]


def step_fields(slug: str, answers: dict) -> dict:
    data: dict = {}
    for name, kind in dict(STEPS)[slug]:
        if name == "privacy":
            data[name] = "share"
            continue
        value = answers.get(name)
        if name == "safety" and value == "yes":
            value = None  # a "yes" leads to the crisis page; the measured flow is the usual one
        if value is None or value == []:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def begin(b: Browser, **kw) -> None:
    landing = expect(b.get("/", **kw), 200, "landing")
    r = b.post("/", {"csrfmiddlewaretoken": token_of(landing)}, **kw)
    expect(r, 302, "start")


def answer_step(b: Browser, slug: str, answers: dict, **kw) -> None:
    page = expect(b.get(f"/checkin/{slug}/", **kw), 200, f"step {slug}")
    data = {"csrfmiddlewaretoken": token_of(page), "action": "next", **step_fields(slug, answers)}
    expect(b.post(f"/checkin/{slug}/", data, **kw), 302, f"save step {slug}")


def finish(b: Browser, **kw) -> Response:
    review = expect(b.get("/checkin/review/", **kw), 200, "review")
    expect(b.post("/checkin/submit/", {"csrfmiddlewaretoken": token_of(review)}, **kw), 302, "submit")
    return expect(b.get("/checkin/results/", **kw), 200, "results")


def prepare_sessions(port: int, answer_sets: list, n: int, *, submitted: bool) -> list[Browser]:
    """Return n browsers with every step answered (and submitted, if asked)."""
    out = []
    for i in range(n):
        b = Browser(port, https=True)
        begin(b)
        for slug, _ in STEPS:
            answer_step(b, slug, answer_sets[i % len(answer_sets)])
        if submitted:
            finish(b)
        out.append(b)
    return out


def two_instances(port_a: int, port_b: int, answers: dict) -> tuple[bool, str]:
    from questionnaire.models import CheckIn

    before = CheckIn.objects.count()
    b = Browser(port_a, https=True)
    try:
        begin(b)
        for slug, _ in STEPS[:3]:
            answer_step(b, slug, answers)
        for slug, _ in STEPS[3:]:
            answer_step(b, slug, answers, port=port_b)
        results = finish(b, port=port_b)
    except FlowError as error:
        return False, str(error)
    after = CheckIn.objects.count()
    if after != before + 1:
        return False, f"{after - before} check-ins saved, expected 1"
    if not re.search(r"<h1[^>]*>\s*Your results", results.html):
        return False, "the second instance did not show the results page"
    return True, (f"began and answered 3 steps on :{port_a}, answered 4 steps, reviewed, submitted and saw the "
                  f"results on :{port_b}; 1 check-in saved")
