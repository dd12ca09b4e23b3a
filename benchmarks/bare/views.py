"""A bare Django view: one template of about a check-in step's size, no logic, no query.

The ceiling our pages are compared with in ``scripts/bench``: the same settings,
middleware (sessions, CSRF, CSP, GZip...) and gunicorn, only the view differs.
"""

from django.shortcuts import render


def page(request):
    return render(request, "bare/page.html", {"title": "A bare page"})
