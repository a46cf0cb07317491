"""Math intrinsics: States.MathRandom, States.MathAdd."""
from __future__ import annotations

import random

from . import register
from ._checks import fail, need_int


@register("States.MathAdd", 2)
def math_add(args, _nodes):
    # AWS: each argument is rounded to the nearest integer (Java Math.round) before adding:
    # MathAdd(1.49, 1.5) = 1 + 2 = 3, MathAdd(1.5, 1.51) = 4 (corpus intrinsic__math_add_*).
    name = "States.MathAdd"
    return need_int(name, args[0], "first argument") + need_int(name, args[1], "second argument")


@register("States.MathRandom", 2, 3)
def math_random(args, _nodes):
    # AWS docs: "returns a random number between the specified start number (inclusive) and
    # end number (exclusive)"; an optional third argument seeds the generator, so the same
    # seed gives the same number.
    name = "States.MathRandom"
    start = need_int(name, args[0], "start")
    end = need_int(name, args[1], "end")
    if end <= start:
        raise fail(name, f"the end ({end}) must be greater than the start ({start})")
    rng = random.Random(need_int(name, args[2], "seed")) if len(args) == 3 else random
    return rng.randrange(start, end)
