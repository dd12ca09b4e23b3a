"""A bare Django view: a check-in step's HTML inside our base.html, no logic, no query.

The ceiling our pages are compared with in ``scripts/bench``: the same settings,
middleware (sessions, CSRF, CSP, GZip...) and gunicorn, only the view differs.
"""

from django.shortcuts import render


def page(request):
    return render(request, "bare/page.html", {"title": "A bare page"})
