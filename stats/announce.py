"""Tell staff who asked that new figures are published for their community.

One e-mail per person and run, through Django's e-mail framework: the community,
the new periods' names and a link to the dashboard. No number is ever in it (a
mail leaves our protection: it is forwarded, stored and read on other devices).
Called once at the end of ``manage.py publish`` with what that run made.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse

from questionnaire.models import Site

from . import periods


def _newest_first(labels) -> list[periods.Period]:
    found = []
    for label in set(labels):
        try:
            period = periods.parse(label)
        except ValueError:
            continue  # a publication that is not a calendar period (none is announced on its own)
        if period.kind != periods.WINDOW:  # a rolling window is read inside its quarter
            found.append(period)
    return sorted(found, key=lambda p: (p.end, -len(p.label)), reverse=True)


def messages(made) -> list[tuple[str, str, str, list[str]]]:
    """Return the e-mails to send for a run's new publications (``made``: Publication
    objects): (subject, body, sender, [recipient]) each. Periods with no check-ins
    (a new community's catch-up) are no news."""
    if not settings.PUBLIC_URL or "default" not in settings.MAILERS:
        return []  # no link to give, or no way to send
    by_site: dict[int, list[str]] = {}
    for pub in made:
        own = ((pub.data or {}).get("derived") or {}).get(pub.period) or {}
        if pub.site_key and own.get("checkins") != 0:  # "no community" has no members; no check-ins, no news
            by_site.setdefault(pub.site_key, []).append(pub.period)
    out = []
    for site in Site.objects.filter(pk__in=by_site):
        new = _newest_first(by_site[site.pk])
        if not new:
            continue
        link = f"{settings.PUBLIC_URL}{reverse('stats:dashboard', args=[site.slug])}?period={new[0].label}"
        names = ", ".join(p.title for p in new[:6]) + (" and more" if len(new) > 6 else "")
        people = get_user_model().objects.filter(
            is_active=True, memberships__site=site, staff_settings__email_new_figures=True).exclude(email="")
        for person in people.distinct():
            body = (f"Hello,\n\nNew figures for {site.name} are ready: {names}.\n\n"
                    f"See them here (you may need to log in):\n{link}\n\n"
                    "This e-mail has no numbers in it on purpose. To stop these e-mails, untick the box "
                    "on your staff settings page.\n")
            out.append((f"New figures for {site.name}", body, settings.DEFAULT_FROM_EMAIL, [person.email]))
    return out


def announce(made) -> int:
    """Send the e-mails for a run's new publications; return how many were sent."""
    found = messages(made)
    return send_mass_mail(found, fail_silently=False) if found else 0

