from django.apps import AppConfig


class DesignerConfig(AppConfig):
    """The visual state-machine editor (pages here, TypeScript in designer/frontend/)."""

    name = "designer"
    verbose_name = "Designer"
