"""Staff pages: logged-in members of a site see only their own sites."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import access


@login_required
@require_safe  # GET and HEAD
def home(request):
    sites = access.sites_for(request.user)
    links = [(site, request.build_absolute_uri(site.get_absolute_url())) for site in sites]
    return render(request, "staff/home.html", {"links": links})
