"""Causes never carry the server's absolute file paths: a handler's traceback names files
relative to their import root, and exception messages are scrubbed where causes are made."""
import json
import os

import pytest

from engine.asl import handlers, run_state_machine
from engine.asl.handlers import TaskFailure, task_handler
from engine.asl.scrub import relative, scrub_paths

HERE = os.path.abspath(__file__)
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(HERE))))


@pytest.fixture
def registered():
    names = []

    def add(name, fn):
        task_handler(name)(fn)
        names.append(name)
    yield add
    for n in names:
        handlers.unregister(n)


def machine(function):
    return {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": f"arn:aws:lambda:us-east-1:1:function:{function}", "End": True}}}


def test_an_unhandled_exception_becomes_a_lambda_error_with_a_relative_stack_trace(registered):
    def broken(payload):
        open(os.path.join(REPO, "no-such-dir", "settings.txt"))
    registered("broken-paths", broken)
    result = run_state_machine(machine("broken-paths"), {})
    assert result.status == "FAILED" and result.error == "FileNotFoundError"
    assert REPO not in result.cause
    cause = json.loads(result.cause)
    assert cause["errorType"] == "FileNotFoundError"
    assert "no-such-dir/settings.txt" in cause["errorMessage"]
    assert any('File "tests/engine/asl/test_cause_paths.py"' in line and "in broken" in line
               for line in cause["stackTrace"]), cause["stackTrace"]
    # The evaluator's frames that called the handler are not the user's business.
    assert 'File "engine/asl/' not in "".join(cause["stackTrace"])
    failed = next(e for e in result.events if e["type"] == "LambdaFunctionFailed")
    assert REPO not in json.dumps(failed)


def test_a_task_failure_cause_is_scrubbed_too(registered):
    def refuse(payload):
        raise TaskFailure("Config.Missing", f"cannot read {REPO}/secrets/key.pem")
    registered("refuse-paths", refuse)
    result = run_state_machine(machine("refuse-paths"), {})
    assert result.cause == "cannot read secrets/key.pem"


def test_paths_outside_import_roots_keep_two_parts_and_urls_stay():
    assert relative("/srv/deploy/app/data.txt") == "app/data.txt"
    assert scrub_paths("see https://example.com/a/b/c and 1/2") == \
        "see https://example.com/a/b/c and 1/2"
    assert scrub_paths(f"in {HERE}") == "in tests/engine/asl/test_cause_paths.py"
