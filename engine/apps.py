from django.apps import AppConfig


class EngineConfig(AppConfig):
    """State machines, executions and their durable runtime (the interpreter is engine.asl)."""

    name = "engine"
    verbose_name = "Workflow engine"
    default_auto_field = "django.db.models.BigAutoField"
