"""WSGI entry point of the bare view (gunicorn benchmarks.bare.wsgi, from scripts/bench only)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bare.settings"
application = get_wsgi_application()
