"""What the served benchmark asks of each page: the wrk targets (every page checked
once with the shared client first) and the bytes a first visit costs on the wire."""

from __future__ import annotations

import re
import urllib.parse

from harness.client import Browser, FlowError, expect, token_of

from .checkins import STEPS, step_fields
from .wrk import Target

def page_targets(port: int, ready: list[Browser], submitted: list[Browser], staff: Browser | None, staff_paths: dict,
                 answer_sets: list) -> list[Target]:
    """Return what wrk will request of our app, each checked once with the Python client first."""
    cookies = [b.cookie_header() for b in ready]
    targets = [Target("landing", port, "/")]
    expect(Browser(port, https=True).get("/"), 200, "landing")
    for slug, _ in STEPS:
        path = f"/checkin/{slug}/"
        r = expect(ready[0].get(path), 200, path)
        if "csrfmiddlewaretoken" not in r.text:
            raise FlowError(f"{path} shows no form")
        targets.append(Target(f"step {slug} GET", port, path, cookies=cookies))
    # A step POST: the pain step's radios and checkboxes, valid, saved in the session, 302 onwards.
    bodies = []
    for i, b in enumerate(ready):
        page = b.get("/checkin/pain/")
        data = {"csrfmiddlewaretoken": token_of(page), "action": "next", **step_fields("pain", answer_sets[i])}
        bodies.append(urllib.parse.urlencode(data, doseq=True))
    r = ready[0].request("POST", "/checkin/pain/", urllib.parse.parse_qs(bodies[0]))
    expect(r, 302, "step pain POST")
    targets.append(Target("step pain POST", port, "/checkin/pain/", "POST", cookies=cookies, bodies=bodies))
    expect(ready[0].get("/checkin/review/"), 200, "review")
    targets.append(Target("review", port, "/checkin/review/", cookies=cookies))
    expect(submitted[0].get("/checkin/results/"), 200, "results")
    targets.append(Target("results", port, "/checkin/results/", cookies=[b.cookie_header() for b in submitted]))
    for label, path in staff_paths.items():
        expect(staff.get(path), 200, label)
        targets.append(Target(label, port, path, cookies=[staff.cookie_header()]))
    return targets


ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="(/[^"]+)"')


def wire_bytes(port: int, ready: Browser, submitted: Browser, staff: Browser | None, staff_paths: dict) -> list[dict]:
    """Return bytes on the wire per page, gzip accepted, and with the page's CSS/JS on a first visit."""
    pages = [("landing", Browser(port, https=True), "/")]
    pages += [(f"step {slug}", ready, f"/checkin/{slug}/") for slug, _ in STEPS]
    pages += [("review", ready, "/checkin/review/"), ("results", submitted, "/checkin/results/"),
              ("crisis", Browser(port, https=True), "/checkin/crisis/"), ("about", Browser(port, https=True), "/about/")]
    pages += [(label, staff, path) for label, path in staff_paths.items()]
    out = []
    for name, b, path in pages:
        r = expect(b.get(path), 200, name)
        assets = 0
        for asset in dict.fromkeys(ASSET.findall(r.text)):
            a = Browser(port, https=True).get(asset)
            assets += a.wire if a.status == 200 else 0
        out.append({"page": name, "html": r.wire, "html_raw": len(r.text.encode()), "assets": assets,
                    "first": r.wire + assets, "individual": not name.startswith(("staff", "CSV"))})
    return out

