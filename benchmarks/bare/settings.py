"""The bare view's settings: the app's own production settings, with only its tiny URLs.

Served by ``scripts/bench`` with the same gunicorn build and configuration as the
app, on a port of its own; the product's URLs never include it.
"""

from project.settings import *  # noqa: F403
from project.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "benchmarks.bare.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [BASE_DIR / "benchmarks" / "bare" / "templates", *TEMPLATES[0]["DIRS"]]}]
