"""StartSyncExecution (EXPRESS): the in-process driver runs it and returns the output."""
import pytest

from engine import services

from .conftest import lambda_arn

pytestmark = pytest.mark.django_db


def test_an_express_machine_runs_synchronously_with_real_handlers(make_machine):
    machine = make_machine({"StartAt": "Hello", "States": {
        "Hello": {"Type": "Task", "Resource": lambda_arn("greet"), "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 30, "Next": "Done"},
        "Done": {"Type": "Pass", "Parameters": {"said.$": "$.greeting"}, "End": True}}},
        type="EXPRESS")
    ex = services.start_sync_execution(machine, '{"name": "Ada"}')
    assert (ex.status, ex.output) == ("SUCCEEDED", {"said": "Hello, Ada!"})
    assert ex.events.order_by("seq").first().type == "ExecutionStarted"
    assert ex.events.count() == ex.seq


def test_a_standard_machine_cannot_run_synchronously(make_machine):
    machine = make_machine({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
    with pytest.raises(services.ServiceError) as err:
        services.start_sync_execution(machine, "{}")
    assert err.value.code == "StateMachineTypeNotSupported"
