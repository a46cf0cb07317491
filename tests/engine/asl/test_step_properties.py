"""Property: the durable way of driving the evaluator (JSON round trip of the cursor at every
step) gives exactly what the local driver gives. (Children are reported in index order here:
with several failing children, which failure wins legitimately depends on that order.)"""
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from engine.asl import parse, run_state_machine, step as S
from engine.asl.clock import VirtualClock
from engine.asl.events import Ids

from .test_step import drive

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
_names = iter(range(10 ** 9))


def _leaf():
    return st.sampled_from([
        {"Type": "Pass"},
        {"Type": "Pass", "Result": {"r": 1}, "ResultPath": "$.res"},
        {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)", "items.$": "$.items"}},
        {"Type": "Wait", "Seconds": 5},
        {"Type": "Pass", "Assign": {"seen.$": "$.n"}},
    ])


@st.composite
def machines(draw, depth=0):
    n = draw(st.integers(1, 4))
    names = [f"S{next(_names)}" for _ in range(n)]
    states = {}
    for i, name in enumerate(names):
        kind = draw(st.sampled_from(["leaf", "leaf", "map", "parallel", "fail", "choice"] if depth < 2 else ["leaf"]))
        if kind == "map":
            state = {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"n.$": "$$.Map.Item.Value", "items": []},
                     "ItemProcessor": draw(machines(depth + 1)), "ResultPath": "$.mapped"}
        elif kind == "parallel":
            state = {"Type": "Parallel", "Branches": [draw(machines(depth + 1)), draw(machines(depth + 1))],
                     "ResultPath": "$.branches"}
        elif kind == "fail" and i == n - 1:  # anything after a Fail would be unreachable
            state = {"Type": "Fail", "Error": "Boom", "Cause": "drawn"}
        elif kind == "choice":
            state = {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 2,
                                                    "Next": names[i + 1] if i + 1 < n else "End" + name}],
                     "Default": "End" + name}
            states["End" + name] = {"Type": "Succeed"}
        else:
            state = dict(draw(_leaf()))

        if state["Type"] not in ("Fail", "Choice", "Succeed"):
            if i + 1 < n:
                state["Next"] = names[i + 1]
            else:
                state["End"] = True
        states[name] = state
    return {"StartAt": names[0], "States": states}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definition=machines(), n=st.integers(0, 5), items=st.lists(st.integers(0, 5), max_size=3))
def test_durable_style_driving_equals_the_local_driver(definition, n, items):
    inp = {"n": n, "items": items}
    local = run_state_machine(definition, inp, clock=VirtualClock(T0), execution_name="e")
    m = parse(definition)
    ctx = S.default_context_info(inp, name="e", machine_name="StateMachine", start_time=T0)
    fin, events = drive(m, S.start(m, inp, ctx), Ids(), VirtualClock(T0), reverse=False)
    assert (fin.status, fin.output, fin.error, fin.cause) == (local.status, local.output, local.error, local.cause)
    assert [e["type"] for e in events] == [e["type"] for e in local.events]
