"""Choice Rules (JSONPath mode).

Spec ("Choice Rules"): "A Choice Rule MUST have a Variable field and one comparison operator,
or else a Boolean expression (And, Or, Not)"; "the interpreter attempts pattern-matches against
the Choice Rules in array order and transitions to the state specified in the Next field on the
first Choice Rule where there is an exact match between the input value and a member of the
comparison-operator array." If none matches: "the interpreter transitions to the Default state;
if … there is no Default, the interpreter raises a run-time States.NoChoiceMatched error."

Comparisons are type-strict: "For each of these operators, if the value of the Variable field
is not of the type the operator expects (string, number, boolean or timestamp), the comparison
evaluates to false" — AWS: this holds for every mismatch (null, arrays, objects, numbers vs
strings), recorded by 491 corpus cases; only a Variable (or `…Path` operand) that does not
resolve is an error (States.Runtime), except for IsPresent, which exists to test for it.
"""
from __future__ import annotations

import datetime as _dt
import functools
import operator
import re
from decimal import Decimal
from typing import Any, Callable

from .errors import ErrorName, StatesError
from .paths import PathNotFound, is_boolean, is_definite, is_number, is_string, read_path
from .paths import reader as paths_reader

# ---------------------------------------------------------------------------------------------
# Timestamps
# ---------------------------------------------------------------------------------------------

# Spec: "Timestamps must conform to RFC3339 profile of ISO 8601, with the further restrictions
# that an uppercase T must separate the date and time portions, and an uppercase Z must denote
# that a numeric time zone offset is not present, for example 2016-08-18T17:33:00Z."
# AWS: a timestamp without an offset or Z ("2012-10-09T19:00:55") is not a timestamp (false),
# and so are date-only strings and a space instead of T (corpus choice__timestamp_*).
_TS_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})\Z")


def parse_timestamp(value: Any) -> tuple | None:
    """A comparable key (UTC instant, fraction of a second) or None when `value` is not a
    timestamp AWS accepts. Fractions keep full precision (Decimal), beyond microseconds."""
    if not isinstance(value, str):
        return None
    m = _TS_RE.match(value)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    frac = Decimal("0." + m.group(7)) if m.group(7) else Decimal(0)
    zone = m.group(8)
    try:
        if zone == "Z":
            tz = _dt.timezone.utc
        else:
            sign = -1 if zone[0] == "-" else 1
            hh, mm = int(zone[1:3]), int(zone[4:6])
            if hh > 23 or mm > 59:
                return None
            tz = _dt.timezone(sign * _dt.timedelta(hours=hh, minutes=mm))
        instant = _dt.datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:  # month 13, Feb 30, hour 24, second 60 …
        return None
    return (instant.astimezone(_dt.timezone.utc).replace(tzinfo=None), frac)


def is_timestamp(value: Any) -> bool:
    return parse_timestamp(value) is not None


# ---------------------------------------------------------------------------------------------
# StringMatches
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _compile_wildcard(pattern: str) -> re.Pattern:
    # Spec: "StringMatches … where '*' in the value matches zero or more characters. Thus,
    # foo*.log matches foo23.log, *.log matches zebra.log, and foo*.* matches foobar.zebra.
    # No characters other than '*' have any special meaning during matching." A literal '*'
    # is written \* and a literal backslash \\ (AWS docs). Assumption: a backslash before any
    # other character stands for that character.
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def string_matches(value: str, pattern: str) -> bool:
    return _compile_wildcard(pattern).fullmatch(value) is not None


# ---------------------------------------------------------------------------------------------
# Operator table
# ---------------------------------------------------------------------------------------------


def _java_string_key(s: str) -> bytes:
    # AWS compares strings with Java's String.compareTo: UTF-16 code units, not code points.
    # They only differ for characters above U+FFFF versus U+E000–U+FFFF.
    return s.encode("utf-16-be", "surrogatepass")


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "GreaterThan": operator.gt,
    "LessThanEquals": operator.le,
    "GreaterThanEquals": operator.ge,
}

