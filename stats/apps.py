from django.apps import AppConfig


class StatsConfig(AppConfig):
    """The community's numbers: rollups -> published, protected tables -> staff pages."""

    name = "stats"
    verbose_name = "Community statistics"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
