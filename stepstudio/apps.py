from django.apps import AppConfig


class StepStudioConfig(AppConfig):
    """The project package as an app: its management commands, templates tags and tasks."""

    name = "stepstudio"
    verbose_name = "StepStudio"
