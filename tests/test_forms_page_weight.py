"""Page weight (issue 12): a first visit to any page of the individual side costs at
most 60 KB on the wire, compressed, with every stylesheet and script it links; and
the trimmed Bootstrap build still holds every Bootstrap class our templates use."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from questionnaire.instruments import STEPS

from .conftest import answer_all, start_checkin

pytestmark = pytest.mark.django_db

LIMIT = 60 * 1024
ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "static" / "vendor" / "bootstrap"


def first_visit_bytes(html: str) -> int:
    """Gzip size of the page plus every stylesheet and script it links (as served)."""
    total = len(gzip.compress(html.encode(), 6))
    refs = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert refs, "the page links no stylesheet"
    for ref in refs:
        total += len(gzip.compress(Path(finders.find(ref)).read_bytes(), 6))
    return total


def individual_pages(client, site):
    yield "landing", client.get("/")
    start_checkin(client, site)
    for step in STEPS:
        yield f"step {step.slug}", client.get(f"/checkin/{step.slug}/")
    yield "error state", client.post("/checkin/medicines/", {"medicines": ["none", "otc"]})
    answer_all(client)
    yield "review", client.get("/checkin/review/")
    yield "crisis", client.get("/checkin/crisis/")
    assert client.post("/checkin/submit/").status_code == 302
    yield "results", client.get("/checkin/results/")
    yield "about", client.get("/about/")


def test_every_individual_page_is_light_on_a_first_visit(client, site):
    weights = {}
    for name, response in individual_pages(client, site):
        assert response.status_code == 200, name
        weights[name] = first_visit_bytes(response.content.decode())
    print({name: f"{size / 1024:.1f} KB" for name, size in weights.items()})
    heavy = {name: size for name, size in weights.items() if size > LIMIT}
    assert not heavy, heavy


def test_pages_link_the_trimmed_bootstrap_not_the_whole_file(client):
    html = client.get("/").content.decode()
    assert "vendor/bootstrap/bootstrap.trimmed.min.css" in html
    assert "vendor/bootstrap/bootstrap.min.css" not in html


def test_trimmed_bootstrap_keeps_its_licence_and_every_class_we_use():
    whole = (VENDOR / "bootstrap.min.css").read_text()
    trimmed = (VENDOR / "bootstrap.trimmed.min.css").read_text()
    assert "Licensed under MIT" in trimmed[:400]
    assert len(trimmed) < len(whole) / 3
    bootstrap_classes = set(re.findall(r"\.([a-zA-Z][\w-]*)", whole))
    kept = set(re.findall(r"\.([a-zA-Z][\w-]*)", trimmed))
    used = set()
    for template in (ROOT / "templates").rglob("*.html"):
        for attribute in re.findall(r'class="([^"]*)"', template.read_text()):
            # Only the literal words: template tags inside the attribute are skipped.
            used.update(re.sub(r"\{[{%].*?[%}]\}", " ", attribute).split())
    assert len(used & bootstrap_classes) > 20, "the template scan found too few Bootstrap classes"
    missing = sorted(c for c in used & bootstrap_classes if c not in kept)
    assert not missing, f"re-run scripts/trim-bootstrap and commit its output; missing: {missing}"
