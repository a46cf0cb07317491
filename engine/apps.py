from django.apps import AppConfig


class EngineConfig(AppConfig):
    """State machines, executions and their durable runtime (the interpreter is engine.asl)."""

    name = "engine"
    verbose_name = "Workflow engine"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Task handlers register on import; every process (web, worker, scheduler, manage.py
        # commands) must see the same registry, so load them with the app, not by accident:
        # the samples', the HTTP task and STEPSTUDIO_HANDLERS (ImproperlyConfigured if one
        # does not import).
        from engine import handler_modules

        handler_modules.load()
        # A handler answering a `.waitForTaskToken` task (engine.asl.handlers.send_task_*)
        # reaches the same SendTaskSuccess/Failure/Heartbeat as the API.
        from engine import services
        from engine.asl import handlers

        handlers.set_callback_sink(services.TaskCallbacks())
        # Task tokens are keyed with the server's secret, the same in every process.
        from engine.asl import task_tokens
        from engine.runtime import config

        task_tokens.set_secret(config.task_token_secret())
        # A Task with no mock and no handler calls the real AWS service when the operator
        # turned that on (STEPSTUDIO_AWS_INTEGRATIONS; engine/aws_calls.py).
        from engine import aws_calls

        handlers.set_fallback_invoker(aws_calls.fallback)
        # The state machine's last-execution pointer follows new executions (home page).
        from engine.machines import rollups  # noqa: F401
        # A nested execution's end answers its parent, and a parent's end stops its `.sync`
        # children, in whichever process changed the status (web, worker, scheduler).
        from engine.runtime import nested  # noqa: F401
        # A schedule may target an alias: it routes by the alias's weights at each firing.
        from engine import aliases
        from engine.schedules import targets

        targets.register_alias_resolver(aliases.schedule_resolver)
