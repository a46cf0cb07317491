"""`manage.py asl test FILE --mocks MOCKS.json`: one line per case, exit codes for CI."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]

# CreateTask → Check (retried three times) → Done: the guide's classic case, in small.
ORDER = {"StartAt": "Create", "States": {
    "Create": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:create",
               "Next": "Check"},
    "Check": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "check", "Payload.$": "$"},
              "OutputPath": "$.Payload",
              "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 3, "IntervalSeconds": 3600}],
              "End": True}}}

MOCKS = {
    "StateMachines": {"order": {"TestCases": {
        "HappyPath": {"Create": "Created", "Check": "Done",
                      "Expect": {"Status": "SUCCEEDED", "Output": {"done": True}}},
        "RetriedTwice": {"Create": "Created", "Check": "BusyTwiceThenDone"},
        "GivesUp": {"Create": "Created", "Check": "AlwaysBusy",
                    "Expect": {"Status": "FAILED", "Error": "Busy"}},
    }}},
    "MockedResponses": {
        "Created": {"0": {"Return": {"StatusCode": 200, "Payload": {"id": 7}}}},
        "Done": {"0": {"Return": {"StatusCode": 200, "Payload": {"done": True}}}},
        "BusyTwiceThenDone": {"0-1": {"Throw": {"Error": "Busy", "Cause": "try later"}},
                              "2": {"Return": {"StatusCode": 200, "Payload": {"done": True}}}},
        "AlwaysBusy": {"0": {"Throw": {"Error": "Busy", "Cause": "try later"}}},
    },
}


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(json.dumps(content))
    return str(path)


def run(*args):
    out = io.StringIO()
    try:
        call_command("asl", "test", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines()


def test_every_case_passes_exit_0_one_line_each(tmp_path):
    code, lines = run(write(tmp_path, "order.json", ORDER), "--mocks", write(tmp_path, "m.json", MOCKS))
    assert code == 0
    assert lines == ["PASS  HappyPath  SUCCEEDED", "PASS  RetriedTwice  SUCCEEDED",
                     "PASS  GivesUp  FAILED (Busy)", "3 of 3 pass"]


def test_a_failing_case_exits_1_and_says_why(tmp_path):
    mocks = json.loads(json.dumps(MOCKS))
    mocks["StateMachines"]["order"]["TestCases"]["HappyPath"]["Expect"]["Output"] = {"done": False}
    mocks["StateMachines"]["order"]["TestCases"]["Broken"] = {"Create": "Created", "Check": "AlwaysBusy"}
    code, lines = run(write(tmp_path, "order.json", ORDER), "--mocks", write(tmp_path, "m.json", mocks))
    assert code == 1
    assert lines[0] == ('FAIL  HappyPath  SUCCEEDED: expected output {"done": false}, '
                        'got {"done": true}')
    assert lines[3] == "FAIL  Broken  FAILED (Busy): expected SUCCEEDED, got FAILED"
    assert lines[-1] == "2 of 4 pass"


def test_the_machine_name_is_the_file_stem_unless_given(tmp_path):
    mocks = write(tmp_path, "m.json", MOCKS)
    other = write(tmp_path, "other.json", ORDER)
    with pytest.raises(CommandError) as caught:
        run(other, "--mocks", mocks)
    assert caught.value.returncode == 2
    assert "no test cases for the state machine 'other'" in str(caught.value)
    assert "order" in str(caught.value)
    code, lines = run(other, "--mocks", mocks, "--machine", "order")
    assert code == 0 and lines[-1] == "3 of 3 pass"


def test_input_reaches_cases_without_their_own(tmp_path):
    echo = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    mocks = {"StateMachines": {"echo": {"TestCases": {
        "FromCommandLine": {"Expect": {"Output": {"n": 1}}},
        "OwnInput": {"Input": {"n": 2}, "Expect": {"Output": {"n": 2}}},
    }}}, "MockedResponses": {}}
    code, lines = run(write(tmp_path, "echo.json", echo), "--mocks",
                      write(tmp_path, "m.json", mocks), "--input", '{"n": 1}')
    assert code == 0, lines
    code, lines = run(write(tmp_path, "echo.json", echo), "--mocks",
                      write(tmp_path, "m.json", mocks), "--input", '{"n": 3}')
    assert code == 1 and lines[0].startswith("FAIL  FromCommandLine")


def test_waits_and_backoffs_take_no_real_time_and_seconds_time_out(tmp_path):
    machine = {"StartAt": "Slow", "States": {"Slow": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "slow"}, "TimeoutSeconds": 60, "End": True}}}
    mocks = {"StateMachines": {"slow": {"TestCases": {
        "TooSlow": {"Slow": "Hour", "Expect": {"Status": "FAILED", "Error": "States.Timeout"}},
        "InTime": {"Slow": "Minute"},
    }}}, "MockedResponses": {
        "Hour": {"0": {"Return": {"Payload": 1}, "Seconds": 3600}},
        "Minute": {"0": {"Return": {"Payload": 1}, "Seconds": 30}},
    }}
    code, lines = run(write(tmp_path, "slow.json", machine), "--mocks", write(tmp_path, "m.json", mocks))
    assert (code, lines[-1]) == (0, "2 of 2 pass"), lines


def test_a_mock_config_of_the_wrong_shape_is_a_usage_error(tmp_path):
    bad = {"StateMachines": {"order": {"TestCases": {"X": {"Check": "Nope"}}}},
           "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {}}}}}
    with pytest.raises(CommandError) as caught:
        run(write(tmp_path, "order.json", ORDER), "--mocks", write(tmp_path, "m.json", bad))
    assert caught.value.returncode == 2
    assert "StateMachines.order.TestCases.X.Check: no MockedResponses entry 'Nope'" in str(caught.value)
    assert "MockedResponses.R.0: exactly one of Return or Throw expected" in str(caught.value)


def test_an_invalid_definition_exits_1(tmp_path):
    code, lines = run(write(tmp_path, "order.json", {"StartAt": "A", "States": {}}),
                      "--mocks", write(tmp_path, "m.json", MOCKS))
    assert code == 1 and lines and lines[0].startswith("INVALID")


def test_exit_codes_from_a_real_process(tmp_path):
    """What a CI pipeline sees: the process's exit status."""
    mocks = json.loads(json.dumps(MOCKS))
    definition = write(tmp_path, "order.json", ORDER)
    ok = subprocess.run([sys.executable, "manage.py", "asl", "test", definition, "--mocks",
                         write(tmp_path, "m.json", mocks)], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[-1] == "3 of 3 pass"
    mocks["StateMachines"]["order"]["TestCases"]["GivesUp"]["Expect"]["Error"] = "Other"
    bad = subprocess.run([sys.executable, "manage.py", "asl", "test", definition, "--mocks",
                          write(tmp_path, "m.json", mocks)], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1
    assert 'FAIL  GivesUp  FAILED (Busy): expected error "Other", got "Busy"' in bad.stdout
