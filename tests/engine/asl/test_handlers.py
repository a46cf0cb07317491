import pytest

from engine.asl import handlers
from engine.asl.errors import StatesError
from engine.asl.handlers import TaskFailure, task_handler


@pytest.fixture
def registered():
    names = []

    def add(name, fn):
        task_handler(name)(fn)
        names.append(name)
    yield add
    for n in names:
        handlers.unregister(n)


def request(**kw):
    base = {"state": "T", "resource": "arn:aws:lambda:us-east-1:1:function:f", "kind": "lambda",
            "service": "lambda", "action": "invoke", "function": "f", "parameters": {"a": 1}}
    base.update(kw)
    return base


def test_handler_gets_the_payload_and_optionally_the_request(registered):
    seen = []
    registered("f", lambda payload, req: seen.append((payload, req["state"])) or "ok")
    res = handlers.invoke(request())
    assert res.ok and res.value == "ok" and seen == [({"a": 1}, "T")]


def test_lambda_invoke_handlers_get_the_payload_and_return_an_invoke_response(registered):
    registered("f", lambda payload: payload["n"] + 1)
    res = handlers.invoke(request(kind="service", resource="arn:aws:states:::lambda:invoke",
                                  parameters={"FunctionName": "f", "Payload": {"n": 1}}))
    assert res.value["Payload"] == 2 and res.value["StatusCode"] == 200


def test_service_integrations_resolve_by_service_and_action(registered):
    registered("sqs:sendMessage", lambda p: {"MessageId": "m"})
    res = handlers.invoke(request(kind="service", resource="arn:aws:states:::sqs:sendMessage",
                                  service="sqs", action="sendMessage", function=None))
    assert res.value == {"MessageId": "m"}


def test_task_failure_carries_error_and_cause(registered):
    def fail(p):
        raise TaskFailure("My.Error", "because")
    registered("f", fail)
    res = handlers.invoke(request())
    assert (res.ok, res.error, res.cause) == (False, "My.Error", "because")


def test_nothing_outside_the_registry_is_callable():
    res = handlers.invoke(request(function="os.system"))
    assert res.ok is False
    with pytest.raises(StatesError):
        handlers.resolve("arn:aws:lambda:us-east-1:1:function:not-registered")


def test_resolve_finds_legacy_arns_and_requests(registered):
    fn = lambda p: p  # noqa: E731
    registered("g", fn)
    assert handlers.resolve("arn:aws:lambda:us-east-1:1:function:g") is fn
    assert handlers.resolve("arn:aws:states:::lambda:invoke",
                            request(kind="service", function="g")) is fn


def test_a_handler_mutating_its_input_changes_neither_history_nor_the_state_input(registered):
    from engine.asl import run_state_machine

    def mutate(event):
        event["added"] = True
        return event
    registered("mut", mutate)
    d = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:mut",
                                          "ResultPath": "$.r", "End": True}}}
    r = run_state_machine(d, {"a": 1})
    assert r.output == {"a": 1, "r": {"a": 1, "added": True}}
    entered = next(e for e in r.events if e["type"] == "TaskStateEntered")
    assert entered["stateEnteredEventDetails"]["input"] == '{"a":1}'
