"""STEPSTUDIO_HANDLERS, STEPSTUDIO_LAMBDA_FUNCTIONS and STEPSTUDIO_SAMPLES (engine.handler_modules).

Handler packages are written by the tests into a temporary directory outside the
repository, as a user's own code would be; start-up failures are checked on the real
processes (manage.py, a Celery worker, daphne, the scheduler).
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from engine import handler_modules
from engine.asl import handlers
from tests.support import MANAGE_PY, REPO, child_env, free_port, run_python

pytestmark = pytest.mark.django_db


def write_package(root, name: str, files: dict[str, str]) -> str:
    for rel, text in files.items():
        path = root / name / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return name


@pytest.fixture
def user_code(tmp_path, monkeypatch):
    """A directory on sys.path for the test's packages; their handlers unregistered after."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(handlers.handlers())
    modules = set(sys.modules)
    yield tmp_path
    for name in set(handlers.handlers()) - before:
        handlers.unregister(name)
    for name in set(sys.modules) - modules:
        sys.modules.pop(name, None)


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def test_a_package_is_imported_with_its_modules_but_not_private_or_test_ones(user_code):
    pkg = write_package(user_code, unique("billing"), {
        "__init__.py": "",
        "invoices.py": """
            from engine.asl import task_handler

            @task_handler("send-invoice", description="Send the invoice")
            def send(payload):
                return {"sent": payload["id"]}
        """,
        "media/__init__.py": "",
        "media/resize.py": """
            from engine.asl import task_handler

            @task_handler("resize", queue="media")
            def resize(payload):
                return payload
        """,
        "_scratch.py": "raise SystemExit('private modules are not imported')",
        "tests/__init__.py": "raise SystemExit('test packages are not imported')",
        "test_invoices.py": "raise SystemExit('test modules are not imported')",
    })
    imported = handler_modules.import_handler_module(pkg)
    assert imported == [pkg, f"{pkg}.invoices", f"{pkg}.media", f"{pkg}.media.resize"]
    assert handlers.get_handler("send-invoice").description == "Send the invoice"
    assert handlers.get_handler("resize").queue == "media"


def test_a_module_that_fails_to_import_is_improperly_configured_naming_it(user_code):
    pkg = write_package(user_code, unique("broken"), {
        "__init__.py": "",
        "handlers.py": "import pillow_that_is_not_installed\n",
    })
    with pytest.raises(ImproperlyConfigured) as caught:
        handler_modules.import_handler_module(pkg)
    text = str(caught.value)
    assert f"STEPSTUDIO_HANDLERS: cannot import '{pkg}.handlers'" in text
    assert "ModuleNotFoundError: No module named 'pillow_that_is_not_installed'" in text
    assert "handlers.py:1" in text


def test_a_missing_module_is_improperly_configured(user_code):
    with pytest.raises(ImproperlyConfigured, match="cannot import 'no_such_pkg_x': ModuleNotFoundError"):
        with override_settings(STEPSTUDIO_HANDLERS=["no_such_pkg_x"]):
            handler_modules.load()


def test_lambda_functions_register_unchanged(user_code):
    mod = write_package(user_code, unique("lambdas"), {
        "__init__.py": "",
        "create_task.py": """
            def lambda_handler(event, context):
                return {"taskId": "t-1", "by": context.function_name}
        """,
    })
    entries = [f"create-task-x={mod}.create_task:lambda_handler",
               f"create-task-y={mod}.create_task.lambda_handler"]  # Lambda's own handler syntax
    with override_settings(STEPSTUDIO_LAMBDA_FUNCTIONS=",".join(entries)):
        handler_modules.load()
    for name in ("create-task-x", "create-task-y"):
        assert handlers.get_handler(name).lambda_style
        assert handlers.get_handler(name).fn.__module__ == f"{mod}.create_task"


