"""System checks: refuse to start with settings that would weaken privacy."""

from django.conf import settings
from django.core import checks

MINIMUM_THRESHOLD = 11  # the CMS cell-size rule


@checks.register(checks.Tags.security)
def suppression_threshold(app_configs, **kwargs):
    threshold = settings.SUPPRESSION_THRESHOLD
    if threshold < MINIMUM_THRESHOLD:
        return [
            checks.Error(
                f"SUPPRESSION_THRESHOLD is {threshold}; it may be raised but never set below "
                f"{MINIMUM_THRESHOLD}.",
                id="questionnaire.E001",
            )
        ]
    return []
