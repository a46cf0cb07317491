"""examples/job_poller end to end: three unchanged Lambda functions loaded through
STEPSTUDIO_HANDLERS on a real worker, and the README's boto3 run against daphne."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine import services
from tests.engine.runtime.conftest import wait_for_execution
from tests.support import REPO

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.subprocess]

DEFINITION = json.loads((REPO / "examples" / "job_poller" / "job_poller.asl.json").read_text())


def run(make_machine, input_value: dict):
    execution = services.start_execution(make_machine(DEFINITION, name="job-poller-example"),
                                         json.dumps(input_value))
    return wait_for_execution(execution, timeout=90)


def failures(execution):
    return [e.details["taskFailedEventDetails"]["error"]
            for e in execution.events.order_by("seq") if e.type == "TaskFailed"]


def test_the_job_poller_runs_to_the_end_retrying_an_unavailable_job_service(runtime, make_machine,
                                                                             tmp_path):
    done = run(make_machine, {"checksNeeded": 2, "flakyChecks": 2, "waitSeconds": 1})
    assert done.status == "SUCCEEDED", (done.error, done.cause)
    # Two status calls failed and were retried (Retry on JobServiceUnavailable); the third
    # answered; the job needed two checks, so the Choice looped once.
    assert failures(done) == ["JobServiceUnavailable", "JobServiceUnavailable"]
    entered = [e.details["stateEnteredEventDetails"]["name"] for e in done.events.order_by("seq")
               if e.type.endswith("StateEntered")]
    assert entered == ["CreateTask", "WaitForTaskCompletion", "CheckTaskStatus", "IsTaskDone",
                       "WaitForTaskCompletion", "CheckTaskStatus", "IsTaskDone", "TaskCompleted"]
    # TaskCompleted is called by its legacy function ARN, the others through lambda:invoke.
    types = {e.type for e in done.events.all()}
    assert {"LambdaFunctionScheduled", "LambdaFunctionSucceeded", "TaskSucceeded"} <= types
    output = done.output
    assert output["status"] == "SUCCEEDED" and output["checks"] == 2
    assert output["handledBy"] == "arn:aws:lambda:us-east-1:123456789012:function:task-completed"
    job = json.loads((Path(tmp_path / "jobs") / f"{output['taskId']}.json").read_text())
    assert job["status"] == "SUCCEEDED" and job["unavailable"] == 2


def test_a_job_service_down_for_four_calls_fails_after_three_retries(runtime, make_machine):
    done = run(make_machine, {"checksNeeded": 1, "flakyChecks": 4, "waitSeconds": 1})
    assert (done.status, done.error) == ("FAILED", "JobServiceUnavailable")
    assert failures(done) == ["JobServiceUnavailable"] * 4  # the call and its three retries
    cause = json.loads(done.cause)
    assert cause["errorType"] == "JobServiceUnavailable" and "call 4 of 4" in cause["errorMessage"]


def test_a_failed_job_ends_in_the_fail_state(runtime, make_machine):
    done = run(make_machine, {"checksNeeded": 1, "fail": True, "waitSeconds": 0})
    assert (done.status, done.error) == ("FAILED", "JobFailed")


def test_the_readmes_boto3_run(server):  # noqa: F811
    proc = subprocess.run([sys.executable, "-m", "examples.job_poller", "--endpoint", server.url,
                           "--input", '{"checksNeeded": 2, "flakyChecks": 1, "waitSeconds": 1}'],
                          cwd=REPO, env=server.client_env(), capture_output=True, text=True,
                          timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert result["status"] == "SUCCEEDED" and result["output"]["checks"] == 2
    assert "TaskFailed" in proc.stdout and "JobServiceUnavailable" in proc.stdout
