"""Bare Django views: a page's HTML inside our base.html, no logic, no query.

The ceiling our pages are compared with in ``scripts/bench``: the same settings,
middleware (sessions, CSRF, CSP, GZip...) and gunicorn, only the view differs.

``page``: one rendered check-in step (``templates/bare/page.html``), for
``scripts/bench serving``. ``named``: the page ``scripts/bench steps`` wrote for
each of our pages (``<name>.html`` in the folder ``BARE_TEMPLATES_DIR`` names: a
template that extends base.html around that page's <main>), so each page is
compared with a bare page of its own size; ``named_session`` also reads the
session, the one query a step cannot do without.
"""

import os
from pathlib import Path

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import engines

_templates = {}


def page(request):
    return render(request, "bare/page.html", {"title": "A bare page"})


def named(request, name):
    if name not in _templates:
        source = Path(os.environ["BARE_TEMPLATES_DIR"], f"{name}.html")
        if not source.is_file():
            raise Http404
        _templates[name] = engines["django"].from_string(source.read_text())
    return HttpResponse(_templates[name].render({}, request))


def named_session(request, name):
    request.session.get("checkin")
    return named(request, name)
