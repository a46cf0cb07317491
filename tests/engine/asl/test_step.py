"""The evaluator contract the durable runtime relies on (engine/asl/step.py docstring)."""
import json
from datetime import datetime, timedelta, timezone

from engine.asl import parse, step as S
from engine.asl.clock import VirtualClock
from engine.asl.events import Ids

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def ctx(input_value):
    return S.default_context_info(input_value, name="e1", machine_name="sm", start_time=T0)


def roundtrip(cursor):
    """What a database row does to a cursor."""
    return json.loads(json.dumps(cursor))


def drive(machine, cursor, ids, clock, answer_task=None, events=None, reverse=True):
    """A minimal durable-style driver: JSON round trip of the cursor between every step,
    children answered in REVERSE order (unless `reverse=False`)."""
    events = [] if events is None else events
    inbound = None
    while True:
        out = S.advance(machine, roundtrip(cursor), inbound, ids, clock)
        events.extend(out.events)
        cursor = out.cursor
        inbound = None
        if isinstance(out, S.Finished):
            return out, events
        if isinstance(out, S.InvokeTask):
            inbound = answer_task(out.request)
        elif isinstance(out, S.Sleep):
            clock.advance_to(out.until)
            inbound = S.Wake()
        elif isinstance(out, S.FanOut):
            results = []
            for i, child in enumerate(out.children):
                fin, _ = drive(machine, child, Ids() if out.separate_history else ids, clock, answer_task,
                               [] if out.separate_history else events, reverse)
                results.append((i, fin.as_result()))
            parent = out
            for i, r in (reversed(results) if reverse else results):
                parent = S.advance(machine, roundtrip(cursor), S.ChildDone(i, r), ids, clock)
                events.extend(parent.events)
                cursor = parent.cursor
                if not isinstance(parent, S.Await):
                    break
            out = parent
            if isinstance(out, S.Finished):
                return out, events
            if isinstance(out, S.Continue):
                continue
            raise AssertionError(f"unexpected {out}")


def br(name):
    return {"StartAt": name, "States": {name: {"Type": "Pass", "End": True}}}


def test_start_is_pure_and_json_serialisable():
    m = parse({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    c = S.start(m, {"a": 1}, ctx({"a": 1}))
    assert roundtrip(c) == c
    assert c["phase"] == "start"


def test_each_transition_is_a_continue_until_finished():
    m = parse({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}}})
    ids, clock = Ids(), VirtualClock(T0)
    c = S.start(m, {"a": 1}, ctx({"a": 1}))
    o1 = S.advance(m, c, None, ids, clock)
    assert isinstance(o1, S.Continue) and o1.cursor["state"] == "B"
    assert [e["type"] for e in o1.events] == ["ExecutionStarted", "PassStateEntered", "PassStateExited"]
    o2 = S.advance(m, roundtrip(o1.cursor), None, ids, clock)
    assert isinstance(o2, S.Finished) and o2.status == "SUCCEEDED" and o2.output == {"a": 1}
    assert [e["id"] for e in o1.events + o2.events] == [1, 2, 3, 4, 5, 6]
    # AWS: the first state's Entered event has previousEventId 0 (ExecutionStarted is not chained).
    assert [e["previousEventId"] for e in o1.events + o2.events] == [0, 0, 2, 3, 4, 5]


def test_wait_returns_sleep_and_finishes_on_wake():
    m = parse({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": True}}})
    ids, clock = Ids(), VirtualClock(T0)
    o = S.advance(m, S.start(m, {}, ctx({})), None, ids, clock)
    assert isinstance(o, S.Sleep) and o.until == T0 + timedelta(seconds=30)
    clock.advance_to(o.until)
    done = S.advance(m, roundtrip(o.cursor), S.Wake(), ids, clock)
    assert isinstance(done, S.Finished) and done.status == "SUCCEEDED"


def test_task_request_and_result_round_trip():
    m = parse({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                                 "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                                                 "TimeoutSeconds": 9, "End": True}}})
    ids, clock = Ids(), VirtualClock(T0)
    o = S.advance(m, S.start(m, {"x": 1}, ctx({"x": 1})), None, ids, clock)
    assert isinstance(o, S.InvokeTask)
    req = o.request
    assert roundtrip(req) == req
    assert (req["function"], req["input"], req["timeout_seconds"], req["attempt"]) == ("f", {"x": 1}, 9, 0)
    done = S.advance(m, roundtrip(o.cursor), S.TaskResult(True, {"Payload": 2}), ids, clock)
    assert done.status == "SUCCEEDED" and done.output == {"Payload": 2}


def test_retry_backoff_is_a_sleep_with_exponential_interval():
    m = parse({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                                                 "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 2,
                                                            "BackoffRate": 3, "MaxAttempts": 2}], "End": True}}})
    ids, clock = Ids(), VirtualClock(T0)
    o = S.advance(m, S.start(m, {}, ctx({})), None, ids, clock)
    sleeps = []
    while not isinstance(o, S.Finished):
        if isinstance(o, S.InvokeTask):
            o = S.advance(m, roundtrip(o.cursor), S.TaskResult(False, error="E", cause="c"), ids, clock)
        else:
            assert isinstance(o, S.Sleep)
            sleeps.append((o.until - clock.now()).total_seconds())
            clock.advance_to(o.until)
            o = S.advance(m, roundtrip(o.cursor), S.Wake(), ids, clock)
    assert sleeps == [2, 6]
    assert (o.status, o.error, o.cause) == ("FAILED", "E", "c")


