from django.apps import AppConfig


class QuestionnaireConfig(AppConfig):
    name = "questionnaire"
    verbose_name = "Pain & Connection Check-in"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
