"""Properties that must hold for any input, checked with hypothesis (bounded, fast).

* `validate` never raises, whatever it is given, and always answers with Diagnostics;
* a valid definition run on any JSON input ends SUCCEEDED, or FAILED with an error name —
  never with a Python exception escaping the interpreter.
"""
import copy
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.asl.errors import Diagnostic
from engine.asl.validate import is_valid, validate
from engine.asl.validation import fields

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

json_scalars = (st.none() | st.booleans() | st.integers(-2**40, 2**40)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)

# Values that reach the interesting branches: real field names, paths, intrinsics, JSONata.
_ALL_FIELDS = sorted(set().union(*fields.ALLOWED.values()) | {"Label", "Iterator"})
_STRINGS = st.sampled_from([
    "$", "$.a", "$.a[*]", "$$.Execution.Input", "$x", "a.b", "", "States.ALL",
    "States.Format('{}', $.a)", "States.Nope(", "{% $states.input %}", "{% 1 + %}", "{% a %}",
    "2016-03-14T01:59:00Z", "2016-13-14T01:59:00Z", "JSONata", "JSONPath", "DISTRIBUTED",
    "INLINE", "EXPRESS", "arn:aws:states:::lambda:invoke", "arn:aws:states:::sqs:x.sync",
    "arn:aws:states:us-east-1:1:activity:a", "${Sub}", "A", "B", "Pass", "Task", "Choice",
    "Wait", "Succeed", "Fail", "Parallel", "Map", "NONE", "FULL"]) | st.text(max_size=6)
field_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 100) | st.floats(-1, 5) | _STRINGS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(_ALL_FIELDS + ["x.$", "Next", "StartAt", "States", "ErrorEquals",
                                       "Variable", "StringEquals", "And", "Not", "Condition",
                                       "ProcessorConfig", "Mode", "ExecutionType"]),
        inner, max_size=5),
    max_leaves=25)
states = st.dictionaries(
    st.sampled_from(["A", "B", "C"]),
    st.fixed_dictionaries({"Type": st.sampled_from(fields.STATE_TYPES)},
                          optional={f: field_values for f in _ALL_FIELDS if f != "Type"}),
    min_size=1, max_size=3)
definitions = st.fixed_dictionaries(
    {"StartAt": st.sampled_from(["A", "B", "Z"]), "States": states},
    optional={"QueryLanguage": st.sampled_from(["JSONPath", "JSONata", "SQL"]),
              "TimeoutSeconds": st.integers(-1, 10), "Comment": json_values})


def _well_formed(diagnostics):
    assert isinstance(diagnostics, list)
    for d in diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.severity in ("ERROR", "WARNING")
        assert d.code != "INTERNAL_VALIDATOR_ERROR", d.message


@FAST
@given(json_values)
def test_validate_never_raises_on_any_json_value(value):
    _well_formed(validate(value))


@FAST
@given(st.text(max_size=40))
def test_validate_never_raises_on_any_text(text):
    _well_formed(validate(text))


@settings(FAST, max_examples=60)  # generating these documents is the slow part
@given(definitions, st.sampled_from(["STANDARD", "EXPRESS"]))
def test_validate_never_raises_on_definition_shaped_documents(definition, machine_type):
    diagnostics = validate(definition, state_machine_type=machine_type)
    _well_formed(diagnostics)
    # The same answer for the JSON text of the document.
    assert validate(json.dumps(definition), state_machine_type=machine_type) == diagnostics


# Real definitions, mutated: the deep, realistic shapes random generation rarely reaches.
_CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "asl-conformance" / "cases"
_SAMPLES = [json.loads(p.read_text())["definition"]
            for p in sorted(_CORPUS.glob("*.json"))[::25]] if _CORPUS.exists() else []


def _containers(value, out):
    """Every dict and list inside value (value included)."""
    if isinstance(value, (dict, list)):
        out.append(value)
        for child in (value.values() if isinstance(value, dict) else value):
            _containers(child, out)
    return out


@FAST
@given(st.data())
def test_validate_never_raises_on_mutated_real_definitions(data):
    if not _SAMPLES:
        return
    definition = copy.deepcopy(data.draw(st.sampled_from(_SAMPLES)))
    for _ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(_containers(definition, [])))
        if not target:
            continue
        key = data.draw(st.sampled_from(list(target.keys()) if isinstance(target, dict)
                                        else list(range(len(target)))))
        if data.draw(st.booleans()):
            del target[key]
        else:
            target[key] = data.draw(field_values)
    _well_formed(validate(definition))


# --- running valid definitions on random input -------------------------------------------------

RUNNABLE = {
    "pass_chain": {"StartAt": "P1", "States": {
        "P1": {"Type": "Pass", "InputPath": "$.a", "ResultPath": "$.r", "Next": "P2"},
        "P2": {"Type": "Pass", "Parameters": {"v.$": "$"}, "End": True}}},
    "choice": {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 3, "Next": "Big"},
            {"And": [{"Variable": "$.s", "IsPresent": True},
                     {"Variable": "$.s", "StringMatches": "a*"}], "Next": "Big"}],
              "Default": "Small"},
        "Big": {"Type": "Succeed"}, "Small": {"Type": "Pass", "End": True}}},
    "intrinsics": {"StartAt": "I", "States": {"I": {
        "Type": "Pass", "Parameters": {"len.$": "States.ArrayLength($.xs)",
                                       "s.$": "States.JsonToString($)"}, "End": True}}},
    "map": {"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemsPath": "$.xs", "MaxConcurrency": 1,
        "ItemProcessor": {"StartAt": "Inc", "States": {"Inc": {
            "Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, 1)"}, "End": True}}},
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": True},
        "Caught": {"Type": "Pass", "End": True}}},
    "jsonata": {"QueryLanguage": "JSONata", "StartAt": "J", "States": {"J": {
        "Type": "Pass", "Output": "{% $states.input.a + 1 %}", "End": True}}},
}
inputs = st.fixed_dictionaries({}, optional={
    "a": json_values, "n": json_values, "s": json_values, "xs": json_values}) | json_values


def test_the_runnable_definitions_are_valid():
    for definition in RUNNABLE.values():
        assert is_valid(validate(definition))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(RUNNABLE)), inputs)
def test_a_valid_definition_on_any_input_succeeds_or_fails_with_an_error_name(name, value):
    from engine.asl import run_state_machine

    result = run_state_machine(RUNNABLE[name], value)

    assert result.status in ("SUCCEEDED", "FAILED"), (result.status, result.error, result.cause)
    if result.status == "FAILED":
        assert isinstance(result.error, str) and result.error.startswith("States."), \
            (result.error, result.cause)
    else:
        json.dumps(result.output)  # the output is JSON


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_whatever_validate_accepts_the_interpreter_runs_without_raising(data):
    """The validator and the evaluator agree: a definition with no ERROR never makes
    run_state_machine raise (InvalidDefinition included), whatever the input."""
    from engine.asl import run_state_machine

    if not _SAMPLES:
        return
    definition = copy.deepcopy(data.draw(st.sampled_from(_SAMPLES)))
    target = data.draw(st.sampled_from(_containers(definition, [])))
    if target:
        key = data.draw(st.sampled_from(list(target.keys()) if isinstance(target, dict)
                                        else list(range(len(target)))))
        target[key] = data.draw(field_values)
    if not is_valid(validate(definition)):
        return
    result = run_state_machine(definition, data.draw(inputs))
    assert result.status in ("SUCCEEDED", "FAILED", "TIMED_OUT")
