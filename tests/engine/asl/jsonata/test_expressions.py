"""The `{% ... %}` adapter: what counts as an expression, rendering, and AWS's causes."""
import pytest

from engine.asl.errors import StatesError
from engine.asl.jsonata import UNDEFINED, evaluate, is_expression, render

INPUT = {"input_value": "string literal", "input_values": [1, 2, 3]}


def bindings(**variables):
    return {"states": {"input": INPUT}, **variables}


@pytest.mark.parametrize("s", ["{% $x %}", "{%$x%}", "{% %}"])
def test_strings_wrapped_in_delimiters_are_expressions(s):
    assert is_expression(s)


@pytest.mark.parametrize("s", [" {% states.input %} ", "{% $x", "$states.input", "{%", 1, None])
def test_anything_else_is_a_literal(s):
    assert not is_expression(s)


def test_expression_reads_states_input_and_variables():
    value = evaluate("{% $sum($states.input.input_values) + $var_constant_1 %}",
                     bindings(var_constant_1=1), "Output")
    assert value == 7


def test_render_keeps_literals_and_dollar_keys_verbatim():
    # output__base_cases_base_literals: JSONata states do not process ".$" keys or paths.
    template = {"constant_jp_input.$": "$", "path": "$.input_value", "intrinsic":
                "States.Format('Format:{}', 101)", "not_jsonata": " {% states.input %} ",
                "nested": [None, 0, 0.1, True, [], {"constant": 0}, "$states.input"]}
    assert render(template, bindings(), "Output") == template


def test_render_evaluates_nested_expressions():
    template = [None, "$nosuchvar", "{% $states.input %}", {"key": "{% true %}"}]
    assert render(template, bindings(), "Output") == [None, "$nosuchvar", INPUT, {"key": True}]


def test_undefined_result_is_the_sentinel_from_evaluate():
    assert evaluate("{% $doesNotExist %}", bindings(), "Output") is UNDEFINED


@pytest.mark.parametrize("template, field", [
    ("{% $doesNotExist %}", "Output"),
    ({"result": "{% $doesNotExist %}"}, "Output/result"),
    ({"FunctionName": "{% $doesNotExist %}"}, "Arguments/FunctionName"),
])
def test_render_fails_when_an_expression_returns_nothing(template, field):
    root = field.split("/")[0]
    with pytest.raises(StatesError) as err:
        render(template, bindings(), root)
    assert err.value.error == "States.QueryEvaluationError"
    assert err.value.cause == (f"The JSONata expression '$doesNotExist' specified for the field "
                               f"'{field}' returned nothing (undefined).")


def test_list_items_are_named_by_index_in_causes():
    with pytest.raises(StatesError) as err:
        render({"a": [1, "{% $nope %}"]}, bindings(), "Output")
    assert "'Output/a/1'" in err.value.cause


def test_a_function_result_is_an_unsupported_result_type():
    with pytest.raises(StatesError) as err:
        evaluate("{% $fn := function($x){$x} %}", bindings(), "Items")
    assert err.value.cause == ("The JSONata expression '$fn := function($x){$x}' specified for "
                               "the field 'Items' returned an unsupported result type.")


@pytest.mark.parametrize("expr", ["{% ( %}", "{% 1/0 %}", "{% $toMillis('2016-13-05T21:29:29Z') %}",
                                  "{% 'a' + 1 %}"])
def test_syntax_and_runtime_errors_are_query_evaluation_errors(expr):
    with pytest.raises(StatesError) as err:
        evaluate(expr, bindings(), "Output")
    assert err.value.error == "States.QueryEvaluationError"
    assert "specified for the field 'Output' threw an error during evaluation" in err.value.cause


def test_top_level_dollar_has_no_context_value():
    # Step Functions evaluates with no input document: data is reached through $states.
    assert evaluate("{% $ %}", bindings(), "Output") is UNDEFINED
    assert evaluate("{% input_value %}", bindings(), "Output") is UNDEFINED


