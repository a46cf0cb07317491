"""Array intrinsics: States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem,
ArrayLength, ArrayUnique."""
from __future__ import annotations

from . import register
from ._checks import fail, json_equal, need_array, need_int

# AWS docs (States.ArrayRange): "The newly generated array can't contain more than 1000 items."
ARRAY_RANGE_MAX_ITEMS = 1000


@register("States.Array", 0, None)
def array(args, _nodes):
    # Spec: "States.Array … takes zero or more arguments … returns a JSON array containing
    # the values of the arguments, in the order provided."
    return list(args)


@register("States.ArrayPartition", 2)
def array_partition(args, _nodes):
    # AWS docs: "You must specify a non-zero, positive integer for the chunk size value";
    # the last chunk may be shorter (corpus intrinsic__array_partition_*).
    name = "States.ArrayPartition"
    items = need_array(name, args[0], "first argument")
    size = need_int(name, args[1], "chunk size")
    if size <= 0:
        raise fail(name, f"the chunk size must be a positive integer, but was {size}")
    return [items[i:i + size] for i in range(0, len(items), size)]


@register("States.ArrayContains", 2)
def array_contains(args, _nodes):
    # Deep JSON equality: [[1,2,3],2] contains [1,2,3]; [] does not contain [] (corpus).
    items = need_array("States.ArrayContains", args[0], "first argument")
    return any(json_equal(item, args[1]) for item in items)


@register("States.ArrayRange", 3)
def array_range(args, _nodes):
    # AWS docs: "returns a new array containing a specific range of elements … start, end
    # (inclusive) and step"; "You must specify a non-zero value for step".
    name = "States.ArrayRange"
    start = need_int(name, args[0], "start")
    end = need_int(name, args[1], "end")
    step = need_int(name, args[2], "step")
    if step == 0:
        raise fail(name, "the step value must not be zero")
    count = 0 if (end - start) * step < 0 else (end - start) // step + 1
    if count > ARRAY_RANGE_MAX_ITEMS:
        raise fail(name, f"the range would contain {count} items, more than the maximum of "
                         f"{ARRAY_RANGE_MAX_ITEMS}")
    return [start + i * step for i in range(count)]


@register("States.ArrayGetItem", 2)
def array_get_item(args, _nodes):
    name = "States.ArrayGetItem"
    items = need_array(name, args[0], "first argument")
    index = need_int(name, args[1], "index")
    if not 0 <= index < len(items):
        raise fail(name, f"the index {index} is out of bounds for an array of length {len(items)}")
    return items[index]


@register("States.ArrayLength", 1)
def array_length(args, _nodes):
    return len(need_array("States.ArrayLength", args[0]))


@register("States.ArrayUnique", 1)
def array_unique(args, _nodes):
    # Keeps the first occurrence of each value, in order; equality is JSON equality
    # (true and 1 are different values).
    out: list = []
    for item in need_array("States.ArrayUnique", args[0]):
        if not any(json_equal(item, seen) for seen in out):
            out.append(item)
    return out
