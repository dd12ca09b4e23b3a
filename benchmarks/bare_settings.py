"""Settings for the served benchmark (benchmarks/steps.py --server): the real
settings, plus the bare comparison views of benchmarks/bare_urls.py."""

from project.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bare_urls"