# family -> (JSON type predicate, key function making values comparable)
_FAMILIES: dict[str, tuple[Callable[[Any], bool], Callable[[Any], Any]]] = {
    "String": (is_string, _java_string_key),
    # AWS: numbers compare by value, 1 == 1.0; true is not a number.
    "Numeric": (is_number, lambda v: v),
    "Timestamp": (is_timestamp, parse_timestamp),
}

# operator name -> (type test for the Variable, binary comparison of the operand) built once.
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {}


def _typed(pred, key, order):
    def compare(variable: Any, operand: Any) -> bool:
        if not (pred(variable) and pred(operand)):
            return False
        return order(key(variable), key(operand))
    return compare


for _family, (_pred, _key) in _FAMILIES.items():
    for _suffix, _order in _ORDER.items():
        COMPARISONS[_family + _suffix] = _typed(_pred, _key, _order)
COMPARISONS["BooleanEquals"] = _typed(is_boolean, lambda v: v, _ORDER["Equals"])
COMPARISONS["StringMatches"] = lambda v, p: is_string(v) and is_string(p) and string_matches(v, p)

# Spec: "IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp … the value is a
# Boolean: true means the test must hold, false that it must not."
TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "IsNull": lambda v: v is None,
    "IsNumeric": is_number,
    "IsString": is_string,
    "IsBoolean": is_boolean,
    "IsTimestamp": is_timestamp,
}

# `…Path` forms: the operand is read from the input. Spec: "…Path: compare to the value at
# the Reference Path". StringMatches has no Path form.
PATH_OPERATORS = {name + "Path": name for name in COMPARISONS if name != "StringMatches"}

OPERATORS = frozenset(COMPARISONS) | frozenset(PATH_OPERATORS) | frozenset(TYPE_TESTS) | {"IsPresent"}
BOOLEAN_OPERATORS = ("And", "Or", "Not")
_RULE_KEYS = {"Next", "Comment", "Variable"}


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


def _invalid_path(path: str) -> StatesError:
    # AWS cause when a Choice Variable (or a …Path operand) does not resolve.
    return StatesError(ErrorName.RUNTIME,
                       f"Invalid path '{path}': The choice state's condition path references "
                       f"an invalid value.")


def _read(path: Any, data, context, variables) -> Any:
    if not isinstance(path, str):
        raise _invalid_path(str(path))
    try:
        return read_path(path, data, context, variables)
    except PathNotFound:
        raise _invalid_path(path) from None


def _operator_of(rule: dict) -> str:
    ops = [k for k in rule if k in OPERATORS]
    if len(ops) != 1:
        raise StatesError(ErrorName.RUNTIME,
                          "A Choice Rule must have exactly one comparison operator, found "
                          f"{sorted(ops) or 'none'}")
    return ops[0]


def evaluate_rule(rule: dict, data: Any, context: Any = None, variables: dict | None = None) -> bool:
    """True when the Choice Rule (top-level or nested, with or without Next) matches."""
    return compile_rule(rule)(data, context, variables)


