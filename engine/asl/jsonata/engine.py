"""Evaluating `{% ... %}` strings with jsonata-python, the way Step Functions does.

ASL (JSONata states): a string value is an expression when it *starts* with `{%` and *ends*
with `%}`; anything else, including " {% x %} " with surrounding blanks, is a literal. The
expression sees no context value (top-level `$` is undefined) and reads everything through
variables: `$states` (input, result, errorOutput, context) and the workflow variables.
"""
from __future__ import annotations

import functools
import re
import threading
from typing import Any, Mapping

from jsonata import Jsonata
from jsonata.jexception import JException
from jsonata.timebox import Timebox

from ..errors import ErrorName, StatesError
from . import causes, compat
from .compat import OVERRIDES
from .functions import SFN_FUNCTIONS, FunctionError
from .values import UNDEFINED, UnsupportedResult, from_jsonata, to_jsonata

OPEN, CLOSE = "{%", "%}"

# Guard against runaway expressions (e.g. unbounded recursion); AWS documents no figure.
EVALUATION_TIMEOUT_MS = 10_000
COMPILE_CACHE_SIZE = 1024


def is_expression(s: Any) -> bool:
    return (isinstance(s, str) and len(s) >= len(OPEN) + len(CLOSE)
            and s.startswith(OPEN) and s.endswith(CLOSE))


def expression_text(s: str) -> str:
    """The JSONata source inside the delimiters, trimmed as AWS quotes it in causes."""
    return s[len(OPEN):-len(CLOSE)].strip() if is_expression(s) else s.strip()


# Every variable an expression can read appears in its source as `$name` (JSONata has no
# dynamic variable lookup, and AWS removes `$eval`), so a textual scan finds a superset.
_VARIABLE = re.compile(r"\$([^\W\d]\w*)")
# `$states.member` accesses; a `$states` not followed by `.identifier` needs the whole object.
_STATES_ACCESS = re.compile(r"\$states\b(\s*\.\s*([^\W\d]\w*))?")


@functools.lru_cache(maxsize=COMPILE_CACHE_SIZE)
def _demand(source: str) -> tuple[frozenset, frozenset | None]:
    """(variable names read, `$states` members read or None for "all of $states")."""
    names = frozenset(_VARIABLE.findall(source))
    members: set | None = set()
    for match in _STATES_ACCESS.finditer(source):
        if match.group(2) is None:
            members = None
            break
        members.add(match.group(2))
    return names, (None if members is None else frozenset(members))


class Bindings:
    """What one state's expressions may read, converted to jsonata-python's value model.

    `variables` maps workflow variable names to JSON values; `states` is the `$states`
    object (keys absent when not available in the field, e.g. `result` in Arguments).
    Values are converted on first use and only when an expression names them: converting
    the whole input, the context (which holds the execution input again) and every variable
    for each expression dominated the cost of JSONata states.
    """

    __slots__ = ("_states", "_variables", "_converted", "_states_converted")

    def __init__(self, states: Mapping[str, Any] | None = None,
                 variables: Mapping[str, Any] | None = None):
        self._states = dict(states or {})
        self._variables = variables or {}
        self._converted: dict[str, Any] = {}
        self._states_converted: dict[str, Any] = {}

    @classmethod
    def of(cls, bindings: "Bindings | Mapping[str, Any] | None") -> "Bindings":
        """Accept a prepared Bindings or a plain {"states": {...}, name: value} mapping."""
        if isinstance(bindings, Bindings):
            return bindings
        plain = dict(bindings or {})
        states = plain.pop("states", None)
        return cls(states=states, variables=plain)

    def _variable(self, name: str) -> Any:
        if name not in self._converted:
            self._converted[name] = to_jsonata(self._variables[name])
        return self._converted[name]

    def _states_object(self, members: frozenset | None) -> dict:
        wanted = self._states.keys() if members is None else members
        for member in wanted:
            if member in self._states and member not in self._states_converted:
                self._states_converted[member] = to_jsonata(self._states[member])
        return {m: self._states_converted[m] for m in wanted if m in self._states_converted}

    def frame_for(self, source: str) -> dict:
        """The variable bindings for one expression's evaluation."""
        names, members = _demand(source)
        # Functions first: a workflow variable named like one (`$range`, `$hash`) shadows it,
        # as any JSONata variable binding shadows a function of the same name.
        frame = {**OVERRIDES, **SFN_FUNCTIONS}
        for name in names:
            # $states is reserved: a variable cannot be named "states", so no clash.
            if name != "states" and name in self._variables:
                frame[name] = self._variable(name)
        if "states" in names:
            frame["states"] = self._states_object(members)
        return frame


