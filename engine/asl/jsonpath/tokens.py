"""The tokens of a compiled JSONPath, as Jayway JsonPath splits a path.

Each token knows whether it is *definite* (selects at most one node). Jayway: "A path is
indefinite if it contains: `..` (deep scan), `?(<expression>)`, `[<number>, <number> (,
<number>)]`" — plus wildcards and slices; a leaf `['a','b']` is definite (its properties are
merged into one object), a function is definite. `fragment` is the token as Jayway prints it
in normalized paths (`['a']`, `[0]`, `[*]`, `..`, `[1:2]`, `[?]`, `.length()`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Property:
    names: tuple          # one name, or several (`['a','b']`)

    @property
    def fragment(self) -> str:
        return "[" + ",".join(f"'{n}'" for n in self.names) + "]"


@dataclass(frozen=True)
class Index:
    indexes: tuple        # one or more ints; negative counts from the end

    @property
    def fragment(self) -> str:
        return "[" + ",".join(str(i) for i in self.indexes) + "]"


@dataclass(frozen=True)
class Slice:
    start: int | None
    stop: int | None

    @property
    def fragment(self) -> str:
        return f"[{'' if self.start is None else self.start}:{'' if self.stop is None else self.stop}]"


@dataclass(frozen=True)
class FromEnd:
    """`[(@.length-N)]`: the N-th item from the end (see compiler: an AWS deviation)."""
    offset: int

    @property
    def fragment(self) -> str:
        return f"[(@.length-{self.offset})]"


@dataclass(frozen=True)
class Wildcard:
    fragment = "[*]"


@dataclass(frozen=True)
class Scan:
    fragment = ".."


@dataclass(frozen=True)
class Filter:
    predicate: Any        # filters.Predicate
    text: str

    fragment = "[?]"


@dataclass(frozen=True)
class Function:
    name: str
    args: str             # the raw argument text ("" for `name()`)

    @property
    def fragment(self) -> str:
        return f".{self.name}({'...' if self.args else ''})"


def is_definite_token(token, leaf: bool) -> bool:
    if isinstance(token, Property):
        return len(token.names) == 1 or leaf
    if isinstance(token, Index):
        return len(token.indexes) == 1
    return isinstance(token, (Function, FromEnd))


def normalized(tokens) -> str:
    """The path as Jayway prints it in messages: `$['a'][0]`."""
    return "$" + "".join(t.fragment for t in tokens)