def compile_rule(rule: Any) -> Callable[[Any, Any, Any], bool]:
    """`evaluate_rule` for one rule, as a function `(data, context, variables) -> bool`.

    The evaluator compiles each Choice state's rules once per machine (dataflow/jsonpath.py):
    operator lookup, operand checks and path compilation happen here, not per evaluation.
    Only well-formed rules are compiled; any other shape (which the validator rejects) is
    handed to `_evaluate` unchanged, so its errors and their timing stay exactly as they were.
    """
    if not isinstance(rule, dict):
        return functools.partial(_evaluate, rule)
    for boolean in BOOLEAN_OPERATORS:
        if boolean in rule:  # And, then Or, then Not: the order `_evaluate` tests them in
            return _compile_boolean(rule, boolean)
    ops = [k for k in rule if k in OPERATORS]
    path = rule.get("Variable")
    if len(ops) != 1 or ops[0] == "IsPresent" or not isinstance(path, str):
        return functools.partial(_evaluate, rule)
    op = ops[0]
    operand = rule[op]
    variable = _reader(path)
    if op in TYPE_TESTS:
        test, expected = TYPE_TESTS[op], bool(operand)
        return lambda data, context=None, variables=None: \
            test(variable(data, context, variables)) is expected
    if op in PATH_OPERATORS:
        if not isinstance(operand, str):
            return functools.partial(_evaluate, rule)
        other, compare = _reader(operand), COMPARISONS[PATH_OPERATORS[op]]
        # The Variable is read first, then the operand (either may fail).
        return lambda data, context=None, variables=None: compare(
            variable(data, context, variables), other(data, context, variables))
    if op.startswith("Numeric") and is_number(operand):
        # The commonest rule (`i < n`): the operand's type is checked here, once.
        order = _ORDER[op[len("Numeric"):]]

        def numeric(data, context=None, variables=None):
            value = variable(data, context, variables)
            return is_number(value) and order(value, operand)
        return numeric
    compare = COMPARISONS[op]
    return lambda data, context=None, variables=None: compare(
        variable(data, context, variables), operand)


def _compile_boolean(rule: dict, op: str):
    subs = rule[op]
    if op == "Not":
        inner = compile_rule(subs)
        return lambda data, context=None, variables=None: not inner(data, context, variables)
    if not isinstance(subs, list):
        return functools.partial(_evaluate, rule)
    fns = [compile_rule(r) for r in subs]
    combine = all if op == "And" else any  # both short-circuit, like the spec's And/Or
    return lambda data, context=None, variables=None: combine(
        fn(data, context, variables) for fn in fns)


def _reader(path: str):
    read = paths_reader(path)

    def read_or_fail(data, context, variables):
        try:
            return read(data, context, variables)
        except PathNotFound:
            raise _invalid_path(path) from None
    return read_or_fail


def _evaluate(rule: Any, data: Any, context: Any = None, variables: dict | None = None) -> bool:
    """The general evaluation of any rule, however malformed (what `compile_rule` falls
    back to)."""
    if not isinstance(rule, dict):
        raise StatesError(ErrorName.RUNTIME, "A Choice Rule must be a JSON object")
    if "And" in rule:
        # Spec: "And: a non-empty array of Choice Rules that must all match". Short-circuits.
        return all(evaluate_rule(r, data, context, variables) for r in rule["And"])
    if "Or" in rule:
        return any(evaluate_rule(r, data, context, variables) for r in rule["Or"])
    if "Not" in rule:
        return not evaluate_rule(rule["Not"], data, context, variables)

    op = _operator_of(rule)
    path = rule.get("Variable")
    operand = rule[op]
    if op == "IsPresent":
        # Spec: "IsPresent: true if the Variable's path matches a node in the input".
        # AWS (Jayway): an indefinite path that matches nothing yields [] and counts as absent.
        try:
            found = read_path(path, data, context, variables)
            present = not (found == [] and not _definite(path))
        except PathNotFound:
            present = False
        return present is bool(operand)
    value = _read(path, data, context, variables)
    if op in TYPE_TESTS:
        return TYPE_TESTS[op](value) is bool(operand)
    if op in PATH_OPERATORS:
        operand = _read(operand, data, context, variables)
        op = PATH_OPERATORS[op]
    return COMPARISONS[op](value, operand)


def _definite(path: str) -> bool:
    try:
        return is_definite(path)
    except Exception:
        return True


def no_choice_matched() -> StatesError:
    # Spec: "if no Choice Rule matches and there is no Default, the interpreter raises a
    # run-time States.NoChoiceMatched error."
    return StatesError(ErrorName.NO_CHOICE_MATCHED,
                       "No Choice Rule matched and no Default state was specified")


def choose(choices: list, default: str | None, data: Any, context: Any = None,
           variables: dict | None = None) -> str:
    """The Next of the first matching Choice Rule, else Default, else States.NoChoiceMatched."""
    for rule in choices:
        if evaluate_rule(rule, data, context, variables):
            return rule["Next"]
    if default is not None:
        return default
    raise no_choice_matched()
