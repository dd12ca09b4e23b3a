"""Staff pages: logged-in members of a site see only their own site's published numbers.

Thin: ``access`` decides who sees which place (404 otherwise), ``selectors``
give the published tables (the one road, read-only), ``dashboard`` lays them out,
``exports`` writes the CSV, and every look at numbers is recorded as an
``AuditEvent``.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django import forms

from django.contrib.auth.decorators import login_required

from questionnaire import languages

from . import access, content, dashboard, exports, periods, selectors
from .models import AuditEvent, StaffSettings


def _threshold() -> int:
    return settings.SUPPRESSION_THRESHOLD


def _place(request, slug):
    place = access.place_for(request.user, slug)
    if place is None:
        raise Http404("No such community.")
    return place


def _published(place) -> list[periods.Period]:
    """Return the place's published periods from its first check-in on, newest first."""
    return selectors.offered_periods(site_key=place.key, threshold=_threshold())


def _tables(place, period):
    """Return a published period's tables (selectors only read: a click never publishes)."""
    return selectors.site_tables(site_key=place.key, period=period, threshold=_threshold())


def _chosen(request, published):
    """Return (period, problem): the period asked for, or why there is nothing to show (stats.periods.choose)."""
    try:
        return periods.choose(request.GET.get("period", ""), published=published, today=timezone.localdate())
    except ValueError:
        raise Http404("No such period.") from None


def _figures(place, period):
    """Return a published period's headline figures (None if it is not published)."""
    found = selectors.headlines(site_keys=[place.key], threshold=_threshold(), periods_by_site={place.key: period})
    return found.get(place.key)


def _board(place, period, published):
    across = selectors.headline_series(site_key=place.key, threshold=_threshold(),
                                       periods_wanted=dashboard.series_periods(period))
    return dashboard.build(_tables(place, period), _figures(place, dashboard.previous(period)),
                           _figures(place, dashboard.year_before(period)), across=across)


def _record(request, place, period, action):
    """Record a look at a period's numbers (a period, or "all" for every offered one);
    a HEAD request gets no numbers, so no record."""
    if request.method == "HEAD":
        return
    label = period if isinstance(period, str) else period.label
    AuditEvent.objects.create(user=request.user, site=place.site, period=label, action=action)


def urls(place) -> dict[str, str]:
    """Return the place's staff URLs (dashboard, print, export; poster for a community)."""
    if place.site is None:
        return {name: reverse(f"stats:{name}_none") for name in ("dashboard", "print", "export", "export_long",
                                                                 "chart")}
    return {name: reverse(f"stats:{name}", args=[place.slug])
            for name in ("dashboard", "print", "export", "export_long", "chart", "poster")}


def site_link(request, site) -> str:
    """Return a community's check-in link: from PUBLIC_URL, the canonical address,
    never the host name this request used (a fallback only where it is not set)."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + site.get_absolute_url()
    return request.build_absolute_uri(site.get_absolute_url())


def _context(request, place, published, **extra):
    link = site_link(request, place.site) if place.site else ""
    choices = [(title, [p for p in published if p.kind == kind])
               for kind, title in ((periods.QUARTER, "Quarters"), (periods.MONTH, "Months"), (periods.YEAR, "Years"))]
    place_urls = urls(place)
    period = extra.get("period")
    chart_url = f"{place_urls['chart']}?period={period.label}" if period is not None else ""
    return {"place": place, "published": published, "choices": [c for c in choices if c[1]], "link": link, "threshold": _threshold(),
            "hidden_label": dashboard.HIDDEN, "urls": place_urls, "chart_url": chart_url, **extra}


@never_cache
@login_required
@require_safe  # GET and HEAD
def home(request):
    places = access.places_for(request.user)
    if len(places) == 1 and not request.user.is_superuser:
        return redirect("stats:dashboard", slug=places[0].slug)
    latest = selectors.latest_quarters(site_keys=[p.key for p in places], threshold=_threshold())
    found = selectors.headlines(site_keys=list(latest), threshold=_threshold(), periods_by_site=latest)
    rows = []
    for place in places:
        period = latest.get(place.key)
        shown = dashboard.figures(period, found.get(place.key, {}), None)[:4] if period else []
        rows.append((place, period, shown, urls(place)))
        if period is not None:
            _record(request, place, period, AuditEvent.Action.VIEW)  # figures were shown: a look like any other
    return render(request, "staff/home.html", {"rows": rows})


@never_cache
@login_required
@require_safe  # GET and HEAD
def dashboard_view(request, slug=None):
    place = _place(request, slug)
    published = _published(place)
    period, problem = _chosen(request, published)
    context = _context(request, place, published, period=period, problem=problem)
    if problem is None:
        context["board"] = _board(place, period, published)
    if period is not None:
        _record(request, place, period, AuditEvent.Action.VIEW)
    return render(request, "staff/dashboard.html", context)


@never_cache
@login_required
@require_safe  # GET and HEAD
def print_view(request, slug=None):
    place, published, period, board = _published_board(request, slug, AuditEvent.Action.PRINT)
    return render(request, "staff/print.html", _context(
        request, place, published, period=period, board=board, published_on=_published_on(place, period),
        printed_on=timezone.localdate(), open_all=True))


@never_cache
@login_required
@require_safe  # GET and HEAD
def export_csv(request, slug=None):
    place, _, period, board = _published_board(request, slug, AuditEvent.Action.CSV)
    return exports.csv_response(board, place=place, published_on=_published_on(place, period),
                                threshold=_threshold())


@never_cache
@login_required
@require_safe  # GET and HEAD
def export_long_csv(request, slug=None):
    """Every offered period's published cells as one tidy CSV (one row per cell)."""
    place = _place(request, slug)
    published = _published(place)
    if not published:
        raise Http404("Nothing is published yet.")
    all_tables = [_tables(place, period) for period in sorted(published)]
    all_tables += selectors.windows(site_key=place.key, threshold=_threshold(), quarters=published)
    _record(request, place, "all", AuditEvent.Action.CSV)
    return exports.long_csv_response(all_tables, place=place)


