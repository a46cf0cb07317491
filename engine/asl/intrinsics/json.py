"""JSON intrinsics: States.StringToJson, States.JsonToString, States.JsonMerge."""
from __future__ import annotations

import json as _json

from ..paths import is_boolean, to_json_str
from . import register
from ._checks import fail, need_object, need_string


def _reject_constant(name: str):
    # Python's json accepts NaN/Infinity; JSON (and Jackson, which AWS uses) does not.
    raise ValueError(f"not JSON: {name}")


@register("States.StringToJson", 1)
def string_to_json(args, _nodes):
    # AWS (Jackson): an empty or blank string parses to null (corpus
    # intrinsic__string_to_json_exec_hist_resp_0/1); "-0" is 0.
    name = "States.StringToJson"
    text = need_string(name, args[0])
    if not text.strip():
        return None
    try:
        return _json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        raise fail(name, f"the argument is not valid JSON: {text}") from None


@register("States.JsonToString", 1)
def json_to_string(args, _nodes):
    # Compact JSON, as Jackson writes it: {"Arg1":1,"Arg2":[]} (corpus).
    return to_json_str(args[0])


@register("States.JsonMerge", 3)
def json_merge(args, _nodes):
    # AWS docs: "merges two JSON objects into a single object … set the deep merging mode
    # to false" — only the shallow mode exists: keys of the second object replace those of the
    # first (corpus intrinsic__json_merge_exec_hist_resp_0).
    name = "States.JsonMerge"
    left = need_object(name, args[0], "first argument")
    right = need_object(name, args[1], "second argument")
    deep = args[2]
    if not is_boolean(deep):
        raise fail(name, f"the deep merge flag must be a boolean, but was {to_json_str(deep)}")
    if deep:
        raise fail(name, "deep merging is not supported; the third argument must be false")
    merged = dict(left)
    merged.update(right)
    return merged
