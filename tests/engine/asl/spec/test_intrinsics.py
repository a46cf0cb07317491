"""AWS developer guide "Intrinsic functions for JSONPath states" — every function with edge
arguments, nesting and escaping (backslash escapes for ' { } \\)."""
import base64
import hashlib
import json
import uuid

import pytest

from .helpers import pass_value

INPUT = {"s": "x", "o": {"a": {"b": 1}, "k": "v"}, "arr": [1, 2, 3, 4, 5], "j": "{\"x\":[1,2]}"}


def ok(expr, input_value=INPUT):
    r = pass_value(expr, input_value)
    assert r.status == "SUCCEEDED", (expr, r.error, r.cause)
    return r.output["r"]


def fails(expr, input_value=INPUT, error="States.IntrinsicFailure"):
    r = pass_value(expr, input_value)
    assert (r.status, r.error) == ("FAILED", error), (expr, r.output)
    return r.cause


# JSON text of the expressions (as written in a definition file) so escapes are explicit.
@pytest.mark.parametrize("json_text, expected", [
    (r'''"States.Format('{} and {}', 'a', 'b')"''', "a and b"),
    (r'''"States.Format('Hello, my name is {}.', $.s)"''', "Hello, my name is x."),
    (r'''"States.Format('x\\{\\}y {}', 1)"''', "x{}y 1"),
    (r'''"States.Format('it\\'s {}', $.s)"''', "it's x"),
    (r'''"States.Format('back\\\\slash {}', $.s)"''', "back\\slash x"),
    (r'''"States.Format('{}', 'a,b')"''', "a,b"),
    (r'''"States.Format('{}', 'it\\'s')"''', "it's"),
    (r'''"States.Format('{} {} {}', null, true, 3)"''', "null true 3"),
    (r'''"States.Format('{}', $$.State.Name)"''', "A"),
    (r'''"States.Format('{}', States.ArrayLength($.arr))"''', "5"),
    (r'''"States.Format('plain')"''', "plain"),
])
def test_format(json_text, expected):
    assert ok(json.loads(json_text)) == expected


@pytest.mark.parametrize("expr", ["States.Format('{}{}', 1)", "States.Format('{}', 1, 2)"])
def test_format_argument_count_mismatch(expr):
    fails(expr)


def test_string_to_json_and_back():
    assert ok("States.StringToJson($.j)") == {"x": [1, 2]}
    assert ok("States.JsonToString($.o)") == '{"a":{"b":1},"k":"v"}'
    assert ok("States.StringToJson(States.JsonToString($.o))") == INPUT["o"]


def test_string_to_json_invalid():
    fails("States.StringToJson($.s)")


def test_array():
    assert ok("States.Array(1, 'a', $.o.k, null, true)") == [1, "a", "v", None, True]
    assert ok("States.Array($.arr)") == [[1, 2, 3, 4, 5]]


def test_array_partition():
    assert ok("States.ArrayPartition($.arr, 2)") == [[1, 2], [3, 4], [5]]
    assert ok("States.ArrayPartition($.arr, 10)") == [[1, 2, 3, 4, 5]]
    assert ok("States.ArrayPartition($.e, 3)", {"e": []}) == []
    fails("States.ArrayPartition($.arr, 0)")
    fails("States.ArrayPartition($.arr, -1)")


def test_array_contains():
    assert ok("States.ArrayContains($.arr, 3)") is True
    assert ok("States.ArrayContains($.arr, 9)") is False
    assert ok("States.ArrayContains($.a, $.b)", {"a": [{"x": 1}], "b": {"x": 1}}) is True


def test_array_range():
    assert ok("States.ArrayRange(1, 9, 2)") == [1, 3, 5, 7, 9]
    assert ok("States.ArrayRange(9, 1, -3)") == [9, 6, 3]
    assert ok("States.ArrayRange(1, 1, 1)") == [1]
    assert len(ok("States.ArrayRange(1, 1000, 1)")) == 1000
    fails("States.ArrayRange(1, 9, 0)")
    fails("States.ArrayRange(1, 1001, 1)")  # more than 1000 items


def test_array_get_item():
    assert ok("States.ArrayGetItem($.arr, 0)") == 1
    assert ok("States.ArrayGetItem($.arr, 4)") == 5
    fails("States.ArrayGetItem($.arr, 5)")