class _StepFunctionsJsonata(Jsonata):
    """jsonata-python with the reference's string concatenation.

    `a & b` stringifies non-strings like `$string` does; jsonata-python calls its own
    `Functions.string` there, so the corrected `$string` (compat.py) is applied here too.
    """

    def evaluate_string_concat(self, lhs, rhs) -> str:
        left = "" if lhs is None else compat.string(lhs)
        right = "" if rhs is None else compat.string(rhs)
        return left + right


@functools.lru_cache(maxsize=COMPILE_CACHE_SIZE)
def _compile(source: str) -> Jsonata:
    # No `timeout=` here: jsonata-python starts that clock when the expression is *compiled*,
    # so a cached expression would time out for good once it is older than the limit.
    return _StepFunctionsJsonata(source)


def _runtime_bounds() -> dict:
    """Fresh time-limit callbacks for one evaluation (bound like variables in the frame)."""
    holder = Jsonata.Frame(None)
    Timebox(holder, EVALUATION_TIMEOUT_MS, None)
    return holder.bindings


_compile_lock = threading.Lock()


def compile_expression(source: str) -> Jsonata:
    """Parse once per distinct source; raises JException on a syntax error."""
    with _compile_lock:  # jsonata-python's parser is shared per thread, the cache is global
        compiled = _compile(source)
    compiled.set_output_convert_nulls(False)  # we convert ourselves (see values.py)
    return compiled


def _error(cause: str, field: str) -> StatesError:
    error = StatesError(ErrorName.QUERY_EVALUATION_ERROR, cause)
    # The field path, for the `location` of AWS's EvaluationFailed event details.
    error.location = field
    return error


def _describe(exc: Exception) -> str:
    if isinstance(exc, JException):
        return f"{exc.error}: {exc}" if exc.error and not str(exc).startswith(exc.error) else str(exc)
    if isinstance(exc, FunctionError):
        return str(exc)
    if isinstance(exc, ZeroDivisionError):
        return "D1001: Number out of range"  # JavaScript yields Infinity, which JSONata rejects
    return f"{type(exc).__name__}: {exc}"


def evaluate(expr: str, bindings: "Bindings | Mapping[str, Any] | None", field: str) -> Any:
    """Evaluate one `{% ... %}` string (or bare JSONata source); UNDEFINED for nothing.

    Raises StatesError(States.QueryEvaluationError) on syntax or evaluation errors and on
    results JSON cannot hold (functions), with a cause naming `field`.
    """
    source = expression_text(expr)
    frame = Bindings.of(bindings).frame_for(source)
    try:
        compiled = compile_expression(source)
        # jsonata-python reads $now()/$millis() and lambda application from a per-thread
        # "current instance" that is only set at construction; cached instances must reset it.
        Jsonata.CURRENT.jsonata = compiled
        raw = compiled.evaluate(None, {**frame, **_runtime_bounds()})
    except RecursionError:
        raise _error(causes.evaluation_failed(source, field, "stack overflow"), field) from None
    except Exception as exc:  # jsonata-python raises plain Python errors too (ValueError...)
        raise _error(causes.evaluation_failed(source, field, _describe(exc)), field) from None
    try:
        return from_jsonata(raw)
    except UnsupportedResult:
        raise _error(causes.unsupported_result(source, field), field) from None


def evaluate_required(expr: str, bindings, field: str) -> Any:
    """evaluate(), but "returned nothing" is an error (every JSONata field except none)."""
    value = evaluate(expr, bindings, field)
    if value is UNDEFINED:
        raise _error(causes.returned_nothing(expression_text(expr), field), field)
    return value


def render(template: Any, bindings: "Bindings | Mapping[str, Any] | None", field: str) -> Any:
    """Evaluate every `{% ... %}` string inside a JSON template (Arguments, Output, Assign...).

    Keys are literal (no `.$` suffix processing in JSONata states); nested fields are named
    in causes with '/' separators, e.g. 'Output/result' or 'Arguments/Payload/0'.
    """
    prepared = Bindings.of(bindings)
    return _render(template, prepared, field)


def _render(template: Any, bindings: Bindings, field: str) -> Any:
    if isinstance(template, str):
        if is_expression(template):
            return evaluate_required(template, bindings, field)
        return template
    if isinstance(template, dict):
        return {key: _render(value, bindings, f"{field}/{key}") for key, value in template.items()}
    if isinstance(template, list):
        return [_render(value, bindings, f"{field}/{index}") for index, value in enumerate(template)]
    return template


def contains_expression(template: Any) -> bool:
    """True if any string in the template is a `{% ... %}` expression (used by validation)."""
    if is_expression(template):
        return True
    if isinstance(template, dict):
        return any(contains_expression(v) for v in template.values())
    if isinstance(template, list):
        return any(contains_expression(v) for v in template)
    return False
