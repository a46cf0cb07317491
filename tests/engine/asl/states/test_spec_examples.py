"""The Amazon States Language specification's own examples, run end to end."""
from datetime import datetime, timezone

from engine.asl.clock import VirtualClock

from .helpers import run, run_mocked, types

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def test_pass_state_example_result_path_into_the_input():
    # Spec "Pass State": Result placed at "$.coords" of the input.
    r = run({"No-op": {"Type": "Pass", "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
                       "ResultPath": "$.coords", "End": True}},
            {"georefOf": "Home"})
    assert r.output == {"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}}


def test_result_path_creates_missing_objects():
    # Spec "ResultPath": "$.master.detail" creates master when absent.
    r = run({"P": {"Type": "Pass", "Result": "x", "ResultPath": "$.master.detail", "End": True}}, {"a": 1})
    assert r.output == {"a": 1, "master": {"detail": "x"}}


def test_map_state_example_ship_parcels():
    # Spec "Map State" example: ItemsPath, ItemSelector with $$.Map.Item.Value, ResultPath.
    inp = {"ship-date": "2016-03-14T01:59:00Z", "detail": {"delivery-partner": "UQS",
           "shipped": [{"prod": "R31", "dest-code": 9511, "quantity": 1344},
                       {"prod": "S39", "dest-code": 9511, "quantity": 40}]}}
    r = run({"Validate-All": {"Type": "Map", "InputPath": "$.detail", "ItemsPath": "$.shipped", "MaxConcurrency": 0,
                              "ItemSelector": {"parcel.$": "$$.Map.Item.Value", "courier.$": "$.delivery-partner"},
                              "ItemProcessor": {"StartAt": "Validate", "States": {
                                  "Validate": {"Type": "Pass", "OutputPath": "$.parcel.prod", "End": True}}},
                              "ResultPath": "$.detail.shipped", "End": True}}, inp)
    # ResultPath applies to the raw input (before InputPath).
    assert r.output["detail"]["shipped"] == ["R31", "S39"]
    assert r.output["ship-date"] == "2016-03-14T01:59:00Z"


def test_retry_example_backoff_intervals():
    # Spec "Retrying after error": IntervalSeconds 3, BackoffRate 1.5, MaxAttempts 2 → waits 3 s, 4.5 s.
    r = run_mocked({"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                          "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 2,
                                     "BackoffRate": 1.5}], "End": True}},
                   {}, {"T": {"0-2": {"Throw": {"Error": "States.Timeout"}}}}, clock=VirtualClock(T0))
    scheduled = [datetime.fromisoformat(e["timestamp"].replace("Z", "+00:00"))
                 for e in r.events if e["type"] == "TaskScheduled"]
    gaps = [(b - a).total_seconds() for a, b in zip(scheduled, scheduled[1:])]
    assert gaps == [3, 4.5]
    assert r.error == "States.Timeout"


def test_catch_example_error_info_result_path():
    # Spec "Fallback states": ResultPath "$.error-info" keeps the input and adds the error.
    r = run_mocked({"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                          "Catch": [{"ErrorEquals": ["java.lang.Exception"], "ResultPath": "$.error-info",
                                     "Next": "RecoveryState"}], "End": True},
                    "RecoveryState": {"Type": "Pass", "End": True}},
                   {"foo": "bar"}, {"T": {"0": {"Throw": {"Error": "java.lang.Exception", "Cause": "oops"}}}})
    assert r.output == {"foo": "bar", "error-info": {"Error": "java.lang.Exception", "Cause": "oops"}}


def test_parallel_example_lookup_customer_info():
    branch = lambda name, value: {"StartAt": name, "States": {name: {"Type": "Pass", "Result": value, "End": True}}}  # noqa: E731
    r = run({"LookupCustomerInfo": {"Type": "Parallel", "Branches": [branch("LookupAddress", {"addr": 1}),
                                                                       branch("LookupPhone", {"phone": 2})],
                                    "Next": "NextState"},
             "NextState": {"Type": "Pass", "End": True}}, {})
    assert r.output == [{"addr": 1}, {"phone": 2}]


def test_choice_example_with_and_not_and_default():
    states = {"ChoiceStateX": {"Type": "Choice", "Choices": [
        {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
        {"And": [{"Variable": "$.value", "IsPresent": True}, {"Variable": "$.value", "IsNumeric": True},
                 {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                 {"Variable": "$.value", "NumericLessThan": 30}], "Next": "ValueInTwenties"}],
        "Default": "DefaultState"},
        "Public": {"Type": "Pass", "Result": "public", "End": True},
        "ValueInTwenties": {"Type": "Pass", "Result": "twenties", "End": True},
        "DefaultState": {"Type": "Fail", "Error": "DefaultStateError", "Cause": "No Matches!"}}
    assert run(states, {"type": "Public"}).output == "public"
    assert run(states, {"type": "Private", "value": 25}).output == "twenties"
    r = run(states, {"type": "Private", "value": 35})
    assert (r.error, r.cause) == ("DefaultStateError", "No Matches!")


def test_wait_example_timestamp():
    r = run({"wait_until": {"Type": "Wait", "Timestamp": "2024-01-01T01:00:00Z", "Next": "Done"},
             "Done": {"Type": "Succeed"}}, {}, clock=VirtualClock(T0))
    assert types(r)[1:3] == ["WaitStateEntered", "WaitStateExited"]
    assert r.events[2]["timestamp"] == "2024-01-01T01:00:00.000Z"