def test_array_length_and_unique():
    assert ok("States.ArrayLength($.arr)") == 5
    assert ok("States.ArrayLength($.e)", {"e": []}) == 0
    assert ok("States.ArrayUnique($.a)", {"a": [1, 2, 2, 3, 3, 3, "1"]}) == [1, 2, 3, "1"]
    fails("States.ArrayLength($.s)")


def test_base64():
    assert ok("States.Base64Encode('Data to encode')") == "RGF0YSB0byBlbmNvZGU="
    assert ok("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')") == "Data to encode"
    assert ok("States.Base64Decode(States.Base64Encode('é ü'))") == "é ü"
    fails("States.Base64Encode($.t)", {"t": "x" * 10001})  # input limit 10,000 characters


@pytest.mark.parametrize("alg, fn", [("MD5", hashlib.md5), ("SHA-1", hashlib.sha1), ("SHA-256", hashlib.sha256),
                                     ("SHA-384", hashlib.sha384), ("SHA-512", hashlib.sha512)])
def test_hash(alg, fn):
    assert ok(f"States.Hash('input data', '{alg}')") == fn(b"input data").hexdigest()


def test_hash_unknown_algorithm():
    fails("States.Hash('input data', 'SHA-3')")


def test_json_merge_is_shallow():
    a = {"a": {"b": 1}, "k": "v"}
    b = {"a": {"z": 1}, "c": 3}
    assert ok("States.JsonMerge($.a, $.b, false)", {"a": a, "b": b}) == {"a": {"z": 1}, "k": "v", "c": 3}
    fails("States.JsonMerge($.a, $.b, true)", {"a": a, "b": b})  # deep merge unsupported


def test_math_add():
    assert ok("States.MathAdd(111, -1)") == 110
    assert ok("States.MathAdd($.v, $.step)", {"v": 111, "step": -1}) == 110


def test_math_random_in_range_and_seeded():
    for _ in range(5):
        v = ok("States.MathRandom(1, 10)")
        assert isinstance(v, int) and 1 <= v <= 10
    assert ok("States.MathRandom(1, 1000, 7)") == ok("States.MathRandom(1, 1000, 7)")


def test_string_split():
    assert ok("States.StringSplit('1,2,3,4,5', ',')") == ["1", "2", "3", "4", "5"]
    # every character of the delimiter string is a delimiter
    assert ok("States.StringSplit('This.is+a,test=string', '.+,=')") == ["This", "is", "a", "test", "string"]


def test_uuid_is_v4():
    v = ok("States.UUID()")
    assert uuid.UUID(v).version == 4


def test_nested_intrinsics():
    assert ok("States.ArrayGetItem(States.StringSplit($.t, ','), 1)", {"t": "a,b,c"}) == "b"
    assert ok("States.JsonToString(States.Array(1, 2))") == "[1,2]"


def test_intrinsic_path_argument_not_found_is_runtime():
    fails("States.Format('{}', $.missing)", error="States.Runtime")


def test_intrinsics_in_result_selector_and_item_selector(script):
    from .helpers import branch, machine, run
    h = script({"list": ["a", "b", "c"]})
    d = machine({"A": h.task(ResultSelector={"n.$": "States.ArrayLength($.list)", "xs.$": "$.list"}, Next="M"),
                 "M": {"Type": "Map", "ItemsPath": "$.xs",
                       "ItemSelector": {"s.$": "States.Format('item {} = {}', $$.Map.Item.Index, $$.Map.Item.Value)"},
                       "ItemProcessor": branch({"P": {"Type": "Pass", "End": True}}), "ResultPath": "$.out", "End": True}})
    r = run(d, {})
    assert r.output == {"n": 3, "xs": ["a", "b", "c"],
                        "out": [{"s": "item 0 = a"}, {"s": "item 1 = b"}, {"s": "item 2 = c"}]}


def test_intrinsic_in_items_path_is_rejected():
    # ItemsPath is a Reference Path; intrinsics are allowed in Parameters, ResultSelector,
    # ItemSelector (and Fail ErrorPath/CausePath), not there.
    from engine.asl import InvalidDefinition
    from .helpers import branch, machine, run
    d = machine({"M": {"Type": "Map", "ItemsPath": "States.ArrayRange(1, 3, 1)",
                       "ItemProcessor": branch({"P": {"Type": "Pass", "End": True}}), "End": True}})
    with pytest.raises(InvalidDefinition):
        run(d, {})
