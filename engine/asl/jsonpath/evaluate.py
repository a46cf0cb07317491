"""Evaluating compiled tokens against a JSON document, as Jayway's PathToken classes do
(default options: no SUPPRESS_EXCEPTIONS, no REQUIRE_PROPERTIES).

While every token so far was definite, a miss is an error with Jayway's explanation ("Missing
property in path $['a']", "Expected to find an object with property …"); once the path has
been indefinite, misses are silently skipped (an indefinite path that matches nothing is
`[]`). A definite path whose leaf is missing has no result: the caller reports "No results
for path: <normalized path>".
"""
from __future__ import annotations

import json

from . import tokens as T


class NotFound(Exception):
    """A definite path cannot be followed; `detail` is Jayway's message."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


class Evaluation:
    """One evaluation of a token tuple; `results` collects the matches in document order."""

    __slots__ = ("tokens", "upstream", "root", "results")

    def __init__(self, tokens: tuple, upstream: tuple, root):
        self.tokens = tokens
        self.upstream = upstream    # upstream[i]: every token before i is definite
        self.root = root
        self.results: list = []

    def walk(self, i: int, trail: tuple, model) -> None:
        tokens = self.tokens
        if i == len(tokens):
            self.results.append(model)
            return
        tok = tokens[i]
        kind = type(tok)
        if kind is T.Property:
            self._property(i, tok, trail, model)
        elif kind is T.Index:
            if self._is_array(i, tok, trail, model):
                n = len(model)
                for idx in tok.indexes:
                    eff = idx + n if idx < 0 else idx
                    if 0 <= eff < n:  # Jayway: out of bounds is no match, not an error
                        self.walk(i + 1, trail + (f"[{idx}]",), model[eff])
        elif kind is T.Slice:
            if self._is_array(i, tok, trail, model):
                for idx in _slice_indexes(tok, len(model)):
                    self.walk(i + 1, trail + (f"[{idx}]",), model[idx])
        elif kind is T.Wildcard:
            if isinstance(model, dict):
                for key, value in model.items():
                    self.walk(i + 1, trail + (f"['{key}']",), value)
            elif isinstance(model, list):
                for idx, value in enumerate(model):
                    self.walk(i + 1, trail + (f"[{idx}]",), value)
        elif kind is T.Scan:
            self._scan(i, trail, model)
        elif kind is T.Filter:
            self._filter(i, tok, trail, model)
        elif kind is T.Function:
            self._function(i, tok, trail, model)
        elif kind is T.FromEnd:
            if self._is_array(i, tok, trail, model):
                idx = len(model) - tok.offset
                if 0 <= idx < len(model):
                    self.walk(i + 1, trail + (f"[{idx}]",), model[idx])

    # -- tokens ---------------------------------------------------------------------------
    def _property(self, i: int, tok: T.Property, trail: tuple, model) -> None:
        leaf = i == len(self.tokens) - 1
        if not isinstance(model, dict):
            if not self.upstream[i]:
                return
            # Jayway: "Expected to find an object with property ['b'] in path $['a'] but found
            # 'java.lang.Integer'. …" (the Java class named as the JSON type).
            raise NotFound(f"Expected to find an object with property {tok.fragment} in path "
                           f"{'$' + ''.join(trail)} but found '{_type_name(model)}'. This is not "
                           "a json object.")
        names = tok.names
        if len(names) > 1 and leaf:
            # Jayway's "multi property merge": one object with those of the keys that exist.
            self.results.append({k: model[k] for k in names if k in model})
            return
        definite = len(names) == 1
        for name in names:
            here = trail + (f"['{name}']",)
            if name in model:
                self.walk(i + 1, here, model[name])
            elif not leaf and self.upstream[i] and definite:
                raise NotFound(f"Missing property in path {'$' + ''.join(here)}")

    def _is_array(self, i: int, tok, trail: tuple, model) -> bool:
        if isinstance(model, list):
            return True
        if not self.upstream[i]:
            return False
        raise NotFound(f"Filter: {tok.fragment} can only be applied to arrays. Current context "
                       f"is: {_json(model)}")

    def _filter(self, i: int, tok: T.Filter, trail: tuple, model) -> None:
        accept, root = tok.predicate, self.root
        if isinstance(model, dict):
            if accept(model, root):
                self.walk(i + 1, trail, model)
        elif isinstance(model, list):
            for idx, item in enumerate(model):
                # AWS ("Reference Paths"): "The @ operator, matching the current node being
                # processed in a filter, does not match scalar values. It only matches
                # objects." Jayway would test scalars too.
                if isinstance(item, dict) and accept(item, root):
                    self.walk(i + 1, trail + (f"[{idx}]",), item)
        elif self.upstream[i]:
            raise NotFound(f"Filter: {tok.text} can not be applied to primitives. Current "
                           f"context is: {_json(model)}")

    def _function(self, i: int, tok: T.Function, trail: tuple, model) -> None:
        result = apply_function(tok, model)
        self.walk(i + 1, trail + (tok.fragment,), result)

    def _scan(self, i: int, trail: tuple, model) -> None:
        """`..`: the next token applied at this node and at every node below it (Jayway's
        ScanPathToken: objects before their members, arrays before their items)."""
        if i + 1 >= len(self.tokens):
            return
        target = self.tokens[i + 1]
        matches = _scan_predicate(target, self.root)

        def visit(node, path: tuple) -> None:
            if isinstance(node, dict):
                if matches(node):
                    self.walk(i + 1, path, node)
                for key, value in node.items():
                    visit(value, path + (f"['{key}']",))
            elif isinstance(node, list):
                if matches(node):
                    self.walk(i + 1, path, node)
                for idx, value in enumerate(node):
                    visit(value, path + (f"[{idx}]",))
        visit(model, trail)


def _scan_predicate(target, root):
    if isinstance(target, T.Property):
        names = target.names
        return lambda node: isinstance(node, dict) and all(n in node for n in names)
    if isinstance(target, (T.Index, T.Slice, T.FromEnd)):
        return lambda node: isinstance(node, list)
    if isinstance(target, T.Wildcard):
        return lambda node: True
    if isinstance(target, T.Filter):
        # Jayway tests the filter on the visited node itself, so an object is selected once
        # (when visited), not also as an item of the array holding it.
        return lambda node: isinstance(node, dict) and target.predicate(node, root)
    return lambda node: False


def _slice_indexes(tok: T.Slice, n: int) -> range | list:
    """Jayway's ArraySliceToken, quirks included: `[a:]` and `[:b]` take negative bounds
    from the end; in `[a:b]` only b is capped and a negative a walks from the end up to b
    (`[-2:2]` on 5 items is [3, 4, 0, 1]; `[1:-1]` is empty)."""
    start, stop = tok.start, tok.stop
    if n == 0:
        return []
    if stop is None:
        begin = max(0, n + start if start < 0 else start)
        return range(begin, n)
    if start is None:
        end = min(n, n + stop if stop < 0 else stop)
        return range(0, max(end, 0))
    end = min(n, stop)
    if start >= end:
        return []
    return [(k + n if k < 0 else k) for k in range(start, end) if -n <= k < n]


class UnsupportedFunction(NotFound):
    pass


def apply_function(tok: T.Function, model):
    """Jayway path functions. `length()` is the one AWS evaluates: arrays and objects give
    their size, anything else null (Jayway's Length). AWS accepts definitions with the other
    functions but fails the path when it runs: `$.Jobs.sum()` on an array of numbers gave
    "The JSONPath '$.Jobs.sum()' specified for the field 'Jobs.$' could not be found in the
    input" (repost.aws QUYiQKP0XfThWEc_ahsMnLOA), so they select nothing here."""
    if tok.name == "length" and not tok.args:
        return len(model) if isinstance(model, (list, dict)) else None
    raise UnsupportedFunction(f"Function {tok.name}() is not available: no results")