def test_regular_expressions_and_quotes_behave_like_reference_jsonata():
    assert evaluate('{% $contains("hello$world", /^hello\\$/) %}', {}, "Output") is True
    assert evaluate("{% $contains('hello$world', /^hello\\ /) %}", {}, "Output") is False
    assert evaluate("{% $var = '\"' %}", {"var": '"'}, "Output") is True


def test_variable_binding_inside_an_expression_returns_its_value():
    assert evaluate("{% $variable := 1 %}", {}, "MaxConcurrency") == 1


def test_results_do_not_alias_the_bindings():
    data = {"a": [1, 2]}
    out = evaluate("{% $states.input %}", {"states": {"input": data}}, "Output")
    out["a"].append(3)
    assert data == {"a": [1, 2]}


def test_integral_numbers_come_back_as_integers():
    # JavaScript has a single number type; AWS prints 1.5 * 2 as 3.
    assert evaluate("{% 1.5 * 2 %}", {}, "Output") == 3
    assert isinstance(evaluate("{% 1.5 * 2 %}", {}, "Output"), int)
    assert evaluate("{% 0.1 %}", {}, "Output") == 0.1


def test_singleton_sequences_collapse_but_array_literals_do_not():
    assert evaluate("{% [0] %}", {}, "Items") == [0]
    assert evaluate("{% $states.input.a.b %}", {"states": {"input": {"a": [{"b": 1}]}}},
                    "Output") == 1


def test_a_runaway_expression_is_stopped(monkeypatch):
    from engine.asl.jsonata import engine
    monkeypatch.setattr(engine, "EVALUATION_TIMEOUT_MS", 50)
    with pytest.raises(StatesError) as err:
        evaluate("{% ($f := function($n){ $n = 0 ? 0 : $f($n - 1) + 0 }; $f(100000)) %}", {}, "Output")
    assert err.value.error == "States.QueryEvaluationError"


def test_cached_expressions_do_not_inherit_an_old_time_limit(monkeypatch):
    # jsonata-python starts its timeout clock at compile time; ours starts per evaluation.
    from engine.asl.jsonata import engine
    evaluate("{% 1 + 2 %}", {}, "Output")  # compiled and cached
    monkeypatch.setattr(engine.Timebox, "current_milli_time",
                        staticmethod(lambda base=engine.Timebox.current_milli_time(): base + 10 ** 9))
    assert evaluate("{% 1 + 2 %}", {}, "Output") == 3


def test_errors_carry_the_field_path_as_their_location():
    with pytest.raises(StatesError) as err:
        render({"a": {"b": "{% $nope %}"}}, bindings(), "Output")
    assert err.value.location == "Output/a/b"


def test_whole_states_object_is_available_when_not_accessed_by_member():
    b = {"states": {"input": {"a": 1}, "context": {"Execution": {"Id": "arn"}}}}
    assert evaluate("{% $lookup($states, 'context').Execution.Id %}", b, "Output") == "arn"
    assert evaluate("{% $keys($states) %}", b, "Output") == ["input", "context"]
    assert evaluate("{% $states.context.Execution.Id & $states . input.a %}", b, "Output") == "arn1"


def test_variables_used_only_inside_lambdas_are_bound():
    assert evaluate("{% $map([1, 2], function($v){ $v * $factor }) %}", {"factor": 3}, "Output") == [3, 6]


def test_prepared_bindings_convert_each_value_once():
    from engine.asl.jsonata import Bindings
    prepared = Bindings.of({"states": {"input": {"a": [1]}}, "v": {"k": None}})
    assert evaluate("{% $v.k = null %}", prepared, "Output") is True
    assert evaluate("{% $states.input.a %}", prepared, "Output") == [1]
    assert evaluate("{% [$v, $states.input] %}", prepared, "Output") == [{"k": None}, {"a": [1]}]
