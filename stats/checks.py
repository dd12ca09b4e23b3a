"""System checks: refuse to start with settings that would weaken privacy."""

from django.conf import settings
from django.core import checks

from .disclosure import check_threshold


@checks.register(checks.Tags.security)
def suppression_threshold(app_configs, **kwargs):
    try:
        check_threshold(settings.SUPPRESSION_THRESHOLD)
    except ValueError as error:
        return [
            checks.Error(
                f"SUPPRESSION_THRESHOLD: {error} It may be raised, never lowered.",
                id="stats.E001",
            )
        ]
    return []


@checks.register()
def public_url(app_configs, **kwargs):
    """The poster and e-mails take their links from PUBLIC_URL, never a request's host."""
    from urllib.parse import urlsplit

    url = settings.PUBLIC_URL
    if not url:
        if settings.DEBUG:
            return []
        return [checks.Warning(
            "PUBLIC_URL is not set: the poster's link follows the host name each request used, "
            "and no e-mail about new figures can carry a link.",
            hint="Set PUBLIC_URL to the site's address, e.g. https://checkin.example.org.", id="stats.W002")]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
        return [checks.Error(f"PUBLIC_URL must be a scheme and a host only, like https://checkin.example.org, "
                             f"not {url!r}.", id="stats.E002")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def public_url_https(app_configs, **kwargs):
    if settings.PUBLIC_URL and not settings.PUBLIC_URL.startswith("https://"):
        return [checks.Warning("PUBLIC_URL should start with https:// in production.", id="stats.W003")]
    return []
