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