@never_cache
@login_required
@require_safe  # GET and HEAD
def export_chart(request, slug=None):
    """One chart of a published period as a standalone SVG file (?chart=<its id>)."""
    place = _place(request, slug)
    published = _published(place)
    period, problem = _chosen(request, published)
    if problem is not None:
        raise Http404("That period is not published yet.")
    block = dashboard.find_block(_board(place, period, published), request.GET.get("chart", ""))
    if block is None:
        raise Http404("No such chart.")
    _record(request, place, period, AuditEvent.Action.SVG)
    return exports.svg_response(block, place=place, period=period)


def _published_board(request, slug, action):
    """Return (place, published periods, period, board) for a print or export of a
    published period, recording the look; 404 when the period is not published."""
    place = _place(request, slug)
    published = _published(place)
    period, problem = _chosen(request, published)
    if problem is not None:
        raise Http404("That period is not published yet.")
    board = _board(place, period, published)
    _record(request, place, period, action)
    return place, published, period, board


def _published_on(place, period):
    return selectors.published_on(site_key=place.key, period=period, threshold=_threshold())


@login_required
@require_safe  # GET and HEAD
def poster(request, slug):
    place = _place(request, slug)
    if place.site is None:
        raise Http404("No link without a community.")
    choice = languages.poster_choice(request.GET.get("language", ""))
    sheets = []
    for code in languages.POSTER_CHOICES[choice]:  # each language its own link (/es/c/...)
        with translation.override(code):
            link = site_link(request, place.site)
        sheets.append({"language": code, "link": link, "qr": segno.make(link, error="m").png_data_uri(scale=12, border=4)})
    return render(request, "staff/poster.html", {"place": place, "sheets": sheets, "choice": choice})


@login_required
@require_safe  # GET and HEAD
def protection(request):
    return render(request, "staff/protection.html", {
        "title": content.PROTECTION_TITLE, "sections": content.protection_sections(_threshold())})


class SettingsForm(forms.Form):
    """A staff member's own choices: news of new figures, and where to send it."""

    email = forms.EmailField(label="Your e-mail address", required=False, max_length=254,
                             error_messages={"invalid": "Enter an e-mail address like name@example.org."})
    email_new_figures = forms.BooleanField(label=StaffSettings._meta.get_field("email_new_figures").verbose_name,
                                           required=False,
                                           help_text=StaffSettings._meta.get_field("email_new_figures").help_text)

    def clean(self):
        data = super().clean()
        if data.get("email_new_figures") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", forms.ValidationError(
                "Enter the e-mail address to send the news to.", code="required_for_news"))
        return data


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_view(request):
    """The staff member's own choices: e-mail me when new figures are published."""
    own = StaffSettings.objects.filter(user=request.user).first()
    initial = {"email": request.user.email, "email_new_figures": bool(own and own.email_new_figures)}
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        request.user.email = form.cleaned_data["email"]
        request.user.save(update_fields=["email"])
        StaffSettings.objects.update_or_create(
            user=request.user, defaults={"email_new_figures": form.cleaned_data["email_new_figures"]})
        return redirect(reverse("stats:settings") + "?saved=1")
    return render(request, "staff/settings.html", {
        "form": form, "saved": request.GET.get("saved") == "1",
        "mail_on": "default" in settings.MAILERS and bool(settings.PUBLIC_URL),
        "places": access.places_for(request.user)})