def test_fan_out_children_may_finish_in_any_order():
    m = parse({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {
        "StartAt": "I", "States": {"I": {"Type": "Pass", "Parameters": {"v.$": "$"}, "End": True}}}, "End": True}}})
    fin, events = drive(m, S.start(m, [1, 2, 3], ctx([1, 2, 3])), Ids(), VirtualClock(T0))
    assert fin.status == "SUCCEEDED" and fin.output == [{"v": 1}, {"v": 2}, {"v": 3}]
    assert len({e["id"] for e in events}) == len(events)


def test_parallel_parent_awaits_until_every_branch_reported():
    m = parse({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [br("B1"), br("B2")], "End": True}}})
    ids, clock = Ids(), VirtualClock(T0)
    fo = S.advance(m, S.start(m, 1, ctx(1)), None, ids, clock)
    assert isinstance(fo, S.FanOut) and len(fo.children) == 2 and not fo.separate_history
    assert [c["frame"]["kind"] for c in fo.children] == ["branch", "branch"]
    a = S.advance(m, fo.cursor, S.ChildDone(1, {"status": "SUCCEEDED", "output": "b1", "error": None, "cause": None}), ids, clock)
    assert isinstance(a, S.Await)
    done = S.advance(m, a.cursor, S.ChildDone(0, {"status": "SUCCEEDED", "output": "b0", "error": None, "cause": None}), ids, clock)
    assert isinstance(done, S.Finished) and done.output == ["b0", "b1"]


def test_a_failed_child_ends_the_fan_out_at_once():
    m = parse({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [br("B1"), br("B2"), br("B3")],
                                                 "End": True}}})
    ids, clock = Ids(), VirtualClock(T0)
    fo = S.advance(m, S.start(m, 1, ctx(1)), None, ids, clock)
    out = S.advance(m, fo.cursor, S.ChildDone(2, {"status": "FAILED", "output": None, "error": "E", "cause": "C"}), ids, clock)
    assert isinstance(out, S.Finished) and (out.error, out.cause) == ("E", "C")


def test_children_done_delivers_all_results_at_once():
    m = parse({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [br("B1"), br("B2")], "End": True}}})
    ids, clock = Ids(), VirtualClock(T0)
    fo = S.advance(m, S.start(m, 1, ctx(1)), None, ids, clock)
    ok = {"status": "SUCCEEDED", "output": 5, "error": None, "cause": None}
    out = S.advance(m, fo.cursor, S.ChildrenDone([ok, ok]), ids, clock)
    assert out.output == [5, 5]


def test_timed_out_finishes_with_execution_timed_out():
    m = parse({"StartAt": "W", "TimeoutSeconds": 1, "States": {"W": {"Type": "Wait", "Seconds": 9, "End": True}}})
    ids, clock = Ids(), VirtualClock(T0)
    o = S.advance(m, S.start(m, {}, ctx({})), None, ids, clock)
    assert S.execution_deadline(m, T0) == T0 + timedelta(seconds=1)
    fin = S.timed_out(o.cursor, ids, clock)
    assert fin.status == "TIMED_OUT" and fin.events[-1]["type"] == "ExecutionTimedOut"


def test_redrive_reenters_the_failed_state_with_redrive_count_one():
    m = parse({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"n.$": "$$.Execution.RedriveCount"},
                                                 "OutputPath": "$.nope", "End": True}}})
    ids, clock = Ids(), VirtualClock(T0)
    failed = S.advance(m, S.start(m, {}, ctx({})), None, ids, clock)
    assert failed.status == "FAILED"
    c = S.redrive(m, failed.cursor)
    assert c["state"] == "P" and c["ctx"]["Execution"]["RedriveCount"] == 1


def test_an_internal_bug_becomes_states_runtime_not_a_traceback(monkeypatch):
    from engine.asl.states import pass_
    m = parse({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})

    def broken(self, x):
        raise KeyError("boom")
    monkeypatch.setattr(pass_.PassState, "attempt", broken)
    out = S.advance(m, S.start(m, {}, ctx({})), None, Ids(), VirtualClock(T0))
    assert isinstance(out, S.Finished) and out.error == "States.Runtime" and "KeyError" in out.cause
