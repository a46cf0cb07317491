"""JSONata-mode data flow (engine/asl/dataflow/jsonata.py) against A's DataFlow interface."""
import pytest

from engine.asl.dataflow.base import Env
from engine.asl.dataflow.jsonata import JSONataDataFlow
from engine.asl.errors import StatesError

df = JSONataDataFlow()
WHERE = "An error occurred while executing the state 'S' (entered at the event id #2). "


def env(inp=None, variables=None, result=None, error_output=None):
    return Env(input=inp if inp is not None else {}, context={"Execution": {"Id": "arn"}},
               variables=variables or {}, state_name="S", entered_id=2, result=result,
               error_output=error_output)


def test_arguments_default_to_the_state_input():
    assert df.arguments({"Type": "Task"}, env({"a": 1})) == {"a": 1}


def test_arguments_cannot_read_the_result():
    with pytest.raises(StatesError) as err:
        df.arguments({"Arguments": {"r": "{% $states.result %}"}}, env(result=1))
    assert err.value.cause == WHERE + ("The JSONata expression '$states.result' specified for "
                                       "the field 'Arguments/r' returned nothing (undefined).")


def test_task_output_and_assign_read_input_result_and_variables():
    state = {"Type": "Task", "Output": {"result": "{% $states.result.Payload %}"},
             "Assign": {"answer": "<omitted>", "message": "{% $answer %}"}}
    out, assigned = df.output(state, env({"in": 1}, {"answer": 42}, result={"Payload": "p"}))
    assert out == {"result": "p"}
    # Assign sees the variables as they were on entering the state, not its own assignments.
    assert assigned == {"answer": "<omitted>", "message": 42}


def test_output_defaults_to_the_result():
    assert df.output({"Type": "Task"}, env({"in": 1}, result={"r": 1})) == ({"r": 1}, {})


def test_pass_states_have_no_states_result():
    with pytest.raises(StatesError):
        df.output({"Type": "Pass", "Output": "{% $states.result %}"}, env(result={}))


def test_catch_output_defaults_to_the_error_output_and_assign_sees_it():
    err = {"Error": "Exception", "Cause": "boom"}
    catcher = {"ErrorEquals": ["States.ALL"], "Assign": {"e": "{% $states.errorOutput %}"}}
    assert df.catch_output(catcher, env({"i": 1}, error_output=err)) == (err, {"e": err})


def test_catch_output_builds_from_input_and_error():
    catcher = {"Output": {"stateInput": "{% $states.input %}", "stateError": "{% $states.errorOutput %}"}}
    out, _ = df.catch_output(catcher, env({"i": 1}, error_output={"Error": "E"}))
    assert out == {"stateInput": {"i": 1}, "stateError": {"Error": "E"}}


def test_fields_evaluate_expressions_and_keep_literals():
    e = env({"waitSeconds": 5})
    seconds = df.field({"Seconds": "{% $states.input.waitSeconds %}"}, "Seconds", e)
    assert (seconds.value, seconds.field, seconds.expression) == (5, "Seconds", "$states.input.waitSeconds")
    literal = df.field({"Seconds": 3}, "Seconds", e)
    assert (literal.value, literal.expression) == (3, None)
    assert df.field({}, "Seconds", e) is None


def test_map_items_may_mix_literals_and_expressions():
    assert df.map_items({"Items": [1, "{% $number('2') %}", 3]}, env()) == [1, 2, 3]


@pytest.mark.parametrize("expr, kind, shown", [
    ("{% true %}", "boolean", "true"), ("{% null %}", "null", "null"), ("{% 1 %}", "number", "1"),
    ("{% {'foo': 'bar'} %}", "object", '{"foo":"bar"}'), ("{% 'string' %}", "string", '"string"'),
])
def test_map_items_must_be_an_array(expr, kind, shown):
    with pytest.raises(StatesError) as err:
        df.map_items({"Items": expr}, env())
    text = expr[3:-3]
    assert err.value.cause == WHERE + (
        f"The JSONata expression '{text}' specified for the field 'Items' returned an unexpected "
        f"result type. Expected 'array', but was '{kind}' for value: {shown}")


def test_map_without_items_iterates_the_input():
    assert df.map_items({}, env([1, "two"])) == [1, "two"]
    with pytest.raises(StatesError) as err:
        df.map_items({}, env({"foo": "bar"}))
    assert err.value.cause == WHERE + 'Map state input must be an array but was: {"foo":"bar"}'


def test_item_selector_reads_the_map_item_from_the_context():
    state = {"ItemSelector": {"v": "{% $states.context.Map.Item.Value %}", "var": "{% $x %}"}}
    assert df.item_input(state, env(variables={"x": [1]}), 0, "Item1") == {"v": "Item1", "var": [1]}


CHOICE = {"Type": "Choice", "Default": "D", "Assign": {"a": "default"}, "Output": "Default Output",
          "Choices": [{"Condition": "{% $states.input.condition %}", "Next": "T",
                       "Assign": {"a": "rule"}, "Output": "Condition Output"}]}


def test_a_matching_rule_supplies_next_output_and_assign():
    outcome = df.choose(CHOICE, env({"condition": True}))
    assert (outcome.next, outcome.output, outcome.assigned) == ("T", "Condition Output", {"a": "rule"})


def test_the_default_uses_the_state_level_output_and_assign():
    outcome = df.choose(CHOICE, env({"condition": False}))
    assert (outcome.next, outcome.output, outcome.assigned) == ("D", "Default Output", {"a": "default"})


def test_a_literal_boolean_condition_is_allowed():
    state = {"Choices": [{"Condition": True, "Next": "T"}]}
    outcome = df.choose(state, env({"x": 1}))
    assert (outcome.next, outcome.output) == ("T", {"x": 1})


def test_a_non_boolean_condition_is_a_query_evaluation_error():
    with pytest.raises(StatesError) as err:
        df.choose({"Choices": [{"Condition": "{% 1 %}", "Next": "T"}]}, env())
    assert err.value.error == "States.QueryEvaluationError"


def test_no_match_without_default_is_no_choice_matched():
    with pytest.raises(StatesError) as err:
        df.choose({"Choices": [{"Condition": False, "Next": "T"}]}, env())
    assert err.value.error == "States.NoChoiceMatched"


def test_other_templates_render_over_the_state_input():
    assert df.render_template({"b": "{% $states.input.tag %}", "lit": "$.x"}, env({"tag": "t"}),
                              "BatchInput") == {"b": "t", "lit": "$.x"}


def test_every_dataflow_method_has_a_jsonata_implementation():
    # A method added to the interface with a default `raise NotImplementedError` must not
    # silently reach JSONata states.
    from engine.asl.dataflow.base import DataFlow
    missing = [name for name in dir(DataFlow) if not name.startswith("_")
               and callable(getattr(DataFlow, name))
               and getattr(JSONataDataFlow, name) is getattr(DataFlow, name)]
    assert missing == []
