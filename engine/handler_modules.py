"""Loading the code Task states call: the samples' handlers, the HTTP task and the user's own.

Every process — web (palette, TestState), Celery workers, the scheduler, `manage.py` — runs
`load()` from `EngineConfig.ready()`, so all of them see the same registry:

* `STEPSTUDIO_HANDLERS`: dotted modules or packages, imported; a package with every module
  in it (but `_private` and test modules). Their `@task_handler` / `register_lambda` calls
  register the handlers.
* `STEPSTUDIO_LAMBDA_FUNCTIONS`: `name=module:function` (or Lambda's own `module.function`)
  entries: unchanged AWS Lambda handlers registered as Lambda functions `name`.
* `STEPSTUDIO_SAMPLES` (default true): the samples' handlers (and, in `workflows
  load-samples`, their definitions).

Anything that cannot be imported, or two pieces of code registering one name, stops start-up
with ImproperlyConfigured naming the module and the error: a handler missing at run time
would fail executions long after the deploy that broke it.
"""
from __future__ import annotations

import importlib
import pkgutil
import traceback

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from engine.asl import handlers

SAMPLE_HANDLERS = "engine.samples.handlers"
BUILT_IN = ("engine.runtime.http_task",)


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def handler_modules() -> list[str]:
    return _as_list(getattr(settings, "STEPSTUDIO_HANDLERS", None))


def lambda_functions() -> list[str]:
    return _as_list(getattr(settings, "STEPSTUDIO_LAMBDA_FUNCTIONS", None))


def samples_enabled() -> bool:
    return bool(getattr(settings, "STEPSTUDIO_SAMPLES", True))


def _failure(setting: str, what: str, exc: BaseException) -> ImproperlyConfigured:
    # The last frame of the traceback says where in the user's code the import broke.
    where = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    at = f" (at {where[0].filename}:{where[0].lineno})" if where else ""
    return ImproperlyConfigured(
        f"{setting}: cannot import {what!r}: {type(exc).__name__}: {exc}{at}")


def _skipped(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last.startswith("_") or last in ("tests", "test", "conftest") \
        or last.startswith("test_")


def import_handler_module(dotted: str, setting: str = "STEPSTUDIO_HANDLERS") -> list[str]:
    """Import a module, or a package with its modules; the names imported."""
    try:
        module = importlib.import_module(dotted)
    except Exception as exc:
        raise _failure(setting, dotted, exc) from exc
    done = [dotted]
    for info in pkgutil.iter_modules(getattr(module, "__path__", None) or []):
        if not _skipped(info.name):
            done += import_handler_module(f"{dotted}.{info.name}", setting)
    return done


def parse_lambda_entry(entry: str) -> tuple[str, str, str]:
    """`name=module:function` or `name=module.function` → (name, module, function)."""
    name, sep, target = (part.strip() for part in entry.partition("="))
    if sep and ":" in target:
        module, _, attr = target.rpartition(":")
    elif sep:
        module, _, attr = target.rpartition(".")
    else:
        module = attr = ""
    if not (name and module and attr):
        raise ImproperlyConfigured(
            f"STEPSTUDIO_LAMBDA_FUNCTIONS: {entry!r} is not NAME=module:function "
            f"(e.g. create-task=myapp.create_task:lambda_handler)")
    return name, module, attr


def register_lambda_entry(entry: str) -> str:
    name, module_name, attr = parse_lambda_entry(entry)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise _failure("STEPSTUDIO_LAMBDA_FUNCTIONS", module_name, exc) from exc
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise ImproperlyConfigured(
            f"STEPSTUDIO_LAMBDA_FUNCTIONS: {module_name!r} has no function {attr!r} "
            f"(entry {entry!r})")
    try:
        handlers.register_lambda(name, fn)
    except ValueError as exc:
        raise ImproperlyConfigured(f"STEPSTUDIO_LAMBDA_FUNCTIONS: {entry!r}: {exc}") from None
    return name


def load() -> None:
    """Import every handler module this process must know; ImproperlyConfigured if one fails."""
    seen = len(handlers.CONFLICTS)
    for dotted in BUILT_IN:
        importlib.import_module(dotted)
    if samples_enabled():
        importlib.import_module(SAMPLE_HANDLERS)
    for dotted in handler_modules():
        import_handler_module(dotted)
    for entry in lambda_functions():
        register_lambda_entry(entry)
    conflicts = handlers.CONFLICTS[seen:]
    if conflicts:
        name, first, second = conflicts[0]
        raise ImproperlyConfigured(
            f"task handler {name!r} is registered twice: by {first} and by {second} "
            f"(a name calls one function; STEPSTUDIO_SAMPLES=false leaves the samples' out)")
