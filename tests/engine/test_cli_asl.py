"""`manage.py asl validate|run`: output shapes, exit codes, clean errors."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import engine.asl

ROOT = Path(__file__).resolve().parents[2]
VALID = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
INVALID = {"StartAt": "A", "States": {"A": {"Type": "Pass"}}}


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def run_command(*args):
    """(exit code, parsed stdout) of one call_command."""
    out = io.StringIO()
    try:
        call_command("asl", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    text = out.getvalue()
    return code, json.loads(text) if text.strip() else None


# --- validate ----------------------------------------------------------------------------------

def test_validate_prints_ok_for_a_valid_definition(tmp_path):
    code, out = run_command("validate", write(tmp_path, "ok.json", VALID))
    assert (code, out) == (0, {"result": "OK", "diagnostics": []})


def test_validate_prints_every_diagnostic_and_exits_1(tmp_path):
    code, out = run_command("validate", write(tmp_path, "bad.json", INVALID))
    assert code == 1 and out["result"] == "FAIL"
    assert {d["location"] for d in out["diagnostics"]} == {"/States/A", ""}
    assert set(out["diagnostics"][0]) == {"code", "severity", "message", "location"}


def test_validate_express_refuses_callbacks(tmp_path):
    task = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "End": True}}}
    path = write(tmp_path, "cb.json", task)
    assert run_command("validate", path)[0] == 0
    code, out = run_command("validate", path, "--type", "EXPRESS")
    assert code == 1 and out["diagnostics"][0]["location"] == "/States/T/Resource"


def test_validate_reports_bad_json_as_a_diagnostic(tmp_path):
    code, out = run_command("validate", write(tmp_path, "x.json", "not a definition"))
    assert code == 1
    assert out["diagnostics"][0]["code"] == "INVALID_JSON_DESCRIPTION"


def test_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("asl", "validate", str(tmp_path / "nope.json"), stdout=io.StringIO())
    assert err.value.returncode == 2 and "no such file" in str(err.value)


def test_the_command_line_prints_one_line_not_a_traceback(tmp_path):
    bad = write(tmp_path, "bad.json", "{")
    proc = subprocess.run([sys.executable, "manage.py", "asl", "run", bad], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("CommandError: definition") and "not valid JSON" in proc.stderr


# --- run: the command's wiring, with the interpreter replaced ----------------------------------

class FakeResult:
    def __init__(self, status, output=None, error=None, cause=None):
        self.status, self.output, self.error, self.cause = status, output, error, cause
        self.events = [{"type": "ExecutionStarted"}, {"type": "ExecutionSucceeded"}]


@pytest.fixture
def fake_interpreter(monkeypatch):
    calls = []

    def run_state_machine(definition, input, mock_config=None, state_machine_name=None,
                          test_case=None):
        calls.append(dict(definition=definition, input=input, mock_config=mock_config,
                          state_machine_name=state_machine_name, test_case=test_case))
        return calls.result

    calls = type("Calls", (list,), {})()
    calls.result = FakeResult("SUCCEEDED", output={"ok": True})
    monkeypatch.setattr(engine.asl, "run_state_machine", run_state_machine, raising=False)
    return calls


def test_run_passes_input_and_mocks_and_prints_the_result(tmp_path, fake_interpreter):
    mocks = {"StateMachines": {"Only": {"TestCases": {"Happy": {}}}}, "MockedResponses": {}}
    code, out = run_command("run", write(tmp_path, "ok.json", VALID), "--input", '{"n": 1}',
                            "--mock-config", write(tmp_path, "m.json", mocks),
                            "--test-case", "Happy")
    assert code == 0
    assert out == {"status": "SUCCEEDED", "output": {"ok": True}, "error": None, "cause": None}
    [call] = fake_interpreter
    assert call["input"] == {"n": 1} and call["mock_config"] == mocks
    # One machine in the mock config: its name is the default.
    assert (call["state_machine_name"], call["test_case"]) == ("Only", "Happy")


def test_run_reads_input_from_a_file_and_prints_history(tmp_path, fake_interpreter):
    code, out = run_command("run", write(tmp_path, "ok.json", VALID),
                            "--input", "@" + write(tmp_path, "in.json", [1, 2]), "--history")
    assert code == 0 and fake_interpreter[0]["input"] == [1, 2]
    assert [e["type"] for e in out["events"]] == ["ExecutionStarted", "ExecutionSucceeded"]


def test_run_exits_1_when_the_execution_fails(tmp_path, fake_interpreter):
    fake_interpreter.result = FakeResult("FAILED", error="States.Runtime", cause="boom")
    code, out = run_command("run", write(tmp_path, "ok.json", VALID))
    assert code == 1 and out["error"] == "States.Runtime" and out["cause"] == "boom"


def test_run_refuses_an_invalid_definition_before_running(tmp_path, fake_interpreter):
    code, out = run_command("run", write(tmp_path, "bad.json", INVALID))
    assert code == 1 and out["result"] == "FAIL" and fake_interpreter == []


def test_run_with_bad_input_json_is_a_usage_error(tmp_path, fake_interpreter):
    with pytest.raises(CommandError) as err:
        call_command("asl", "run", write(tmp_path, "ok.json", VALID), "--input", "{",
                     stdout=io.StringIO())
    assert err.value.returncode == 2 and "--input is not valid JSON" in str(err.value)


# --- run: the real interpreter -----------------------------------------------------------------

def _interpreter_available():
    try:
        from engine.asl.drivers.local import run_state_machine  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _interpreter_available(), reason="engine.asl driver not available yet")
def test_run_executes_the_definition_for_real(tmp_path):
    definition = {"StartAt": "Add", "States": {
        "Add": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"},
                "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.sum", "NumericEquals": 3, "Next": "Done"}], "Default": "Boom"},
        "Done": {"Type": "Succeed"},
        "Boom": {"Type": "Fail", "Error": "Wrong", "Cause": "sum is not 3"}}}
    path = write(tmp_path, "sm.json", definition)

    code, out = run_command("run", path, "--input", '{"a": 1, "b": 2}', "--history")
    assert code == 0 and out["status"] == "SUCCEEDED" and out["output"] == {"sum": 3}
    assert out["events"][0]["type"] == "ExecutionStarted"

    code, out = run_command("run", path, "--input", '{"a": 1, "b": 5}')
    assert (code, out["status"], out["error"], out["cause"]) == (1, "FAILED", "Wrong",
                                                                 "sum is not 3")


def test_validate_reads_the_definition_from_stdin():
    proc = subprocess.run([sys.executable, "manage.py", "asl", "validate", "-"], cwd=ROOT,
                          input=json.dumps(VALID), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and json.loads(proc.stdout)["result"] == "OK"


CORPUS_CASE = (ROOT.parent / "shared" / "asl-conformance" / "cases"
               / "task__invoke_pipe.json")


@pytest.mark.skipif(not (_interpreter_available() and CORPUS_CASE.exists()),
                    reason="engine.asl driver or conformance corpus not available")
def test_run_replays_a_recorded_case_with_its_mock_config(tmp_path):
    case = json.loads(CORPUS_CASE.read_text())
    code, out = run_command("run", write(tmp_path, "sm.json", case["definition"]),
                            "--input", json.dumps(case["input"]),
                            "--mock-config", write(tmp_path, "mocks.json", case["mock_config"]),
                            "--state-machine-name", case["state_machine_name"],
                            "--test-case", case["test_case"], "--history")
    expected = case["expected"]
    assert (code, out["status"]) == (0, expected["status"])
    assert out["output"] == expected["output"]
    assert [e["type"] for e in out["events"]] == expected["event_types"]
