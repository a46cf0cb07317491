"""JSONPath for JSONPath-mode states: read (InputPath, OutputPath, `.$` fields, Choice
Variables), write (ResultPath), and syntax checks for the validator.

Spec ("Paths"): "A Path is a string, beginning with '$', used to identify components with a
JSON text. The syntax is that of JsonPath." and "A Reference Path is a Path with syntax limited
in such a way that it can only identify a single node in a JSON structure: the operators '@',
',', ':', and '?' are not supported - all Reference Paths MUST be unambiguous references to a
single value, array, or object (subtree)."

AWS evaluates paths with Jayway JsonPath (Java); `engine.asl.jsonpath` implements its grammar
and semantics, with AWS's deviations noted there and below as "AWS:".

Two readers:
* a hand-written fast path for definite paths made only of `.name`, `['name']` and `[n]`
  (the great majority of paths in definitions), whose "not found" messages follow Jayway's
  wording, which AWS copies into its causes;
* `engine.asl.jsonpath` for everything else: wildcards, slices, filters, `..`, functions,
  several indexes or names. Indefinite paths always return a list.

Compiled paths are cached (`_compile` is an lru_cache keyed by the path string).
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from .errors import ErrorName, StatesError
from .jsonpath import JsonPathSyntaxError, NotFound, compile_path
from .jsonpath import tokens as jt

# ---------------------------------------------------------------------------------------------
# JSON value predicates: written once, imported by payload, intrinsics and choice_rules.
# Python's bool is a subclass of int; in JSON `true` is not a number, so every numeric test
# must exclude bool explicitly.
# ---------------------------------------------------------------------------------------------


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_integer_value(value: Any) -> bool:
    """A JSON number with no fractional part (1 and 1.0 both count, as in Jackson's canConvertToInt)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


def is_string(value: Any) -> bool:
    return isinstance(value, str)


def is_boolean(value: Any) -> bool:
    return isinstance(value, bool)


def is_object(value: Any) -> bool:
    return isinstance(value, dict)


def is_array(value: Any) -> bool:
    return isinstance(value, list)


def json_type_name(value: Any) -> str:
    """The JSON type as AWS names it in causes: null, boolean, number, string, array, object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def to_json_str(value: Any) -> str:
    """Compact JSON as AWS (Jackson) prints values inside causes: no spaces, non-ASCII kept."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


class PathNotFound(Exception):
    """A definite path matched nothing. `.path` is the path as written; `.detail` is Jayway's
    explanation (AWS: "Invalid path '$.x' : No results for path: $['x']")."""

    def __init__(self, path: str, detail: str | None = None, data: Any = None):
        self.path = path
        self.detail = detail or f"No results for path: {path}"
        self.data = data
        super().__init__(f"Invalid path '{path}' : {self.detail}")

    @property
    def cause(self) -> str:
        """The States.Runtime cause AWS gives for InputPath/OutputPath/…SecondsPath misses
        (corpus: scenario__invalid_jsonpath_st_invalid_jsonpath_in_inputpath,
        scenario__catch_states_runtime)."""
        return str(self)


class InvalidPath(ValueError):
    """The string is not a syntactically valid path (a definition error, not a runtime one)."""


# ---------------------------------------------------------------------------------------------
# Compilation
# ---------------------------------------------------------------------------------------------

DATA, CONTEXT, VARIABLE = "data", "context", "variable"

# A dotted member name in the fast path. Anything else (`*`, `..`, `?`, `(`, `,`, `:`, `@`,
# spaces, quotes) goes to the general compiler (engine.asl.jsonpath).
_NAME = r"[A-Za-z0-9_\-$\u0080-\uffff]+"
_TOKEN_RE = re.compile(
    r"\.(?P<dot>" + _NAME + r")"
    r"|\[\s*'(?P<sq>(?:[^'\\]|\\.)*)'\s*\]"
    r'|\[\s*"(?P<dq>(?:[^"\\]|\\.)*)"\s*\]'
    r"|\[\s*(?P<idx>-?\d+)\s*\]"
)
# Workflow variable names (JSONPath-mode `$name`): AWS: "Variable names … must start with a
# letter or underscore, and contain only letters, digits and underscores".
_VAR_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class _Compiled:
    source: str
    root: str            # DATA | CONTEXT | VARIABLE
    var_name: str | None
    tokens: tuple | None  # definite: tuple of str (member) / int (index); None if indefinite
    expr: Any = None      # jsonpath.CompiledPath for indefinite paths and functions
    body: str = "$"       # the path rewritten to start at `$`
    merge_keys: tuple | None = None  # `$.a['x','y']`: keys to merge into one object (see below)


def _unescape(s: str, quote: str) -> str:
    # AWS (Jayway bracket notation): a backslash escapes only the enclosing quote; any other
    # backslash is kept: $['Test\""Name"'] names the key Test\""Name" (corpus
    # scenario__escape_sequence_parsing_escape_sequences_jsonpath).
    return s.replace("\\" + quote, quote)


def _fast_tokens(body: str) -> tuple | None:
    """Tokens of a definite `$…` body, or None when the fast grammar does not cover it."""
    if not body.startswith("$"):
        return None
    pos, out = 1, []
    while pos < len(body):
        m = _TOKEN_RE.match(body, pos)
        if not m:
            return None
        if m.group("dot") is not None:
            out.append(m.group("dot"))
        elif m.group("sq") is not None:
            out.append(_unescape(m.group("sq"), "'"))
        elif m.group("dq") is not None:
            out.append(_unescape(m.group("dq"), '"'))
        else:
            out.append(int(m.group("idx")))
        pos = m.end()
    return tuple(out)


def _split_root(path: str) -> tuple[str, str | None, str]:
    """(root kind, variable name, body starting at `$`)."""
    if path.startswith("$$"):
        return CONTEXT, None, path[1:]
    m = _VAR_RE.match(path)
    if m:
        return VARIABLE, m.group(1), "$" + path[m.end():]
    return DATA, None, path


@functools.lru_cache(maxsize=4096)
def _compile(path: str) -> _Compiled:
    if not isinstance(path, str) or not path.startswith("$"):
        raise InvalidPath(f"a path must start with '$': {path!r}")
    root, var_name, body = _split_root(path)
    tokens = _fast_tokens(body)
    if tokens is not None:
        return _Compiled(path, root, var_name, tokens, None, body)
    try:
        compiled = compile_path(body)
    except JsonPathSyntaxError as exc:
        raise InvalidPath(f"invalid JSONPath {path!r}: {exc}") from None
    simple = _simple_tokens(compiled.tokens)
    if simple is not None and compiled.inverted_function is None:
        return _Compiled(path, root, var_name, simple, None, body)
    last = compiled.tokens[-1] if compiled.tokens else None
    if (compiled.inverted_function is None and isinstance(last, jt.Property)
            and len(last.names) > 1):
        parent = _simple_tokens(compiled.tokens[:-1])
        if parent is not None:
            return _Compiled(path, root, var_name, parent, None, body, last.names)
    return _Compiled(path, root, var_name, None, compiled, body)


def _simple_tokens(tokens: tuple) -> tuple | None:
    """The tokens of a chain of single names and single indexes (`$.a['b'][0]`, `$.[0]`) as
    names and ints, for the fast reader; None for anything else."""
    out = []
    for tok in tokens:
        if type(tok) is jt.Property and len(tok.names) == 1:
            out.append(tok.names[0])
        elif type(tok) is jt.Index and len(tok.indexes) == 1:
            out.append(tok.indexes[0])
        else:
            return None
    return tuple(out)


def is_valid_path(s: Any) -> bool:
    """A Path (spec): `$…`, `$$…` or a `$variable…` that JSONPath can parse; may be indefinite."""
    try:
        _compile(s)
    except InvalidPath:
        return False
    return True


def is_valid_reference_path(s: Any) -> bool:
    """A Reference Path (spec): a Path that identifies a single node (no `*`, `..`, `?`, `,`, `:`)."""
    try:
        c = _compile(s)
    except InvalidPath:
        return False
    return c.tokens is not None and c.merge_keys is None


def path_kind(s: Any) -> str | None:
    """"data" (`$…`), "context" (`$$…`), "variable" (`$name…`), or None if `s` is not a valid
    path. Lets the validator allow only the roots a field accepts."""
    try:
        return _compile(s).root
    except InvalidPath:
        return None


def is_definite(path: str) -> bool:
    """True when read_path returns the value itself rather than a list of matches."""
    c = _compile(path)
    return c.tokens is not None or c.expr.definite


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def _jayway(tokens: tuple) -> str:
    """The normalized path Jayway prints in its messages: $['a'][0]."""
    return "$" + "".join(f"[{t}]" if isinstance(t, int) else f"['{t}']" for t in tokens)


def _read_definite(c: _Compiled, data: Any) -> Any:
    node = data
    last = len(c.tokens) - 1
    for i, tok in enumerate(c.tokens):
        if isinstance(tok, int):
            if not isinstance(node, list):
                # AWS (Jayway ArrayIndexToken): indexing a non-array fails the path.
                raise PathNotFound(
                    c.source,
                    f"Filter: [{tok}] can only be applied to arrays. Current context is: "
                    f"{to_json_str(node)}", data)
            # AWS (Jayway): negative indexes count from the end; out of range is "no results".
            idx = tok + len(node) if tok < 0 else tok
            if not 0 <= idx < len(node):
                raise PathNotFound(c.source, f"No results for path: {_jayway(c.tokens)}", data)
            node = node[idx]
            continue
        if not isinstance(node, dict):
            raise PathNotFound(
                c.source,
                f"Expected to find an object with property ['{tok}'] in path {_jayway(c.tokens[:i])} but found "
                f"'{json_type_name(node)}'. This is not a json object.", data)
        if tok not in node:
            # AWS (Jayway PathToken.handleObjectProperty): a missing leaf is "No results for
            # path: <whole path>", a missing intermediate is "Missing property in path <prefix>".
            if i == last:
                raise PathNotFound(c.source, f"No results for path: {_jayway(c.tokens)}", data)
            raise PathNotFound(
                c.source, f"Missing property in path {_jayway(c.tokens[:i + 1])}", data)
        node = node[tok]
    return node


def _read_indefinite(c: _Compiled, data: Any) -> Any:
    try:
        return c.expr.read(data)
    except NotFound as exc:
        if c.expr.definite:  # `$.a.length()`: a definite path, Jayway's explanation
            raise PathNotFound(c.source, exc.detail, data) from None
        # AWS: an indefinite path never fails; it yields [] when nothing matches, even where
        # Jayway would report a missing property on the way (`$.items[*]` on input without
        # `items`: corpus base__json_path_array_wildcard_or_slice_with_no_input_items).
        return []


def read_path(path: str, data: Any, context: Any = None, variables: dict | None = None) -> Any:
    """Apply a JSONPath-mode path. `$…` reads `data`, `$$…` the context object, `$name…` the
    workflow variable `name`. Definite paths return the value (raising PathNotFound when nothing
    matches); indefinite ones return the list of matches.
    """
    return reader(path)(data, context, variables)


@functools.lru_cache(maxsize=4096)
def reader(path: str):
    """`read_path` for one path, as a function `(data, context, variables) -> value`.

    Compiled once per path string. The common case, a member chain such as `$.a.b` or
    `$$.Execution.Id`, gets a loop that does nothing else; whenever it meets anything unusual
    (a missing key, a non-object) it hands over to the general reader, which raises the
    exact error.
    """
    try:
        c = _compile(path)
    except InvalidPath as exc:
        # The validator rejects these; at run time treat them as a path that matches nothing.
        return functools.partial(_read_invalid, path, str(exc))
    if (c.root != VARIABLE and c.tokens and c.merge_keys is None
            and all(isinstance(t, str) for t in c.tokens)):
        tokens, from_context = c.tokens, c.root == CONTEXT

        def read_members(data, context=None, variables=None):
            node = context if from_context else data
            for tok in tokens:
                if isinstance(node, dict) and tok in node:
                    node = node[tok]
                else:
                    return _read_compiled(c, path, data, context, variables)
            return node
        return read_members
    return functools.partial(_read_compiled, c, path)


def _read_invalid(path, message, data, context=None, variables=None):
    raise PathNotFound(path, message, data)


def _read_compiled(c: _Compiled, path: str, data: Any, context: Any = None,
                   variables: dict | None = None) -> Any:
    if c.root == CONTEXT:
        target = context if context is not None else {}
    elif c.root == VARIABLE:
        # `variables` is a mapping or engine.asl.variables.Scope (`in` + `lookup`).
        if variables is None or c.var_name not in variables:
            raise PathNotFound(path, f"The variable '{c.var_name}' is not defined", data)
        getter = getattr(variables, "lookup", None)
        target = getter(c.var_name) if getter else variables[c.var_name]
    else:
        target = data
    if c.tokens is None:
        return _read_indefinite(c, target)
    node = _read_definite(c, target) if c.tokens else target
    if c.merge_keys is not None:
        if not isinstance(node, dict):
            raise PathNotFound(path, f"No results for path: {_jayway(c.tokens)}", target)
        return {k: node[k] for k in c.merge_keys if k in node}
    return node


# ---------------------------------------------------------------------------------------------
# Writing (ResultPath)
# ---------------------------------------------------------------------------------------------


def _result_path_failure(path: str, data: Any) -> StatesError:
    # AWS cause for a ResultPath that cannot be applied (not recorded in the corpus; wording as
    # AWS reports it): Unable to apply ReferencePath $.a.b to input "text"
    return StatesError(ErrorName.RESULT_PATH_MATCH_FAILURE,
                       f"Unable to apply ReferencePath {path} to input {to_json_str(data)}")


def write_result_path(data: Any, path: str | None, result: Any) -> Any:
    """ResultPath. Spec: "If the value of ResultPath is null, that means that the state's own raw
    output is discarded and its raw input becomes its result." "$" makes the result the output;
    "$.a.b" places it in the input, creating missing objects. Only the touched spine is copied;
    the caller's `data` is never mutated.

    Raises StatesError(States.ResultPathMatchFailure) when the path cannot be applied: the input
    (or an intermediate node) is not an object, or an index is out of range.
    """
    if path is None:
        return data
    try:
        c = _compile(path)
    except InvalidPath:
        raise _result_path_failure(path, data) from None
    if c.root != DATA or c.tokens is None or c.merge_keys is not None:
        raise _result_path_failure(path, data)
    if not c.tokens:
        return result

    def put(node: Any, i: int) -> Any:
        tok = c.tokens[i]
        last = i == len(c.tokens) - 1
        if isinstance(tok, int):
            if not isinstance(node, list):
                raise _result_path_failure(path, data)
            idx = tok + len(node) if tok < 0 else tok
            if not 0 <= idx < len(node):
                raise _result_path_failure(path, data)
            copy = list(node)
            copy[idx] = result if last else put(node[idx], i + 1)
            return copy
        if not isinstance(node, dict):
            raise _result_path_failure(path, data)
        copy = dict(node)
        if last:
            copy[tok] = result
        else:
            # Spec: "If the ResultPath … refers to a node that does not exist, it is created";
            # AWS creates missing intermediate objects but does not overwrite a non-object.
            child = node.get(tok, {}) if tok in node else {}
            copy[tok] = put(child, i + 1)
        return copy

    return put(data, 0)
