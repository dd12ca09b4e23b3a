"""The app's URLs plus /bare/<name>/: a bare Django template view per page.

Each bare page renders, through Django's template engine, a template that extends
our base.html around the HTML that page produced inside <main> (written by
benchmarks/steps.py to the folder named by BARE_TEMPLATES_DIR): the same frame and
size, without a form, a session read or a query.
"""

import os
from pathlib import Path

from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import path

from project.urls import urlpatterns as app_urlpatterns

_templates = {}


def bare(request, name):
    if name not in _templates:
        source = Path(os.environ["BARE_TEMPLATES_DIR"], f"{name}.html")
        if not source.is_file():
            raise Http404
        _templates[name] = engines["django"].from_string(source.read_text())
    return HttpResponse(_templates[name].render({}, request))


def bare_session(request, name):
    request.session.get("checkin")  # the one query a step cannot do without
    return bare(request, name)


urlpatterns = [path("bare/<str:name>/", bare), path("bare-session/<str:name>/", bare_session)] + app_urlpatterns