@pytest.mark.parametrize("entry, message", [
    ("no-equals-sign", "is not NAME=module:function"),
    ("name=", "is not NAME=module:function"),
    ("x=json:no_such_function", "'json' has no function 'no_such_function'"),
    ("x=no_such_module_y:fn", "cannot import 'no_such_module_y'"),
])
def test_bad_lambda_entries_are_improperly_configured(entry, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        with override_settings(STEPSTUDIO_LAMBDA_FUNCTIONS=[entry]):
            handler_modules.load()


def test_two_modules_registering_one_name_stop_start_up(user_code):
    one = write_package(user_code, unique("one"), {"__init__.py": """
        from engine.asl import task_handler

        @task_handler("same-name")
        def first(payload):
            return 1
    """})
    two = write_package(user_code, unique("two"), {"__init__.py": """
        from engine.asl import task_handler

        @task_handler("same-name")
        def second(payload):
            return 2
    """})
    with pytest.raises(ImproperlyConfigured, match="'same-name' is registered twice"):
        with override_settings(STEPSTUDIO_HANDLERS=f"{one},{two}"):
            handler_modules.load()


# -- every process, for real ---------------------------------------------------------------

BROKEN = {"__init__.py": "", "tasks.py": "raise RuntimeError('no database password')\n"}


def broken_env(tmp_path):
    pkg = write_package(tmp_path / "code", "acme_broken", BROKEN)
    return child_env(var_dir=tmp_path / "var", STEPSTUDIO_HANDLERS=pkg,
                     PYTHONPATH=str(tmp_path / "code"), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")


def assert_stopped_naming_the_module(proc: subprocess.CompletedProcess):
    assert proc.returncode != 0
    assert "ImproperlyConfigured: STEPSTUDIO_HANDLERS: cannot import 'acme_broken.tasks': " \
           "RuntimeError: no database password" in proc.stderr + proc.stdout


@pytest.mark.subprocess
@pytest.mark.parametrize("argv", [
    ["manage.py", "check"],
    ["manage.py", "workflows", "scheduler"],
    ["-m", "celery", "-A", "stepstudio", "worker", "--concurrency=1", "--without-gossip",
     "--without-mingle"],
    ["-m", "daphne", "-p", "{port}", "stepstudio.asgi:application"],
], ids=["manage.py", "scheduler", "celery-worker", "daphne"])
def test_a_module_that_fails_to_import_stops_every_process(tmp_path, argv):
    argv = [a.replace("{port}", str(free_port())) for a in argv]
    proc = subprocess.run([sys.executable, *argv], cwd=REPO, env=broken_env(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert_stopped_naming_the_module(proc)


@pytest.mark.subprocess
def test_samples_can_be_left_out(tmp_path):
    env = child_env(var_dir=tmp_path / "var", STEPSTUDIO_SAMPLES="false",
                    DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    probe = run_python("import django; django.setup()\n"
                       "from engine.asl import handlers\n"
                       "print(sorted(handlers.handlers()))", env)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "['http:invoke']"
    migrate = subprocess.run([sys.executable, str(MANAGE_PY), "migrate", "-v0"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=180)
    assert migrate.returncode == 0, migrate.stderr
    loaded = subprocess.run([sys.executable, str(MANAGE_PY), "workflows", "load-samples"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=60)
    assert loaded.returncode == 0 and "samples are off" in loaded.stdout
    machines = run_python("import django; django.setup()\n"
                          "from engine.models import StateMachine\n"
                          "print(StateMachine.objects.count())", env)
    assert machines.stdout.strip() == "0"


def test_with_samples_off_the_home_page_neither_offers_nor_loads_them(logged_in_client, settings):
    settings.STEPSTUDIO_SAMPLES = False
    html = logged_in_client.get("/").content.decode()
    assert 'data-testid="empty-state"' in html and "Load the samples" not in html
    response = logged_in_client.post("/state-machines/samples/", follow=True)
    assert "The samples are off here" in response.content.decode()
    from engine.models import StateMachine
    assert not StateMachine.objects.exists()
